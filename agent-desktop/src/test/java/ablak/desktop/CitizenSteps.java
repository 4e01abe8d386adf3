package ablak.desktop;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/** The steps a citizen takes before the queue, for tests about what comes later. */
final class CitizenSteps {

    private CitizenSteps() {
    }

    static void click(Page page, String button) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(button)).click();
    }

    /** Hungarian, "passport expiring", the four pre-call answers: lands on the device check. */
    static void toDeviceCheck(Page page, String query) {
        page.navigate(BrowserTest.server.url("/citizen/" + query));
        click(page, "Magyar");
        click(page, "Lejáró útlevél");
        page.getByLabel("Személyi azonosító").pressSequentially("18503121232");
        page.getByLabel("Családi név").fill("Kiss");
        page.getByLabel("Utónév").fill("Júlia");
        page.getByLabel("Jelenlegi útlevél száma").fill("BA1234567");
        click(page, "Tovább");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Kamera, mikrofon és hangszóró ellenőrzése"))).isVisible();
    }

    /** From a working device check through consent into the queue. */
    static void consentAndJoin(Page page) {
        assertThat(page.locator("body[data-devices='ready']")).isAttached();
        click(page, "Tovább");
        page.getByLabel("Hozzájárulok, hogy adataimat az ügyem intézéséhez felhasználják").check();
        page.getByLabel("Hozzájárulok a hívás rögzítéséhez").check();
        click(page, "Elfogadom, beállok a sorba");
    }
}
