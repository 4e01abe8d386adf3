package ablak.desktop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static ablak.desktop.ScriptedControlServer.message;
import static ablak.desktop.ScriptedControlServer.parse;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class ClerkDesktopTest extends BrowserTest {

    /** The staff endpoints as docs/openapi.yaml gives them: no session until the right password is posted. */
    static void staffSession(Page page, String name, String role) {
        boolean[] signedIn = {false};
        String user = "{\"id\":\"u-1\",\"name\":\"" + name + "\",\"role\":\"" + role + "\",\"expiresAt\":1795399928}";
        page.route("**/api/auth/login", route -> {
            signedIn[0] = route.request().postData().contains("\"password\":\"correct horse\"");
            route.fulfill(new Route.FulfillOptions().setStatus(signedIn[0] ? 200 : 401).setContentType("application/json")
                    .setBody(signedIn[0] ? user : "{\"code\":\"invalid_credentials\",\"message\":\"wrong username or password\"}"));
        });
        page.route("**/api/auth/me", route -> route.fulfill(new Route.FulfillOptions().setStatus(signedIn[0] ? 200 : 401)
                .setContentType("application/json").setBody(signedIn[0] ? user : "{\"code\":\"unauthenticated\",\"message\":\"sign in\"}")));
    }

    @Test
    void clerkSignsInGoesAvailableAnswersTheRingingOfferAndSubmitsTheCase() throws Exception {
        Page page = newPage(true, 1440, 900);
        staffSession(page, "Kovács Anna", "clerk");
        ScriptedControlServer control = new ScriptedControlServer().install(page)
                .reply("media.offer", request -> null)
                .reply("clerk.state", request -> message("clerk.state").put("state", request.path("state").asText()).put("since", System.currentTimeMillis()))
                .reply("case.submit", request -> message("case.submitted").put("caseId", "case-1").put("caseNumber", "KAB-2026-004211"));
        page.navigate(server.url("/clerk/"));

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Bejelentkezés"))).isVisible();
        check(page, "clerk-01-sign-in");
        page.getByLabel("Felhasználónév").fill("anna.kovacs");
        page.getByLabel("Jelszó").fill("correct horse");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Bejelentkezés")).click();

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Üdvözöljük, Kovács Anna"))).isVisible();
        page.waitForCondition(() -> control.hasReceived("hello"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Elérhető leszek")).click();
        page.waitForCondition(() -> control.hasReceived("clerk.state"));
        assertThat(control.last("clerk.state").path("state").asText()).isEqualTo("available");
        assertThat(page.locator("#clerk-state")).hasText("Elérhető");
        check(page, "clerk-02-available");

        control.push(parse("""
                {"type":"queue.offer","offerId":"offer-1","contactId":"contact-1","caseTypeId":"address-registration",
                 "caseTypeName":"Lakcímbejelentés",
                 "language":"hu","waitedSeconds":125,"ringSeconds":20}"""));
        control.push(message("clerk.state").put("state", "offered").put("since", System.currentTimeMillis()));
        assertThat(page.getByRole(AriaRole.ALERTDIALOG, new Page.GetByRoleOptions().setName("Bejövő hívás"))).isVisible();
        assertThat(page.locator("#offer-case-type")).hasText("Lakcímbejelentés");
        check(page, "clerk-03-incoming-offer");

        page.keyboard().press("Alt+A");
        page.waitForCondition(() -> control.hasReceived("queue.offer.accept"));
        assertThat(control.last("queue.offer.accept").path("offerId").asText()).isEqualTo("offer-1");

        ObjectNode started = message("call.started").put("callId", "call-1").put("caseId", "case-1").put("recording", true).put("videoIdentification", true);
        started.set("form", parse(Files.readString(Path.of("src/test/resources/fixtures/forms/address-registration.hu.json"))));
        started.set("answers", parse("""
                {"applicant":{"personalId":"18503121232","familyName":"Kiss","givenNames":"Júlia"},
                 "newAddress":{"postcode":"1051","city":"Budapest","street":"Nádor utca","houseNumber":"11"},"addressType":"temporary"}"""));
        FarSide citizen = new FarSide(newPage(true), server.url("/"));
        control.push(started);
        control.push(message("clerk.state").put("state", "busy").put("since", System.currentTimeMillis()));
        citizen.connect(control, page);
        page.waitForCondition(() -> (Boolean) page.evaluate("() => document.querySelector('.call__remote').videoWidth > 0"),
                new Page.WaitForConditionOptions().setTimeout(15_000));
        page.waitForCondition(() -> citizen.framesDecoded() > 0, new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(page.getByLabel("Személyi azonosító")).hasValue("1-850312-1232");
        assertThat(page.locator("#identification-panel")).isVisible();
        assertThat(page.locator(".desk-call__case details")).containsText("tartózkodási hely");
        assertThat(page.locator(".desk-call__case details")).containsText("1-850312-1232");

        page.getByLabel("Beköltözés napja").fill("2026-11-30");
        page.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("Ön a lakás tulajdonosa?")).getByLabel("nem").check();
        page.getByLabel("A tulajdonos neve (szállásadó)").fill("Szabó Béla");
        page.waitForCondition(() -> control.hasReceived("case.update")
                && "Szabó Béla".equals(control.last("case.update").path("data").path("ownerName").asText()));
        assertThat(control.last("case.update").path("data").path("moveInDate").asText()).isEqualTo("2026-11-30");
        assertThat(control.last("case.update").path("data").path("ownsProperty").asBoolean(true)).isFalse();
        page.locator(".desk-call__case").evaluate("panel => panel.scrollTop = 0");
        check(page, "clerk-04-call-with-case-form");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Jóváhagyás kérése az ügyféltől")).click();
        page.waitForCondition(() -> control.hasReceived("case.review"));
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Ügy beküldése"))).isDisabled();
        control.push(message("case.confirmed").put("caseId", "case-1"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Ügy beküldése")).click();
        assertThat(page.locator("#case-status")).containsText("KAB-2026-004211");

        page.keyboard().press("Alt+E");
        page.waitForCondition(() -> control.hasReceived("call.end"));
        control.push(message("call.ended").put("callId", "call-1").put("wrapUpSeconds", 90));
        control.push(message("clerk.state").put("state", "wrapup").put("since", System.currentTimeMillis()));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Utómunka"))).isVisible();
        assertThat(page.getByRole(AriaRole.TIMER)).isVisible();
        check(page, "clerk-05-wrap-up");

        page.getByLabel("Hogyan zárult a hívás?").selectOption("resolved");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Készen állok a következő hívásra")).click();
        page.waitForCondition(() -> control.hasReceived("wrapup.done"));
        assertThat(control.last("wrapup.done").path("disposition").asText()).isEqualTo("resolved");
    }

    @Test
    void wrongPasswordIsRefusedWithAMessageAndFocusBackOnThePassword() {
        Page page = newPage(false);
        staffSession(page, "Kovács Anna", "clerk");
        page.navigate(server.url("/clerk/"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Bejelentkezés")).click();
        assertThat(page.getByText("Adja meg a felhasználónevét")).isVisible();

        page.getByLabel("Felhasználónév").fill("anna.kovacs");
        page.getByLabel("Jelszó").fill("wrong");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Bejelentkezés")).click();

        assertThat(page.getByRole(AriaRole.ALERT).filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("nem megfelelő"))).isVisible();
        assertThat(page.getByLabel("Jelszó")).isFocused();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Bejelentkezés"))).isVisible();
    }

    @Test
    void questionMarkOpensTheShortcutListAndEscapeClosesIt() throws Exception {
        Page page = newPage(false);
        staffSession(page, "Kovács Anna", "clerk");
        new ScriptedControlServer().install(page);
        page.navigate(server.url("/clerk/"));
        page.getByLabel("Felhasználónév").fill("anna.kovacs");
        page.getByLabel("Jelszó").fill("correct horse");
        page.getByLabel("Jelszó").press("Enter");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Üdvözöljük, Kovács Anna"))).isVisible();

        page.locator("body").press("?");
        assertThat(page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Billentyűparancsok"))).isVisible();
        check(page, "clerk-06-shortcuts");
        page.keyboard().press("Escape");
        assertThat(page.getByRole(AriaRole.DIALOG)).isHidden();
    }
}
