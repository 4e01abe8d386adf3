package ablak.desktop;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

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
}
