package ablak.signaling;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A supervisor monitors a call from the wallboard, on one real node with the three apps in
 * Chromium (fake camera and microphone): listens (decodes the call's video), whispers (the
 * clerk's page receives the supervisor's audio, the citizen's page not one packet of it), barges
 * in (the citizen's page decodes the supervisor's video, shows it as the third video and got
 * {@code call.participants}) and leaves. Mode changes are made with the keyboard.
 */
class SupervisorMonitoringTest {

  private static final double SLOW = JourneyPages.SLOW;
  /**
   * Inbound figures of the page's open connections, from each receiver's own getStats: {@code extra}
   * counts the slots beyond the first audio+video pair, where a third participant arrives.
   */
  private static final String INBOUND = """
      async (extra) => {
        let audioPackets = 0, framesDecoded = 0;
        for (const peer of window.__peers) {
          if (peer.connectionState === 'closed') continue;
          const transceivers = peer.getTransceivers();
          for (const [index, transceiver] of transceivers.entries()) {
            if (extra && index < 2) continue;
            (await transceiver.receiver.getStats()).forEach((r) => {
              if (r.type !== 'inbound-rtp') return;
              if (r.kind === 'audio') audioPackets += r.packetsReceived || 0;
              if (r.kind === 'video') framesDecoded += r.framesDecoded || 0;
            });
          }
        }
        return { audioPackets, framesDecoded };
      }""";

  private static Path dataDir;
  private static AblakServer node;
  private static Playwright playwright;
  private static JourneyPages pages;

  @BeforeAll
  static void start() {
    dataDir = TestNodes.tempDataDir();
    node = AblakServer.start(TestNodes.embeddedSettings(dataDir, Map.of()));
    playwright = JourneyPages.playwright();
    pages = new JourneyPages(playwright, node, List.of(), (text, location) -> false);
  }

  @AfterAll
  static void stop() {
    if (pages != null) {
      pages.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (node != null) {
      node.close();
    }
    TestNodes.delete(dataDir);
  }

  @AfterEach
  void closePages() {
    pages.closePages();
  }

  @Test
  void aSupervisorListensWhispersToTheClerkOnlyBargesInAndLeaves() throws Exception {
    Page wallboard = pages.page(1600, 1000);
    pages.signIn(wallboard, "/wallboard/", "supervisor");
    Page clerk = pages.page(1440, 900);
    pages.signIn(clerk, "/clerk/", "clerk");
    Page citizen = pages.page(1280, 860);
    List<JsonObject> citizenPushes = new CopyOnWriteArrayList<>();
    citizen.onWebSocket(socket -> socket.onFrameReceived(frame -> {
      if (frame.text() != null) {
        citizenPushes.add(new JsonObject(frame.text()));
      }
    }));
    queueAsCitizen(citizen);
    JourneyPages.click(clerk, "Elérhető leszek");
    assertThat(clerk.getByRole(AriaRole.ALERTDIALOG, new Page.GetByRoleOptions().setName("Bejövő hívás")))
        .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(SLOW));
    clerk.locator("#offer-accept").click();
    clerk.waitForCondition(() -> inbound(clerk, false).framesDecoded > 0 && inbound(citizen, false).framesDecoded > 0,
        new Page.WaitForConditionOptions().setTimeout(SLOW));

    // Listen, from the keyboard: the clerk's row offers it once the pushed board knows the call.
    var listen = wallboard.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Belehallgatás Demo Clerk hívásába"));
    assertThat(listen).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(SLOW));
    listen.focus();
    wallboard.keyboard().press("Enter");
    assertThat(wallboard.locator("#monitor-title")).isFocused();
    assertThat(wallboard.locator("#monitor-status")).hasText("Belehallgat: senki sem hallja és látja Önt.");
    wallboard.waitForCondition(() -> inbound(wallboard, false).framesDecoded > 0, new Page.WaitForConditionOptions().setTimeout(SLOW));
    assertThat(wallboard.locator(".monitor__tile:not([hidden])")).hasCount(2, new LocatorAssertions.HasCountOptions().setTimeout(SLOW));
    assertThat(inbound(clerk, true).audioPackets + inbound(citizen, true).audioPackets).as("nobody hears a listener").isZero();

    // Whisper (arrow key in the mode radios): the clerk hears the supervisor, the citizen receives none of it.
    wallboard.getByLabel("Belehallgatás", new Page.GetByLabelOptions().setExact(true)).focus();
    wallboard.keyboard().press("ArrowRight");
    assertThat(wallboard.locator("#monitor-status")).hasText("Súg: csak az ügyintéző hallja Önt, az ügyfél nem.");
    clerk.waitForCondition(() -> inbound(clerk, true).audioPackets > 100, new Page.WaitForConditionOptions().setTimeout(SLOW));
    long citizenAudio = inbound(citizen, false).audioPackets;
    long whispered = inbound(clerk, true).audioPackets;
    clerk.waitForCondition(() -> inbound(clerk, true).audioPackets > whispered + 50, new Page.WaitForConditionOptions().setTimeout(SLOW));
    assertThat(inbound(citizen, false).audioPackets).as("the citizen still hears the clerk").isGreaterThan(citizenAudio);
    assertThat(inbound(citizen, true).audioPackets).as("no packet of the whisper at the citizen").isZero();
    assertThat(inbound(citizen, true).framesDecoded).isZero();
    assertThat(citizen.locator("#third-video")).isHidden();
    assertThat(citizenPushes.stream().filter(m -> m.getString("type").equals("call.participants"))).as("nobody is told").isEmpty();
    JourneyPages.screenshot(wallboard, "wallboard-05-monitoring-whisper");

    // Barge in: the citizen is told, hears and sees a third participant; there is no way back to unseen.
    wallboard.keyboard().press("ArrowRight");
    assertThat(wallboard.locator("#monitor-status")).hasText("A hívásban van: az ügyfél és az ügyintéző látja és hallja Önt.");
    citizen.waitForCondition(() -> {
      Inbound extra = inbound(citizen, true);
      return extra.framesDecoded > 0 && extra.audioPackets > 0;
    }, new Page.WaitForConditionOptions().setTimeout(SLOW));
    assertThat(citizen.getByLabel("A csoportvezető videója")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(SLOW));
    JsonObject told = citizenPushes.stream().filter(m -> m.getString("type").equals("call.participants")).findFirst().orElseThrow();
    assertThat(told.getJsonArray("participants").stream().map(p -> ((JsonObject) p).getString("role")))
        .containsExactly("citizen", "clerk", "supervisor");
    assertThat(clerk.locator("#supervisor-video")).isVisible();
    assertThat(clerk.locator("#third-video")).isHidden();
    assertThat(wallboard.getByLabel("Belehallgatás", new Page.GetByLabelOptions().setExact(true))).isDisabled();
    JourneyPages.screenshot(citizen, "citizen-10-supervisor-joined");

    // Leave: the citizen is told the call is the two of them again.
    JourneyPages.click(wallboard, "Kilépés a hívásból");
    assertThat(wallboard.locator(".monitor")).isHidden();
    citizen.waitForCondition(() -> citizenPushes.stream().anyMatch(m -> m.getString("type").equals("call.participants")
        && m.getJsonArray("participants").size() == 2), new Page.WaitForConditionOptions().setTimeout(SLOW));
    assertThat(pages.consoleErrors).as("console errors, CSP violations included").isEmpty();
  }

  private static void queueAsCitizen(Page citizen) {
    citizen.navigate(node.baseUrl() + "/citizen/");
    JourneyPages.click(citizen, "Magyar");
    citizen.getByLabel("Keresés").fill("költözés");
    JourneyPages.click(citizen, "Költözés");
    citizen.getByLabel("Személyi azonosító").pressSequentially("18503121232");
    citizen.getByLabel("Családi név").fill("Kiss");
    citizen.getByLabel("Utónév").fill("Júlia");
    citizen.getByLabel("Irányítószám").fill("1051");
    citizen.getByLabel("Település").fill("Budapest");
    citizen.getByLabel("Közterület neve és jellege").fill("Nádor utca");
    citizen.getByLabel("Házszám").fill("11");
    citizen.getByLabel("tartózkodási hely").check();
    citizen.getByLabel("Beköltözés napja").fill("2026-11-30");
    JourneyPages.click(citizen, "Tovább");
    assertThat(citizen.locator("body[data-devices='ready']")).isAttached();
    JourneyPages.click(citizen, "Tovább");
    citizen.getByLabel("Hozzájárulok, hogy adataimat az ügyem intézéséhez felhasználják").check();
    citizen.getByLabel("Hozzájárulok a hívás rögzítéséhez").check();
    JourneyPages.click(citizen, "Elfogadom, beállok a sorba");
    assertThat(citizen.locator("#queue-position")).hasText("1", new LocatorAssertions.HasTextOptions().setTimeout(SLOW));
  }

  private record Inbound(long audioPackets, long framesDecoded) {}

  @SuppressWarnings("unchecked")
  private static Inbound inbound(Page page, boolean extraSlotsOnly) {
    Map<String, Object> figures = (Map<String, Object>) page.evaluate(INBOUND, extraSlotsOnly);
    return new Inbound(((Number) figures.get("audioPackets")).longValue(), ((Number) figures.get("framesDecoded")).longValue());
  }
}
