package ablak.desktop;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

import static ablak.desktop.ScriptedControlServer.message;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class KioskTest extends BrowserTest {

    @Test
    void inactivityWarnsThenWipesTheVisitBehindThePrivacyScreen() throws Exception {
        Page page = newPage(true, 1080, 1920);
        page.clock().install();
        page.navigate(server.url("/citizen/?kiosk=1"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Üdvözöljük"))).isVisible();
        check(page, "kiosk-01-privacy-screen");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Kezdés")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("English")).click();
        page.getByLabel("Search").fill("passport");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Passport expiring"))).isVisible();

        page.clock().fastForward("01:31");
        assertThat(page.getByRole(AriaRole.ALERTDIALOG, new Page.GetByRoleOptions().setName("Are you still there?"))).isVisible();
        check(page, "kiosk-02-still-there");

        page.clock().fastForward("00:31");

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Üdvözöljük"))).isVisible();
        assertThat(page.getByRole(AriaRole.ALERTDIALOG)).isHidden();
        assertThat(page.locator("body")).not().containsText("passport");
        assertThat((Number) page.evaluate("() => localStorage.length")).isEqualTo(0);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Kezdés")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Magyar")).click();
        assertThat(page.getByLabel("Keresés")).hasValue("");
    }

    @Test
    void answeringTheWarningKeepsTheVisit() {
        Page page = newPage(true, 1080, 1920);
        page.clock().install();
        page.navigate(server.url("/citizen/?kiosk=1"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Kezdés")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Magyar")).click();
        page.getByLabel("Keresés").fill("útlevél");

        page.clock().fastForward("01:31");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Még itt vagyok")).click();
        page.clock().fastForward("00:31");

        assertThat(page.getByLabel("Keresés")).hasValue("útlevél");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Miben segíthetünk?"))).isVisible();
    }

    /**
     * A kiosk page that starts with its visitor's stored visit (a reload while they wait: the node pushes their place
     * after hello) is back on the waiting screen without joining again; leaving the queue resets the kiosk and
     * forgets the visit, so the next reload starts afresh. (The reloads themselves are in signaling's JourneyTest:
     * Playwright's WebSocket routing cannot outlive a reload.)
     */
    @Test
    void aStoredVisitBringsTheWaitingScreenBackAndTheResetForgetsIt() throws Exception {
        Page page = newPage(true, 1080, 1920);
        page.addInitScript("""
                sessionStorage.setItem('ablak.visit', JSON.stringify({ token: 'v1.kept.token', expiresAt: 4102444800,
                  started: { caseId: 'case-1', caseToken: 'case-token-1', version: 1 }, callbackAvailable: false }));""");
        ScriptedControlServer control = new ScriptedControlServer().install(page);
        page.navigate(server.url("/citizen/?kiosk=1"));
        page.waitForCondition(() -> control.hasReceived("hello"));
        assertThat(control.last("hello").path("token").asText()).isEqualTo("v1.kept.token");

        control.push(message("queue.position").put("contactId", "contact-1").put("position", 2).put("estimatedWaitSeconds", 240));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Ön sorban áll"))).isVisible();
        assertThat(page.locator("#queue-position")).hasText("2");
        assertThat(page.locator("#queue-wait")).hasText("kb. 4 perc");
        assertThat(control.hasReceived("queue.join")).as("the kept place, not a new join").isFalse();
        assertAccessible(page, "waiting, restored");
        control.push(message("queue.position").put("contactId", "contact-1").put("position", 1).put("estimatedWaitSeconds", 120));
        assertThat(page.locator("#queue-position")).hasText("1");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Kilépek a sorból")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Igen, kilépek")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Üdvözöljük"))).isVisible();
        page.waitForCondition(() -> control.hasReceived("queue.leave"));
        assertThat(((Number) page.evaluate("() => sessionStorage.length")).intValue()).isZero();
        assertNoConsoleErrors();
    }
}
