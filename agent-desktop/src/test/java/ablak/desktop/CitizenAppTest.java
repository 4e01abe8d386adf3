package ablak.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

import static ablak.desktop.ScriptedControlServer.message;
import static ablak.desktop.ScriptedControlServer.parse;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class CitizenAppTest extends BrowserTest {

    @Test
    void citizenGoesFromLifeEventThroughQueueAndCallToCaseNumber() throws Exception {
        Page page = newPage(true);
        ScriptedControlServer control = new ScriptedControlServer().install(page)
                .reply("media.offer", request -> null)
                .reply("queue.join", request -> message("queue.joined").put("contactId", "contact-1").put("position", 4).put("estimatedWaitSeconds", 600));
        page.navigate(server.url("/citizen/"));

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Válasszon nyelvet"))).isVisible();
        check(page, "citizen-01-language");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Magyar")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Miben segíthetünk?"))).isVisible();
        check(page, "citizen-02-life-events");

        page.getByLabel("Keresés").fill("koltoz");
        assertThat(page.locator("#life-events li")).hasCount(1);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Költözöm")).click();

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Néhány kérdés a hívás előtt"))).isVisible();
        assertThat(page.getByText("Lakcímkártya", new Page.GetByTextOptions().setExact(true))).isVisible();
        check(page, "citizen-03-questions");

        page.getByLabel("Személyi azonosító").pressSequentially("18503121234");
        assertThat(page.getByLabel("Személyi azonosító")).hasValue("1 850312 1234");
        assertThat(page.getByLabel("Meddig lakik ott?")).isHidden();
        page.getByLabel("Tartózkodási hely (ideiglenes lakcím)").check();
        assertThat(page.getByLabel("Meddig lakik ott? (nem kötelező)")).isVisible();
        page.getByLabel("Irányítószám").fill("1051");
        page.getByLabel("Település").fill("Budapest");
        page.getByLabel("Utca, házszám").fill("Nádor utca 11.");
        page.getByLabel("A költözés napja").fill("2026-11-30");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Tovább")).click();

        assertThat(page.locator("body[data-devices='ready']")).isAttached();
        assertThat(page.getByText("A kamera és a mikrofon működik.")).isVisible();
        check(page, "citizen-04-device-check");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Tovább")).click();
        check(page, "citizen-05-consent");
        page.getByLabel("Hozzájárulok, hogy adataimat az ügyem intézéséhez felhasználják").check();
        page.getByLabel("Hozzájárulok a hívás rögzítéséhez").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Elfogadom, beállok a sorba")).click();

        page.waitForCondition(() -> control.hasReceived("queue.join"));
        JsonNode join = control.last("queue.join");
        assertThat(join.path("caseTypeId").asText()).isEqualTo("address-change");
        assertThat(join.path("answers").path("personalId").asText()).isEqualTo("18503121234");
        assertThat(join.path("answers").path("addressKind").asText()).isEqualTo("temporary");
        assertThat(page.locator("#queue-position")).hasText("4");
        control.push(message("queue.position").put("position", 2).put("estimatedWaitSeconds", 240));
        assertThat(page.locator("#queue-position")).hasText("2");
        assertThat(page.locator("#queue-wait")).hasText("kb. 4 perc");
        check(page, "citizen-06-waiting");

        FarSide clerk = new FarSide(newPage(true), server.url("/"));
        control.push(message("call.started").put("callId", "call-1").put("recording", true));
        clerk.connect(control, page);
        page.waitForCondition(() -> (Boolean) page.evaluate("() => document.querySelector('.call__remote').videoWidth > 0"),
                new Page.WaitForConditionOptions().setTimeout(15_000));
        page.waitForCondition(() -> clerk.framesDecoded() > 0, new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(page.getByText("Felvétel", new Page.GetByTextOptions().setExact(true))).isVisible();

        control.push(message("chat.text").put("callId", "call-1").put("text", "Jó napot kívánok! Kovács Anna vagyok.").put("final", true));
        page.getByLabel("Az Ön üzenete").pressSequentially("Jó napot");
        page.waitForCondition(() -> control.received.stream().anyMatch(m -> "chat.text".equals(m.path("type").asText()) && !m.path("final").asBoolean()));
        check(page, "citizen-07-call");

        control.push(parse("""
                {"type":"case.summary","caseId":"case-1","items":[
                  {"label":{"hu":"Irányítószám","en":"Postcode"},"value":"1051"},
                  {"label":{"hu":"Település","en":"Town"},"value":"Budapest"},
                  {"label":{"hu":"Utca, házszám","en":"Street"},"value":"Nádor utca 11."},
                  {"label":{"hu":"A költözés napja","en":"Date of the move"},"value":"2026-11-30"}]}"""));
        Locator summary = page.locator("#case-summary");
        assertThat(summary).isVisible();
        check(page, "citizen-08-summary");
        summary.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Igen, helyesek")).click();
        page.waitForCondition(() -> control.hasReceived("case.confirm"));
        assertThat(control.last("case.confirm").path("caseId").asText()).isEqualTo("case-1");

        control.push(message("case.submitted").put("caseId", "case-1").put("caseNumber", "KAB-2026-004211"));
        control.push(message("call.ended").put("callId", "call-1").put("reason", "completed"));
        assertThat(page.locator("#case-number")).hasText("KAB-2026-004211");
        check(page, "citizen-09-case-number");
    }

    @Test
    void questionsReportEveryMissingAnswerBesideItsField() throws Exception {
        Page page = newPage(true);
        page.navigate(server.url("/citizen/?lang=en"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("English")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("I am moving house")).click();
        page.getByLabel("Postcode").fill("051");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();

        Locator errors = page.locator(".error-summary");
        assertThat(errors).isFocused();
        assertThat(errors.locator("li")).hasCount(6);
        assertThat(errors).containsText("A postcode has 4 digits, like 1051");
        assertThat(page.getByLabel("Postcode")).hasAttribute("aria-invalid", "true");
        errors.getByText("A postcode has 4 digits, like 1051").click();
        assertThat(page.getByLabel("Postcode")).isFocused();
        page.getByLabel("Postcode").fill("1051");
        assertThat(page.getByLabel("Postcode")).not().hasAttribute("aria-invalid", "true");
        check(page, "citizen-03b-question-errors");
    }

    @Test
    void languageSwitchChangesEveryVisibleText() {
        Page page = newPage(false);
        page.navigate(server.url("/citizen/"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Magyar")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Miben segíthetünk?"))).isVisible();
        assertThat(page.getByText("Költözöm")).isVisible();

        page.getByLabel("Nyelv").selectOption("en");

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("What would you like to do?"))).isVisible();
        assertThat(page.getByText("I am moving house")).isVisible();
        assertThat(page.getByText("Government services on video")).isVisible();
        assertThat(page.getByLabel("Language")).hasValue("en");
        assertThat(page.locator("html")).hasAttribute("lang", "en");
        assertThat(page.locator("body")).not().containsText("Költözöm");
        assertNoConsoleErrors();
    }

    @Test
    void lostConnectionShowsReconnectingAndResumesWithTheToken() {
        Page page = newPage(true);
        ScriptedControlServer control = new ScriptedControlServer().install(page);
        page.navigate(server.url("/citizen/"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Magyar")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Útlevél")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Tovább")).click();
        assertThat(page.locator("body[data-devices='ready']")).isAttached();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Tovább")).click();
        page.getByLabel("Hozzájárulok, hogy adataimat az ügyem intézéséhez felhasználják").check();
        page.getByLabel("Hozzájárulok a hívás rögzítéséhez").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Elfogadom, beállok a sorba")).click();
        page.waitForCondition(() -> control.hasReceived("queue.join"));

        control.dropConnection();

        assertThat(page.locator(".connection-banner")).hasText("Megszakadt a kapcsolat. Újracsatlakozás… A helye megmarad.");
        page.waitForCondition(() -> control.connections() == 2, new Page.WaitForConditionOptions().setTimeout(10_000));
        assertThat(page.locator(".connection-banner")).isHidden();
        assertThat(control.last("hello").path("resumeToken").asText()).isEqualTo("resume-1");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Ön sorban áll"))).isVisible();
    }
}
