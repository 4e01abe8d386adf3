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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The booking page in Debian's Chromium against a running node: a citizen arriving from a
 * reminder's link picks a time with the keyboard, books it, sees the confirmation, and the
 * confirmation e-mail with its calendar entry reaches the SMTP server.
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
      assertThat(node.sql("SELECT count(*) FROM proactive.appointment")).isEqualTo("0");

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
    assertThat(node.mail.waitForIncomingEmail(15_000, 1)).isTrue();
    MimeMessage confirmation = node.mail.getReceivedMessages()[0];
    assertThat(confirmation.getAllRecipients()[0].toString()).isEqualTo("anna@example.hu");
    assertThat(ProactiveNode.calendarOf(confirmation)).contains("METHOD:REQUEST\r\n", "STATUS:CONFIRMED\r\n");
    TestNodes.delete(profile);
  }
}
