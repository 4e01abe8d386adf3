package ablak.signaling;

import static ablak.signaling.JourneyPages.SLOW;
import static ablak.signaling.JourneyPages.click;
import static ablak.signaling.JourneyPages.frames;
import static ablak.signaling.JourneyPages.mainFrames;
import static ablak.signaling.JourneyPages.screenshot;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole journey through one real node (embedded Redis and PostgreSQL, the SFU on loopback):
 * a citizen in one Chromium page, the demo clerk in another, the demo supervisor's wallboard in a
 * third, each with its own profile and the fake camera and microphone. Everything goes through the
 * apps as people use them; nothing is scripted on the server side.
 */
class JourneyTest {

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
  void citizenAndClerkGoFromLifeEventToCaseNumberWhileTheWallboardFollows() throws Exception {
    Page wallboard = pages.page(1600, 900);
    pages.signIn(wallboard, "/wallboard/", "supervisor");
    Locator clerkRow = wallboard.locator("tr[data-clerk]").filter(new Locator.FilterOptions().setHas(
        wallboard.getByRole(AriaRole.ROWHEADER, new Page.GetByRoleOptions().setName("Demo Clerk").setExact(true))));

    Page clerk = pages.page(1440, 900);
    pages.signIn(clerk, "/clerk/", "clerk");
    assertThat(clerk.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Üdvözöljük, Demo Clerk"))).isVisible();

    Page citizen = joinTheQueueAsACitizen();

    Locator waitingOne = wallboard.locator(".tile").filter(new Locator.FilterOptions().setHas(
        wallboard.locator("[data-figure='waiting']", new Page.LocatorOptions().setHasText(Pattern.compile("^1$")))));
    assertThat(waitingOne).hasCount(1);
    screenshot(wallboard, "wallboard-03-journey-one-waiting");

    // The clerk goes available; the offer rings and is accepted.
    click(clerk, "Elérhető leszek");
    assertThat(clerk.getByRole(AriaRole.ALERTDIALOG, new Page.GetByRoleOptions().setName("Bejövő hívás")))
        .isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(SLOW));
    assertThat(clerk.locator("#offer-case-type")).not().isEmpty();
    clerk.locator("#offer-accept").click();

    // Both see each other: frames decoded on both sides, read from getStats.
    clerk.waitForCondition(() -> frames(clerk) > 0 && frames(citizen) > 0, new Page.WaitForConditionOptions().setTimeout(SLOW));
    assertThat(clerkRow).containsText("Hívásban");
    assertThat(waitingOne).hasCount(0);

    // Real-time text both ways.
    citizen.getByLabel("Az Ön üzenete").pressSequentially("Jó napot kívánok!");
    citizen.getByLabel("Az Ön üzenete").press("Enter");
    assertThat(clerk.locator(".chat__log")).containsText("Jó napot kívánok!");
    clerk.getByLabel("Az Ön üzenete").pressSequentially("Üdvözlöm, Demo Clerk vagyok.");
    clerk.getByLabel("Az Ön üzenete").press("Enter");
    assertThat(citizen.locator(".chat__log")).containsText("Üdvözlöm, Demo Clerk vagyok.");

    // The citizen consented, so the clerk may record; both see the indicator.
    click(clerk, "Felvétel indítása");
    assertThat(citizen.locator(".call__recording")).isVisible();
    assertThat(clerk.locator(".call__recording")).isVisible();
    assertThat(clerk.locator("#toggle-recording")).hasText("Felvétel leállítása");
    screenshot(citizen, "citizen-07-call");

    // The clerk completes the form the citizen's answers started, and asks for the citizen's confirmation.
    assertThat(clerk.getByLabel("Személyi azonosító")).hasValue("1-850312-1232");
    clerk.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("Ön a lakás tulajdonosa?")).getByLabel("nem").check();
    clerk.getByLabel("A tulajdonos neve (szállásadó)").fill("Szabó Béla");
    assertThat(clerk.locator("#case-save-status")).containsText("Mentve");
    clerk.locator(".desk-call__case").evaluate("panel => panel.scrollTop = 0");
    clerk.evaluate("() => window.scrollTo(0, 0)");
    screenshot(clerk, "clerk-04-call-with-case-form");
    click(clerk, "Jóváhagyás kérése az ügyféltől");

    Locator summary = citizen.locator("#case-summary");
    assertThat(summary).containsText("Szabó Béla");
    screenshot(citizen, "citizen-08-summary");
    summary.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Igen, helyesek")).click();

    Locator submit = clerk.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Ügy beküldése"));
    assertThat(submit).isEnabled();
    submit.click();
    assertThat(clerk.locator("#case-status")).containsText("Ügyszám");
    String caseNumber = clerk.locator("#case-status").textContent().replaceAll(".*:\\s*", "").trim();
    assertThat(citizen.locator("#call-case-number")).hasText(caseNumber);

    // The clerk ends the call, wraps up and is available again; the citizen keeps the case number.
    clerk.keyboard().press("Alt+E");
    assertThat(clerk.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Utómunka"))).isVisible();
    assertThat(clerkRow).containsText("Utómunka");
    assertThat(citizen.locator("#case-number")).hasText(caseNumber);
    screenshot(citizen, "citizen-09-case-number");
    screenshot(clerk, "clerk-05-wrap-up");
    clerk.getByLabel("Hogyan zárult a hívás?").selectOption("resolved");
    click(clerk, "Készen állok a következő hívásra");
    assertThat(clerk.locator("#clerk-state")).hasText("Elérhető");
    assertThat(clerkRow).containsText("Elérhető");
    screenshot(wallboard, "wallboard-04-journey-after-the-call");
    // Off duty again: an available clerk whose page is gone would be offered the next test's citizen.
    click(clerk, "Nem vagyok elérhető");
    assertThat(clerk.locator("#clerk-state")).hasText("Nem elérhető");

    // Ending the call stopped the recording: both sides' video and audio are in it, hashed.
    io.vertx.core.json.JsonObject manifest = finishedRecording();
    assertThat(manifest.getJsonArray("tracks").stream().map(io.vertx.core.json.JsonObject.class::cast)
        .filter(track -> track.getString("codec").equals("VP8") && track.getLong("frames") > 0).count())
        .as("video frames of citizen and clerk").isEqualTo(2);
    assertThat(manifest.getJsonArray("tracks").stream().map(io.vertx.core.json.JsonObject.class::cast)
        .allMatch(track -> track.getString("sha256") != null)).isTrue();
    assertThat(pages.consoleErrors).as("console errors, CSP violations included").isEmpty();
  }

  /**
   * A clerk who finds the citizen in the wrong service passes them on: the citizen's app says so and
   * shows their place in the other queue, and another clerk is offered them there (routing does not
   * offer a transferred citizen back to the clerk who passed them on).
   */
  @Test
  void aTransferredCitizenWaitsAgainInTheOtherQueueAndAnotherClerkTakesThem() throws Exception {
    Page first = pages.page(1440, 900);
    pages.signIn(first, "/clerk/", "clerk2");
    Page second = pages.page(1440, 900);
    pages.signIn(second, "/clerk/", "clerk");
    click(first, "Elérhető leszek");
    Page citizen = joinTheQueueAsACitizen();
    acceptTheOffer(first);
    assertThat(citizen.locator(".chat__log")).isAttached(new com.microsoft.playwright.assertions.LocatorAssertions.IsAttachedOptions().setTimeout(SLOW));

    click(first, "Átadás");
    first.locator("#transfer-queue").fill("passport-renewal");
    first.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("A hívás átadása"))
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Átadás").setExact(true)).click();
    assertThat(citizen.locator("#waiting-again")).containsText("Átirányítottuk egy másik ügyintézéshez");
    assertThat(citizen.locator("#queue-position")).hasText("1", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(SLOW));
    screenshot(citizen, "citizen-10-transferred");
    finishWrapUp(first, "referred");

    click(second, "Elérhető leszek");
    acceptTheOffer(second);
    second.waitForCondition(() -> frames(second) > 0 && frames(citizen) > 0, new Page.WaitForConditionOptions().setTimeout(SLOW));
    second.keyboard().press("Alt+E");
    finishWrapUp(second, "resolved");
    assertThat(citizen.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("A hívás véget ért"))).isVisible();
    assertThat(pages.consoleErrors).as("console errors, CSP violations included").isEmpty();
  }

  /**
   * The clerk's network goes down mid-call and the citizen leaves meanwhile: the call.ended pushed then reached
   * nobody. Back online, the desktop finds the call over, says so, and shows the wrap-up the node says the clerk
   * is in, instead of a dead call.
   */
  @Test
  void aClerkWhoseCallEndedWhileTheyWereOfflineIsToldSoAndIsInWrapUp() {
    Page clerk = pages.page(1440, 900);
    JourneyPages.ControlLink network = new JourneyPages.ControlLink(clerk);
    pages.signIn(clerk, "/clerk/", "clerk");
    click(clerk, "Elérhető leszek");
    Page citizen = joinTheQueueAsACitizen();
    acceptTheOffer(clerk);
    clerk.waitForCondition(() -> frames(clerk) > 0 && frames(citizen) > 0, new Page.WaitForConditionOptions().setTimeout(SLOW));

    network.cut();
    assertThat(clerk.locator(".connection-banner")).containsText("Megszakadt a kapcsolat");
    click(citizen, "Kilépés a hívásból");
    click(citizen, "Igen, kilépek");
    assertThat(citizen.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("A hívás véget ért"))).isVisible();
    assertThat(clerk.locator("body[data-view='call']")).isAttached();
    network.restore();

    assertThat(clerk.locator("#call-ended-away")).hasText("A hívás véget ért, amíg nem volt kapcsolat.",
        new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(SLOW));
    assertThat(clerk.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Utómunka"))).isVisible();
    assertThat(clerk.locator("#clerk-state")).hasText("Utómunka");
    assertThat(clerk.locator(".desk-call")).hasCount(0);
    finishWrapUp(clerk, "technical");
    assertThat(clerk.locator("#call-ended-away")).hasCount(0);
    assertThat(pages.consoleErrors).as("console errors, CSP violations included").isEmpty();
  }

  /** The same for the citizen: back online after the clerk ended the call, the app shows the end, and why. */
  @Test
  void aCitizenWhoseCallEndedWhileTheyWereOfflineIsToldSoOnTheEndScreen() {
    Page clerk = pages.page(1440, 900);
    pages.signIn(clerk, "/clerk/", "clerk2");
    click(clerk, "Elérhető leszek");
    JourneyPages.ControlLink[] network = new JourneyPages.ControlLink[1];
    Page citizen = joinTheQueueAsACitizen(page -> network[0] = new JourneyPages.ControlLink(page));
    acceptTheOffer(clerk);
    clerk.waitForCondition(() -> frames(clerk) > 0 && frames(citizen) > 0, new Page.WaitForConditionOptions().setTimeout(SLOW));

    network[0].cut();
    assertThat(citizen.locator(".connection-banner")).containsText("Megszakadt a kapcsolat");
    clerk.keyboard().press("Alt+E");
    finishWrapUp(clerk, "technical");
    assertThat(citizen.locator("body[data-screen='call']")).isAttached();
    network[0].restore();

    assertThat(citizen.locator("#call-ended-away")).hasText("A hívás véget ért, amíg nem volt kapcsolat.",
        new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(SLOW));
    assertThat(citizen.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("A hívás véget ért"))).isVisible();
    assertThat(pages.consoleErrors).as("console errors, CSP violations included").isEmpty();
  }

  /**
   * The clerk reloads the desktop mid-call, then the citizen reloads their page: the node sends each new connection
   * the call it is in, so each page comes back into the same call (the clerk's with the case form and the citizen's
   * answers), publishes anew, and both sides decode each other's video again.
   */
  @Test
  void aClerkAndThenACitizenWhoReloadTheirPageMidCallAreBackInTheSameCall() {
    Page clerk = pages.page(1440, 900);
    pages.signIn(clerk, "/clerk/", "clerk2");
    click(clerk, "Elérhető leszek");
    Page citizen = joinTheQueueAsACitizen();
    acceptTheOffer(clerk);
    clerk.waitForCondition(() -> frames(clerk) > 0 && frames(citizen) > 0, new Page.WaitForConditionOptions().setTimeout(SLOW));

    clerk.reload();
    assertThat(clerk.locator("body[data-view='call']")).isAttached(
        new com.microsoft.playwright.assertions.LocatorAssertions.IsAttachedOptions().setTimeout(SLOW));
    assertThat(clerk.getByLabel("Személyi azonosító")).hasValue("1-850312-1232");
    clerk.waitForCondition(() -> mainFrames(clerk) > 0, new Page.WaitForConditionOptions().setTimeout(SLOW));
    // The clerk's old page is gone: what the citizen's main video decodes from now on comes from the reloaded one.
    long citizenBefore = mainFrames(citizen);
    citizen.waitForCondition(() -> mainFrames(citizen) > citizenBefore + 10, new Page.WaitForConditionOptions().setTimeout(SLOW));

    citizen.reload();
    assertThat(citizen.locator("body[data-screen='call']")).isAttached(
        new com.microsoft.playwright.assertions.LocatorAssertions.IsAttachedOptions().setTimeout(SLOW));
    citizen.waitForCondition(() -> mainFrames(citizen) > 0, new Page.WaitForConditionOptions().setTimeout(SLOW));
    long clerkBefore = mainFrames(clerk);
    clerk.waitForCondition(() -> mainFrames(clerk) > clerkBefore + 10, new Page.WaitForConditionOptions().setTimeout(SLOW));

    clerk.keyboard().press("Alt+E");
    finishWrapUp(clerk, "resolved");
    assertThat(citizen.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("A hívás véget ért"))).isVisible();
    assertThat(pages.consoleErrors).as("console errors, CSP violations included").isEmpty();
  }

  /**
   * The citizen reloads the page while waiting, before any clerk is available: the node still holds their place
   * and tells the new connection where it is, so the app is back on the waiting screen with the position. Then a
   * clerk goes available and takes them, and both sides decode each other's video.
   */
  @Test
  void aCitizenWhoReloadsThePageWhileWaitingIsBackOnTheWaitingScreenAndIsTakenFromThere() {
    Page citizen = joinTheQueueAsACitizen();

    citizen.reload();
    assertThat(citizen.locator("body[data-screen='waiting']")).isAttached(
        new com.microsoft.playwright.assertions.LocatorAssertions.IsAttachedOptions().setTimeout(SLOW));
    assertThat(citizen.locator("#queue-position")).hasText("1");
    assertThat(citizen.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Kilépek a sorból"))).isVisible();

    Page clerk = pages.page(1440, 900);
    pages.signIn(clerk, "/clerk/", "clerk2");
    click(clerk, "Elérhető leszek");
    acceptTheOffer(clerk);
    assertThat(citizen.locator("body[data-screen='call']")).isAttached(
        new com.microsoft.playwright.assertions.LocatorAssertions.IsAttachedOptions().setTimeout(SLOW));
    clerk.waitForCondition(() -> mainFrames(clerk) > 0 && mainFrames(citizen) > 0, new Page.WaitForConditionOptions().setTimeout(SLOW));

    clerk.keyboard().press("Alt+E");
    finishWrapUp(clerk, "resolved");
    assertThat(citizen.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("A hívás véget ért"))).isVisible();
    assertThat(pages.consoleErrors).as("console errors, CSP violations included").isEmpty();
  }

  /**
   * An office kiosk reloaded while its visitor waits keeps them waiting; once the visitor leaves the queue, the kiosk
   * resets, and a reload then shows the privacy screen with nothing of the last visitor kept.
   */
  @Test
  void aKioskReloadedWhileItsVisitorWaitsKeepsThemButAfterItsResetAReloadStartsAfresh() {
    Page kiosk = joinTheQueueAsACitizen(true, page -> { });

    kiosk.reload();
    assertThat(kiosk.locator("body[data-screen='waiting']")).isAttached(
        new com.microsoft.playwright.assertions.LocatorAssertions.IsAttachedOptions().setTimeout(SLOW));
    assertThat(kiosk.locator("#queue-position")).hasText("1");

    click(kiosk, "Kilépek a sorból");
    click(kiosk, "Igen, kilépek");
    assertThat(kiosk.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Üdvözöljük"))).isVisible();
    kiosk.reload();
    assertThat(kiosk.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Üdvözöljük"))).isVisible();
    assertThat(kiosk.evaluate("() => sessionStorage.getItem('ablak.visit')")).isNull();
    click(kiosk, "Kezdés");
    click(kiosk, "Magyar");
    assertThat(kiosk.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Miben segíthetünk?"))).isVisible();
    assertThat(kiosk.locator("body[data-screen='events']")).isAttached();
    assertThat(pages.consoleErrors).as("console errors, CSP violations included").isEmpty();
  }

  private static void acceptTheOffer(Page clerk) {
    assertThat(clerk.getByRole(AriaRole.ALERTDIALOG, new Page.GetByRoleOptions().setName("Bejövő hívás")))
        .isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(SLOW));
    clerk.locator("#offer-accept").click();
  }

  /** Wrap-up with a disposition, then off duty: an available clerk whose page is gone would be offered another test's citizen. */
  private static void finishWrapUp(Page clerk, String disposition) {
    assertThat(clerk.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Utómunka"))).isVisible();
    clerk.getByLabel("Hogyan zárult a hívás?").selectOption(disposition);
    click(clerk, "Készen állok a következő hívásra");
    assertThat(clerk.locator("#clerk-state")).hasText("Elérhető");
    click(clerk, "Nem vagyok elérhető");
    assertThat(clerk.locator("#clerk-state")).hasText("Nem elérhető");
  }

  /** The citizen's steps: life event, service, pre-call questions, devices, consent, queue; first in the queue. */
  private Page joinTheQueueAsACitizen() {
    return joinTheQueueAsACitizen(page -> { });
  }

  /** ... with {@code beforeConnecting} run on the page first (e.g. to put its control connection through a {@code ControlLink}). */
  private Page joinTheQueueAsACitizen(java.util.function.Consumer<Page> beforeConnecting) {
    return joinTheQueueAsACitizen(false, beforeConnecting);
  }

  /** ... on an office kiosk ({@code ?kiosk=1}: the privacy screen's Start first) or not. */
  private Page joinTheQueueAsACitizen(boolean kiosk, java.util.function.Consumer<Page> beforeConnecting) {
    Page citizen = pages.page(1280, 860);
    beforeConnecting.accept(citizen);
    citizen.navigate(node.baseUrl() + (kiosk ? "/citizen/?kiosk=1" : "/citizen/"));
    if (kiosk) {
      click(citizen, "Kezdés");
    }
    click(citizen, "Magyar");
    citizen.getByLabel("Keresés").fill("költözés");
    click(citizen, "Költözés");
    assertThat(citizen.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Néhány kérdés a hívás előtt"))).isVisible();
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
    assertThat(citizen.locator("#queue-position")).hasText("1", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(SLOW));
    return citizen;
  }

  /** The one call recorded in this node's data directory, once its manifest is final. */
  private static io.vertx.core.json.JsonObject finishedRecording() {
    Path recordings = dataDir.resolve("recordings");
    var finished = new java.util.concurrent.atomic.AtomicReference<io.vertx.core.json.JsonObject>();
    Await.until(() -> {
      finished.set(finishedManifest(recordings));
      return finished.get() != null;
    }, "a finished recording under " + recordings);
    return finished.get();
  }

  /** The manifest of the one call recorded, once stopped; null before. */
  private static io.vertx.core.json.JsonObject finishedManifest(Path recordings) {
    try (var calls = java.nio.file.Files.list(recordings)) {
      List<Path> manifests = calls.map(call -> call.resolve("manifest.json")).filter(java.nio.file.Files::exists).toList();
      if (manifests.size() != 1) {
        return null;
      }
      var manifest = new io.vertx.core.json.JsonObject(java.nio.file.Files.readString(manifests.get(0)));
      return manifest.getString("stoppedAt") != null ? manifest : null;
    } catch (java.io.IOException notYet) {
      return null;
    }
  }
}
