package ablak.signaling;

import static ablak.signaling.JourneyPages.SLOW;
import static ablak.signaling.JourneyPages.click;
import static ablak.signaling.JourneyPages.frames;
import static ablak.signaling.JourneyPages.screenshot;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ablak.identification.mrz.Mrz;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A passport renewal, which needs video identification, through one real node and its SFU: the
 * citizen's Chromium has a 1280x720 camera (a test pattern played by the fake capture device), the
 * demo clerk's the default fake camera. The clerk runs the checklist in the call's identification
 * panel on the video the SFU forwards, the citizen's guide follows by push, the code arrives by
 * e-mail (GreenMail) and the citizen types it. The case cannot be submitted until the record is
 * verified and sealed; the sealed record holds the hash of the call's finished recording.
 */
class IdentificationJourneyTest {

  private static GreenMail mail;
  private static Path dataDir;
  private static Path camera;
  private static AblakServer node;
  private static Playwright playwright;
  private static JourneyPages citizens;
  private static JourneyPages staff;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket probe = new ServerSocket(0)) {
      mail = new GreenMail(new ServerSetup(probe.getLocalPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }
    mail.start();
    dataDir = TestNodes.tempDataDir();
    // The resolution minimum stays 1280x720; the frame-rate minimum is lowered to 5 because two
    // Chromium instances encoding and decoding 720p through the SFU on a two-core machine shared with
    // other builds were measured at 9 fps at times. The 20 fps gate itself is covered by
    // ChecklistTest and IdentificationApiTest; this test is about the resolution through the SFU.
    node = AblakServer.start(TestNodes.embeddedSettings(dataDir, Map.of(
        "ABLAK_MAIL_SMTP_HOST", "127.0.0.1", "ABLAK_MAIL_SMTP_PORT", String.valueOf(mail.getSmtp().getPort()),
        "ABLAK_IDENTIFICATION_MIN_FPS", "5")));
    camera = Files.createTempFile("ablak-camera", ".y4m");
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
        "-t", "1", "-vf", "lutyuv=y=val*0.9", "-pix_fmt", "yuv420p", camera.toString()).inheritIO().start();
    assertThat(ffmpeg.waitFor()).isZero();
    playwright = JourneyPages.playwright();
    // The guide asks for the identification when the call screen opens: 404 until the clerk starts it.
    citizens = new JourneyPages(playwright, node, List.of("--use-file-for-fake-video-capture=" + camera),
        (text, location) -> text.contains("status of 404") && location.contains("/api/identifications/guide"));
    staff = new JourneyPages(playwright, node, List.of(), (text, location) -> false);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {citizens, staff, playwright}) {
      if (closeable != null) {
        closeable.close();
      }
    }
    if (node != null) {
      node.close();
    }
    if (mail != null) {
      mail.stop();
    }
    Files.deleteIfExists(camera);
    TestNodes.delete(dataDir);
  }

  @Test
  void theClerkIdentifiesTheCitizenInTheCallBeforeThePassportRenewalIsSubmitted() throws Exception {
    Page clerk = staff.page(1440, 1000);
    staff.signIn(clerk, "/clerk/", "clerk");
    assertThat(clerk.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Üdvözöljük, Demo Clerk"))).isVisible();

    // The citizen asks for a passport renewal: the questions say the identity will be checked on video.
    Page citizen = citizens.page(1280, 900);
    citizen.navigate(node.baseUrl() + "/citizen/");
    click(citizen, "Magyar");
    citizen.getByLabel("Keresés").fill("útlevél");
    click(citizen, "Lejáró útlevél");
    assertThat(citizen.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Néhány kérdés a hívás előtt"))).isVisible();
    citizen.getByLabel("Személyi azonosító").pressSequentially("18503121232");
    citizen.getByLabel("Családi név").fill("Kovács");
    citizen.getByLabel("Utónév").fill("Éva");
    citizen.getByLabel("Jelenlegi útlevél száma").pressSequentially("BA1234567");
    click(citizen, "Tovább");
    assertThat(citizen.locator("body[data-devices='ready']")).isAttached();
    click(citizen, "Tovább");
    citizen.getByLabel("Hozzájárulok, hogy adataimat az ügyem intézéséhez felhasználják").check();
    citizen.getByLabel("Hozzájárulok a hívás rögzítéséhez").check();
    click(citizen, "Elfogadom, beállok a sorba");
    assertThat(citizen.locator("#queue-position")).hasText("1", new LocatorAssertions.HasTextOptions().setTimeout(SLOW));

    // The clerk takes the call; both decode the other's video from the SFU.
    click(clerk, "Elérhető leszek");
    assertThat(clerk.getByRole(AriaRole.ALERTDIALOG, new Page.GetByRoleOptions().setName("Bejövő hívás")))
        .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(SLOW));
    clerk.locator("#offer-accept").click();
    clerk.waitForCondition(() -> frames(clerk) > 0 && frames(citizen) > 0, new Page.WaitForConditionOptions().setTimeout(SLOW));
    Locator guide = citizen.locator(".identification-guide");
    assertThat(guide).containsText("Az ügyintéző hamarosan elindítja az azonosítást.");

    // The form is completed and confirmed, but the case cannot be submitted before the identification.
    clerk.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("Érvényesség").setExact(true)).getByLabel("10 év").check();
    clerk.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("Sürgős eljárás").setExact(true)).getByLabel("nem").check();
    clerk.getByLabel("Irányítószám").fill("1052");
    clerk.getByLabel("Település").fill("Budapest");
    clerk.getByLabel("Közterület neve és jellege").fill("Váci utca");
    clerk.getByLabel("Házszám").fill("12");
    assertThat(clerk.locator("#case-save-status")).containsText("Mentve");
    click(clerk, "Jóváhagyás kérése az ügyféltől");
    citizen.locator("#case-summary").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Igen, helyesek")).click();
    Locator submit = clerk.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Ügy beküldése"));
    assertThat(submit).isEnabled();
    submit.click();
    assertThat(clerk.locator("#case-status")).containsText("identification_required");

    // The checklist, on the received video; every step reaches the citizen's guide by push.
    Locator panel = clerk.locator(".identification");
    panel.getByLabel("Az ügyfél által bemutatott okmány").selectOption("hu-id-card");
    click(clerk, "Azonosítás indítása");
    assertThat(guide).containsText("hozzájárul-e a videós azonosításhoz");
    // Green once the received video is 1280x720 at the minimum frame rate.
    assertThat(clerk.locator(".identification__quality--ok")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(SLOW));
    panel.getByLabel("Az ügyfél a felvételen hozzájárult").check();
    stepDone(clerk, "A rögzítés fut");
    stepDone(clerk, "Az okmány előlapja");
    assertThat(citizen.locator(".call__recording")).isVisible();
    assertThat(guide).containsText("Tartsa okmánya előlapját közel a kamerához");
    stepDone(clerk, "Az okmány megdöntése utasítás szerint");
    String tilt = clerk.locator(".identification__tilt").textContent();
    assertThat(tilt).isNotBlank();
    assertThat(citizen.locator(".identification-guide__tilt")).hasText(tilt);
    panel.getByLabel("A biztonsági elemek változtak az okmány mozgatásakor").check();
    stepDone(clerk, "Az okmány hátlapja");
    stepDone(clerk, "Állóképek az arcról és az okmányról");
    List<String> captures = List.of("Arc rögzítése", "Előlap rögzítése", "Hátlap rögzítése");
    for (int i = 0; i < captures.size(); i++) {
      waitForGoodVideo(clerk);
      click(clerk, captures.get(i));
      clerk.waitForFunction("i => document.querySelectorAll('.identification__still')[i].querySelector('.field__hint')"
          + " || !document.querySelector('.identification .notice--error').hidden", i);
      assertNoRefusal(clerk);
    }
    String figures = clerk.locator(".identification__still .field__hint").first().textContent();
    System.out.println("identification still through the SFU (face): " + figures);
    assertThat(figures).startsWith("1280×720");
    screenshot(clerk, "clerk-07-identification-stills");
    stepDone(clerk, "Biztonsági elemek ellenőrizve");
    Locator features = clerk.locator(".identification__step input[type=checkbox]");
    for (int i = 0; i < features.count(); i++) {
      features.nth(i).check();
    }
    stepDone(clerk, "A fénykép összevetése az arccal");
    panel.getByLabel("Az okmány fényképe a hívásban lévő személyt ábrázolja").check();
    stepDone(clerk, "Gépi olvasási zóna és nyomtatott adatok");
    panel.getByLabel("Gépi olvasási zóna (TD1), soronként").fill(mrz());
    assertThat(clerk.locator(".identification__mrz-checks li.ok")).hasCount(4);
    panel.getByLabel("Okmányazonosító").fill("987654CD");
    panel.getByLabel("Családi név").fill("Kovács");
    panel.getByLabel("Utónév").fill("Éva");
    panel.getByLabel("Születési idő").fill("1990-02-14");
    panel.getByLabel("Érvényesség vége").fill("2031-05-01");
    stepDone(clerk, "Egyszer használatos kód elküldve");
    panel.getByLabel("Az ügyfél e-mail-címe").fill("eva@example.test");
    panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Kód küldése")).click();
    clerk.locator(".identification__item--current", new Page.LocatorOptions().setHasText("Az ügyfél beírta a kódot")).waitFor();

    // The code came by e-mail; the citizen types it on their own screen.
    assertThat(guide).containsText("Írja be az e-mailben kapott kódot.");
    citizen.getByLabel("Az e-mailben kapott kód").fill(lastCode());
    screenshot(citizen, "citizen-10-identification-code");
    click(citizen, "Kód elküldése");
    click(clerk, "Személyazonosság igazolva");
    assertThat(panel).containsText("Az ügyfél személyazonossága igazolva. A jegyzőkönyv lezárva.");
    assertThat(panel).containsText(Pattern.compile("Lezárás lenyomata: [0-9a-f]{64}"));
    assertThat(guide).containsText("Személyazonossága igazolva. Köszönjük.");
    screenshot(clerk, "clerk-08-identification-verified");

    // Now the case goes through, with the same key as the refused click.
    submit.click();
    assertThat(clerk.locator("#case-status")).containsText("Ügyszám");
    String caseNumber = clerk.locator("#case-status").textContent().replaceAll(".*:\\s*", "").trim();
    assertThat(citizen.locator("#call-case-number")).hasText(caseNumber);

    // The sealed record holds the hash of the call's recording, which the result finished: both
    // sides' video is in it, every file hashed, and the supervisor's verification finds it intact.
    Path manifest = onlyRecording();
    JsonObject recording = new JsonObject(Files.readString(manifest));
    assertThat(recording.getString("stoppedAt")).isNotNull();
    assertThat(recording.getJsonArray("tracks").stream().map(JsonObject.class::cast)
        .filter(track -> track.getString("codec").equals("VP8") && track.getLong("frames") > 0).count())
        .as("video frames of citizen and clerk").isEqualTo(2);
    for (JsonObject track : recording.getJsonArray("tracks").stream().map(JsonObject.class::cast)
        .filter(track -> track.getString("codec").equals("VP8")).toList()) {
      assertThat(framesFfprobeDecodes(manifest.resolveSibling(track.getString("file")))).as("the recording plays: " + track.getString("file"))
          .isPositive();
    }
    Vertx vertx = Vertx.vertx();
    try {
      Api api = new Api(vertx, node.baseUrl());
      String supervisor = api.login("supervisor", password("supervisor"));
      JsonArray reviews = api.get("/api/identifications/reviews", supervisor).bodyAsJsonArray();
      assertThat(reviews).hasSize(1);
      String id = reviews.getJsonObject(0).getString("identificationId");
      JsonObject sealed = api.get("/api/identifications/" + id, supervisor).bodyAsJsonObject();
      assertThat(sealed.getString("status")).isEqualTo("VERIFIED");
      assertThat(sealed.getString("recordingSha256")).isEqualTo(sha256(Files.readAllBytes(manifest)));
      assertThat(sealed.getString("callId")).isEqualTo(manifest.getParent().getFileName().toString());
      JsonObject verification = api.get("/api/identifications/" + id + "/verification", supervisor).bodyAsJsonObject();
      assertThat(verification.getBoolean("intact")).as(verification.encode()).isTrue();
    } finally {
      Await.result(vertx.close());
    }
    assertThat(citizens.consoleErrors).as("citizen console errors, CSP violations included").isEmpty();
    assertThat(staff.consoleErrors).as("clerk console errors, CSP violations included").isEmpty();
  }

  /** Completes the current step and waits until the checklist has moved on to {@code next}. */
  private static void stepDone(Page clerk, String next) {
    waitForGoodVideo(clerk);
    clerk.locator(".identification").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Lépés kész")).click();
    clerk.waitForFunction("next => document.querySelector('.identification__item--current')?.textContent.startsWith(next)"
        + " || !document.querySelector('.identification .notice--error').hidden", next);
    assertNoRefusal(clerk);
  }

  /** As a clerk does: go on when the panel's live quality line is green (it is measured every second). */
  private static void waitForGoodVideo(Page clerk) {
    assertThat(clerk.locator(".identification__quality--ok")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(SLOW));
  }

  private static void assertNoRefusal(Page clerk) {
    Locator refusal = clerk.locator(".identification .notice--error");
    assertThat(refusal.isHidden()).as(() -> refusal.textContent()).isTrue();
  }

  /** Video frames ffprobe decodes from a recorded file. */
  private static long framesFfprobeDecodes(Path file) throws Exception {
    Process ffprobe = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
        "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
    String output = new String(ffprobe.getInputStream().readAllBytes()).trim();
    assertThat(ffprobe.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return Long.parseLong(output.replaceAll("[^0-9].*$", ""));
  }

  /** The manifest of the one call recorded on this node. */
  private static Path onlyRecording() throws Exception {
    try (var calls = Files.list(dataDir.resolve("recordings"))) {
      List<Path> manifests = calls.map(call -> call.resolve("manifest.json")).filter(Files::exists).toList();
      assertThat(manifests).hasSize(1);
      return manifests.get(0);
    }
  }

  private static String lastCode() throws Exception {
    var messages = mail.getReceivedMessages();
    assertThat(messages).isNotEmpty();
    Matcher matcher = Pattern.compile("\\b(\\d{6})\\b").matcher(messages[messages.length - 1].getContent().toString());
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }

  private static String password(String username) {
    return node.demoCredentials().stream().filter(c -> c.username().equals(username))
        .map(ablak.signaling.auth.DemoAccounts.Credential::password).findFirst().orElseThrow();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** The TD1 MRZ of Kovács Éva's identity card, valid until 2031, check digits as ICAO Doc 9303 Part 3 computes them. */
  static String mrz() {
    String number = "987654CD<";
    String line1 = pad("IDHUN" + number + Mrz.checkDigit(number), 30);
    String line2 = "900214" + Mrz.checkDigit("900214") + "F" + "310501" + Mrz.checkDigit("310501") + "HUN" + "<".repeat(11);
    line2 += Mrz.checkDigit(line1.substring(5, 30) + line2.substring(0, 7) + line2.substring(8, 15) + line2.substring(18, 29));
    return line1 + "\n" + line2 + "\n" + pad("KOVACS<<EVA", 30);
  }

  private static String pad(String text, int length) {
    return text + "<".repeat(length - text.length());
  }
}
