package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The booking page in Debian's Chromium against a running node: a citizen arriving from a
 * reminder's link picks a time with the keyboard, books it, sees the confirmation, and the
 * confirmation e-mail with its calendar entry reaches the SMTP server. When the appointment can be
 * joined, the page links to the citizen app, which takes the citizen through the device check and
 * consent into the queue for the booking.
 */
class AppointmentsPageTest {

  private static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");

  private static ProactiveNode node;

  @BeforeAll
  static void start() {
    node = new ProactiveNode();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void aCitizenBooksASlotAndSeesTheConfirmation() throws Exception {
    LocalDate tomorrow = LocalDate.now(ProactiveNode.ZONE).plusDays(1);
    node.shift("passport-renewal", "en", tomorrow, 9);
    Path profile = Files.createTempDirectory("ablak-chromium-");
    List<String> consoleErrors = new ArrayList<>();

    try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
         var context = playwright.chromium().launchPersistentContext(profile, new BrowserType.LaunchPersistentContextOptions()
             .setExecutablePath(Path.of("/usr/bin/chromium")).setHeadless(true).setArgs(CHROMIUM_FLAGS).setLocale("en-GB"))) {
      Page page = context.newPage();
      page.onConsoleMessage(message -> {
        if ("error".equals(message.type())) {
          consoleErrors.add(message.text());
        }
      });
      page.onPageError(consoleErrors::add);
      page.navigate(node.server.baseUrl() + "/appointments/?caseType=passport-renewal&lang=en");

      page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Book a video appointment")).waitFor();
      Locator times = page.getByRole(AriaRole.RADIO);
      times.first().waitFor();
      assertThat(times.count()).isEqualTo(3);
      assertThat(page.getByText("Service: Passport renewal").isVisible()).isTrue();

      // Submitting empty names every problem and changes nothing.
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Book this time")).click();
      assertThat(page.getByRole(AriaRole.ALERT).first().textContent()).contains("Choose a time", "Enter your name");
      assertThat(node.sql("SELECT count(*) FROM proactive.appointment WHERE name = 'Kiss Anna'")).isEqualTo("0");

      // Keyboard only: focus the first time, arrow to the second, type into the labelled fields, Enter to book.
      times.first().focus();
      page.keyboard().press("Space");
      page.keyboard().press("ArrowDown");
      String secondTime = page.locator("label[for='" + times.nth(1).getAttribute("id") + "']").textContent();
      page.getByLabel("Your full name").fill("Kiss Anna");
      page.getByLabel("Your e-mail address").fill("anna@example.hu");
      page.getByLabel("Your e-mail address").press("Enter");

      page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Appointment booked")).waitFor();
      assertThat(page.locator("#booked-time").textContent()).contains(secondTime);
      assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Change or cancel this appointment"))
          .getAttribute("href")).contains("/appointments/?appointment=").contains("&token=");
      assertThat(consoleErrors).isEmpty();
    }

    assertThat(node.sql("SELECT count(*) FROM proactive.appointment WHERE status = 'booked' AND name = 'Kiss Anna'")).isEqualTo("1");
    assertThat(node.sql("SELECT count(*) FROM proactive.appointment WHERE name = 'Kiss Anna'")).isEqualTo("1");
    // The other test's bookings e-mail other people on the same node: find Anna's.
    Await.until(() -> toAnna().isPresent(), "the confirmation reaches the SMTP server");
    MimeMessage confirmation = toAnna().orElseThrow();
    assertThat(ProactiveNode.calendarOf(confirmation)).contains("METHOD:REQUEST\r\n", "STATUS:CONFIRMED\r\n");
    TestNodes.delete(profile);
  }

  @Test
  void theJoinLinkOfABookedAppointmentTakesTheCitizenIntoTheQueueAtTheBookedTime() throws Exception {
    // The next full hour: its first slot starts within the join window (joinEarlyMinutes is 120 on this node).
    ZonedDateTime next = ZonedDateTime.now(ProactiveNode.ZONE).truncatedTo(ChronoUnit.HOURS).plusHours(1);
    node.shift("address-registration", "en", next.toLocalDate(), next.getHour());
    node.shift("address-registration", "en", next.toLocalDate().plusDays(2), 9);
    JsonObject soon = book(0);
    JsonObject later = book(3);
    Path profile = Files.createTempDirectory("ablak-chromium-");
    List<String> consoleErrors = new ArrayList<>();

    try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
         var context = playwright.chromium().launchPersistentContext(profile, new BrowserType.LaunchPersistentContextOptions()
             .setExecutablePath(Path.of("/usr/bin/chromium")).setHeadless(true).setArgs(CHROMIUM_FLAGS).setLocale("en-GB")
             .setPermissions(List.of("camera", "microphone")))) {
      Page page = context.newPage();
      page.onPageError(consoleErrors::add);

      // Days ahead: the manage view says from when the link will be there.
      page.navigate(later.getString("manageUrl"));
      page.locator("#join-later").waitFor();
      assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Join your video appointment")).count()).isZero();

      page.navigate(soon.getString("manageUrl"));
      Locator join = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Join your video appointment"));
      join.waitFor();
      String appointmentId = soon.getJsonObject("appointment").getString("id");
      assertThat(join.getAttribute("href")).isEqualTo("/citizen/?appointment=" + appointmentId + "&token=" + soon.getString("manageToken")
          + "&caseType=address-registration&lang=en");
      join.click();

      page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Check your camera, microphone and speaker")).waitFor();
      page.locator("body[data-devices='ready']").waitFor();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();
      page.getByLabel("I agree that my data is used to handle my case").check();
      page.getByLabel("I agree that the call is recorded").check();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Agree and join the queue")).click();

      page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("You are in the queue")).waitFor();
      page.locator("#queue-position").getByText("1").waitFor();
      assertThat(node.sql("SELECT status FROM proactive.appointment WHERE id = '" + appointmentId + "'")).isEqualTo("joined");
      assertThat(node.sql("SELECT count(*) FROM cases.case_file WHERE case_type = 'address-registration'")).isEqualTo("1");

      // The appointment days ahead cannot be joined now: said plainly, and nothing changes.
      page.navigate(node.server.baseUrl() + "/citizen/?appointment=" + later.getJsonObject("appointment").getString("id")
          + "&token=" + later.getString("manageToken") + "&caseType=address-registration&lang=en");
      page.locator("body[data-devices='ready']").waitFor();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();
      page.getByLabel("I agree that my data is used to handle my case").check();
      page.getByLabel("I agree that the call is recorded").check();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Agree and join the queue")).click();
      page.locator("#join-problem").waitFor();
      assertThat(page.locator("#join-problem").textContent()).startsWith("It is not time for your appointment yet");
      assertThat(node.sql("SELECT status FROM proactive.appointment WHERE id = '" + later.getJsonObject("appointment").getString("id") + "'"))
          .isEqualTo("booked");
      assertThat(consoleErrors).isEmpty();
    }
    TestNodes.delete(profile);
  }

  private static java.util.Optional<MimeMessage> toAnna() {
    return java.util.Arrays.stream(node.mail.getReceivedMessages()).filter(message -> {
      try {
        return message.getAllRecipients()[0].toString().equals("anna@example.hu");
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).findFirst();
  }

  /** Books the n-th free slot of the address registration in English through the REST API, as the booking page does. */
  private static JsonObject book(int nth) {
    LocalDate today = LocalDate.now(ProactiveNode.ZONE);
    HttpResponse<Buffer> slots = node.asCitizen(HttpMethod.GET, "/api/appointments/slots?caseType=address-registration&lang=en&from="
        + today + "&to=" + today.plusDays(3), null);
    assertThat(slots.statusCode()).as(slots.bodyAsString()).isEqualTo(200);
    long slotId = slots.bodyAsJsonArray().getJsonObject(nth).getLong("id");
    HttpResponse<Buffer> booked = node.asCitizen(HttpMethod.POST, "/api/appointments", new JsonObject().put("slotId", slotId)
        .put("caseType", "address-registration").put("language", "en").put("name", "Nagy Béla").put("email", "bela@example.hu"));
    assertThat(booked.statusCode()).as(booked.bodyAsString()).isEqualTo(201);
    return booked.bodyAsJsonObject();
  }
}
