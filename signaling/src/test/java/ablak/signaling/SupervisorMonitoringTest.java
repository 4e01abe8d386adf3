package ablak.signaling;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.DemoAccounts;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ViewportSize;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  private static final Path SCREENSHOTS = Path.of(System.getProperty("ablak.screenshots", "../docs/screenshots"));
  private static final double SLOW = 30_000;
  private static final String PEER_TRACKER = """
      window.__peers = [];
      const Native = window.RTCPeerConnection;
      window.RTCPeerConnection = class extends Native {
        constructor(...args) { super(...args); window.__peers.push(this); }
      };""";
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
  private static Browser browser;
  private final List<BrowserContext> contexts = new ArrayList<>();
  private final List<String> consoleErrors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    dataDir = TestNodes.tempDataDir();
    node = AblakServer.start(TestNodes.embeddedSettings(dataDir, Map.of()));
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(Path.of("/usr/bin/chromium")).setHeadless(true)
        .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-quic", "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required")));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
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
  void closeContexts() {
    contexts.forEach(BrowserContext::close);
  }

  @Test
  void aSupervisorListensWhispersToTheClerkOnlyBargesInAndLeaves() throws Exception {
    Page wallboard = page(1600, 1000);
    signIn(wallboard, "/wallboard/", "supervisor");
    Page clerk = page(1440, 900);
    signIn(clerk, "/clerk/", "clerk");
    Page citizen = page(1280, 860);
    List<JsonObject> citizenPushes = new CopyOnWriteArrayList<>();
    citizen.onWebSocket(socket -> socket.onFrameReceived(frame -> {
      if (frame.text() != null) {
        citizenPushes.add(new JsonObject(frame.text()));
      }
    }));
    queueAsCitizen(citizen);
    click(clerk, "Elérhető leszek");
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
    screenshot(wallboard, "wallboard-05-monitoring-whisper");

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
    assertThat(clerk.locator("#third-video")).isVisible();
    assertThat(wallboard.getByLabel("Belehallgatás", new Page.GetByLabelOptions().setExact(true))).isDisabled();
    screenshot(citizen, "citizen-10-supervisor-joined");

    // Leave: the citizen is told the call is the two of them again.
    click(wallboard, "Kilépés a hívásból");
    assertThat(wallboard.locator(".monitor")).isHidden();
    citizen.waitForCondition(() -> citizenPushes.stream().anyMatch(m -> m.getString("type").equals("call.participants")
        && m.getJsonArray("participants").size() == 2), new Page.WaitForConditionOptions().setTimeout(SLOW));
    assertThat(consoleErrors).as("console errors, CSP violations included").isEmpty();
  }

  private static void queueAsCitizen(Page citizen) {
    citizen.navigate(node.baseUrl() + "/citizen/");
    click(citizen, "Magyar");
    citizen.getByLabel("Keresés").fill("költözés");
    click(citizen, "Költözés");
    citizen.getByLabel("Személyi azonosító").pressSequentially("18503121232");
    citizen.getByLabel("Családi név").fill("Kiss");
    citizen.getByLabel("Utónév").fill("Júlia");
    citizen.getByLabel("Irányítószám").fill("1051");
    citizen.getByLabel("Település").fill("Budapest");
    citizen.getByLabel("Közterület neve és jellege").fill("Nádor utca");
    citizen.getByLabel("Házszám").fill("11");
    citizen.getByLabel("tartózkodási hely").check();
    citizen.getByLabel("Beköltözés napja").fill("2026-11-30");
    click(citizen, "Tovább");
    assertThat(citizen.locator("body[data-devices='ready']")).isAttached();
    click(citizen, "Tovább");
    citizen.getByLabel("Hozzájárulok, hogy adataimat az ügyem intézéséhez felhasználják").check();
    citizen.getByLabel("Hozzájárulok a hívás rögzítéséhez").check();
    click(citizen, "Elfogadom, beállok a sorba");
    assertThat(citizen.locator("#queue-position")).hasText("1", new LocatorAssertions.HasTextOptions().setTimeout(SLOW));
  }

  private record Inbound(long audioPackets, long framesDecoded) {}

  @SuppressWarnings("unchecked")
  private static Inbound inbound(Page page, boolean extraSlotsOnly) {
    Map<String, Object> figures = (Map<String, Object>) page.evaluate(INBOUND, extraSlotsOnly);
    return new Inbound(((Number) figures.get("audioPackets")).longValue(), ((Number) figures.get("framesDecoded")).longValue());
  }

  private Page page(int width, int height) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions()
        .setViewportSize(new ViewportSize(width, height)).setLocale("hu-HU"));
    context.grantPermissions(List.of("camera", "microphone"), new BrowserContext.GrantPermissionsOptions().setOrigin(node.baseUrl()));
    context.addInitScript(PEER_TRACKER);
    contexts.add(context);
    Page page = context.newPage();
    page.onConsoleMessage(message -> {
      boolean signInProbe = message.text().contains("status of 401") && message.location().contains("/api/auth/me");
      if ("error".equals(message.type()) && !signInProbe) {
        consoleErrors.add(message.text() + " at " + message.location());
      }
    });
    page.onPageError(consoleErrors::add);
    return page;
  }

  private static void signIn(Page page, String app, String username) {
    String password = node.demoCredentials().stream().filter(c -> c.username().equals(username))
        .map(DemoAccounts.Credential::password).findFirst().orElseThrow();
    page.navigate(node.baseUrl() + app);
    page.getByLabel("Felhasználónév").fill(username);
    page.getByLabel("Jelszó").fill(password);
    click(page, "Bejelentkezés");
  }

  private static void click(Page page, String button) {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(button)).click();
  }

  private static void screenshot(Page page, String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    page.evaluate("() => document.fonts.ready");
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(name.startsWith("wallboard")));
  }
}
