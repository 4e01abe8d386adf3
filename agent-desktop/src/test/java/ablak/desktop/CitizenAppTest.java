package ablak.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
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
                .reply("queue.join", request -> message("queue.joined").put("contactId", "contact-1").put("queueId", "address")
                        .put("position", 4).put("estimatedWaitSeconds", 600))
                .reply("case.watch", request -> parse("""
                        {"type":"case.state","id":"case-1","caseType":"address-registration","formVersion":1,"status":"DRAFT","version":1,
                         "data":{},"confirmedVersion":null,"caseNumber":null}"""))
                .reply("case.confirm", request -> message("case.confirmed").put("id", "case-1").put("status", "CONFIRMED").put("version", 3));
        page.navigate(server.url("/citizen/"));

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Válasszon nyelvet"))).isVisible();
        check(page, "citizen-01-language");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Magyar")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Miben segíthetünk?"))).isVisible();
        check(page, "citizen-02-life-events");

        page.getByLabel("Keresés").fill("koltozes");
        assertThat(page.locator("#life-events li")).hasCount(1);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Költözés")).click();

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Néhány kérdés a hívás előtt"))).isVisible();
        assertThat(page.locator("aside").getByText("Lakcímkártya", new Locator.GetByTextOptions().setExact(true))).isVisible();
        check(page, "citizen-03-questions");

        page.getByLabel("Személyi azonosító").pressSequentially("18503121232");
        assertThat(page.getByLabel("Személyi azonosító")).hasValue("1-850312-1232");
        page.getByLabel("Családi név").fill("Kiss");
        page.getByLabel("Utónév").fill("Júlia");
        page.getByLabel("Irányítószám").fill("1051");
        page.getByLabel("Település").fill("Budapest");
        page.getByLabel("Közterület neve és jellege").fill("Nádor utca");
        page.getByLabel("Házszám").fill("11");
        page.getByLabel("tartózkodási hely").check();
        page.getByLabel("Beköltözés napja").fill("2026-11-30");
        assertThat(page.getByLabel("Ön a lakás tulajdonosa?")).hasCount(0);
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
        JsonNode draft = parse(server.lastCaseRequest);
        assertThat(server.lastCaseAuthorization).isEqualTo("Bearer v1.visit.token");
        assertThat(draft.path("caseType").asText()).isEqualTo("address-registration");
        assertThat(draft.path("language").asText()).isEqualTo("hu");
        assertThat(draft.path("answers").path("applicant").path("personalId").asText()).isEqualTo("18503121232");
        assertThat(draft.path("answers").path("newAddress").path("postcode").asText()).isEqualTo("1051");
        assertThat(draft.path("answers").path("addressType").asText()).isEqualTo("temporary");
        assertThat(draft.path("answers").has("door")).isFalse();
        JsonNode join = control.last("queue.join");
        assertThat(join.path("caseTypeId").asText()).isEqualTo("address-registration");
        assertThat(join.path("language").asText()).isEqualTo("hu");
        assertThat(join.path("caseId").asText()).isEqualTo("case-1");
        assertThat(join.path("caseToken").asText()).isEqualTo("case-token-1");
        assertThat(join.path("consent").path("recording").asBoolean()).isTrue();
        assertThat(join.path("kiosk").asBoolean()).isFalse();
        assertThat(page.locator("#queue-position")).hasText("4");
        assertThat(page.locator("#long-wait")).isHidden();
        control.push(message("queue.position").put("contactId", "contact-1").put("position", 9).put("estimatedWaitSeconds", 2400));
        assertThat(page.locator("#long-wait").getByRole(AriaRole.LINK)).hasAttribute("href", "/appointments/?caseType=address-registration&lang=hu");
        control.push(message("queue.position").put("contactId", "contact-1").put("position", 2).put("estimatedWaitSeconds", 240));
        assertThat(page.locator("#long-wait")).isHidden();
        assertThat(page.locator("#queue-position")).hasText("2");
        assertThat(page.locator("#queue-wait")).hasText("kb. 4 perc");
        check(page, "citizen-06-waiting");

        FarSide clerk = new FarSide(newPage(true), server.url("/")).serveWhip(page);
        control.push(parse("""
                {"type":"call.started","callId":"call-1","caseId":"case-1","role":"citizen","recording":true,"videoIdentification":false,
                 "media":{"whipUrl":"%s","token":"media-token-1"},"iceServers":[]}""".formatted(server.url("/whip/calls/call-1"))));
        page.waitForCondition(() -> (Boolean) page.evaluate("() => document.querySelector('.call__remote')?.videoWidth > 0"),
                new Page.WaitForConditionOptions().setTimeout(15_000));
        page.waitForCondition(() -> clerk.framesDecoded() > 0, new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(clerk.requests).hasSize(1);
        assertThat(clerk.requests.get(0)).containsEntry("path", "/whip/calls/call-1").containsEntry("authorization", "Bearer media-token-1")
                .containsEntry("contentType", "application/sdp");
        assertThat(page.getByText("Felvétel", new Page.GetByTextOptions().setExact(true))).isVisible();
        assertThat(control.last("case.watch").path("caseId").asText()).isEqualTo("case-1");
        assertThat(control.last("case.watch").path("caseToken").asText()).isEqualTo("case-token-1");

        control.push(message("chat.text").put("callId", "call-1").put("text", "Jó napot kívánok! Kovács Anna vagyok.").put("final", true));
        page.getByLabel("Az Ön üzenete").pressSequentially("Jó napot");
        page.waitForCondition(() -> control.received.stream().anyMatch(m -> "chat.text".equals(m.path("type").asText()) && !m.path("final").asBoolean()));
        verify(page, "citizen-07-call");

        page.route("**/api/cases/case-1/summary?lang=hu", route -> {
            boolean authorized = "Bearer v1.visit.token".equals(route.request().headers().get("authorization"))
                    && "case-token-1".equals(route.request().headers().get("case-token"));
            route.fulfill(new Route.FulfillOptions().setStatus(authorized ? 200 : 403).setContentType("application/json").setBody("""
                {"caseId":"case-1","version":3,"status":"DRAFT","caseTypeName":"Lakcímbejelentés","lines":[
                  {"group":"Kérelmező","field":"/applicant/familyName","label":"Családi név","value":"Kiss"},
                  {"group":"Kérelmező","field":"/applicant/givenNames","label":"Utónév","value":"Júlia"},
                  {"group":"Új lakcím","field":"/newAddress/postcode","label":"Irányítószám","value":"1051"},
                  {"group":"Új lakcím","field":"/newAddress/city","label":"Település","value":"Budapest"},
                  {"group":"Új lakcím","field":"/newAddress/street","label":"Közterület neve és jellege","value":"Nádor utca"},
                  {"group":"Új lakcím","field":"/newAddress/houseNumber","label":"Házszám","value":"11"},
                  {"group":"Új lakcím","field":"/addressType","label":"Lakcím fajtája","value":"tartózkodási hely"},
                  {"group":"Új lakcím","field":"/moveInDate","label":"Beköltözés napja","value":"2026-11-30"}]}"""));
        });
        control.push(message("case.review").put("caseId", "case-1").put("version", 3));
        Locator summary = page.locator("#case-summary");
        assertThat(summary).isVisible();
        verify(page, "citizen-08-summary");
        summary.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Igen, helyesek")).click();
        page.waitForCondition(() -> control.hasReceived("case.confirm"));
        JsonNode confirm = control.last("case.confirm");
        assertThat(confirm.path("caseId").asText()).isEqualTo("case-1");
        assertThat(confirm.path("caseToken").asText()).isEqualTo("case-token-1");
        assertThat(confirm.path("version").asInt()).isEqualTo(3);
        assertThat(summary).containsText("Köszönjük");

        control.push(parse("""
                {"type":"case.changed","id":"case-1","status":"SUBMITTED","version":4,"confirmedVersion":3,"caseNumber":"KAB-2026-004211","data":{}}"""));
        assertThat(page.locator("#call-case-number")).hasText("KAB-2026-004211");
        control.push(message("call.ended").put("callId", "call-1").put("reason", "completed"));
        assertThat(page.locator("#case-number")).hasText("KAB-2026-004211");
        page.waitForCondition(() -> clerk.received("DELETE"));
        assertThat(clerk.requests.get(1)).containsEntry("path", FarSide.SESSION).containsEntry("authorization", "Bearer media-token-1");
        verify(page, "citizen-09-case-number");
    }

    @Test
    void aClosedQueueOffersAnAppointmentForTheSameServiceAndLanguage() throws Exception {
        Page page = newPage(true);
        new ScriptedControlServer().install(page).reply("queue.join", request -> message("error").put("code", "queue_closed")
                .put("message", "the queue is closed").put("nextOpening", "2026-12-02T07:00:00Z"));
        CitizenSteps.toDeviceCheck(page, "");
        CitizenSteps.consentAndJoin(page);

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("A videós ügyintézés most zárva van"))).isVisible();
        assertThat(page.locator("#next-opening")).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Videós időpont foglalása")))
                .hasAttribute("href", "/appointments/?caseType=passport-renewal&lang=hu");
        check(page, "citizen-06b-closed");
    }

    @Test
    void anUnknownWaitIsSaidPlainlyAndNoCallBackIsOfferedWhenTheServerCannotSendOne() {
        Page page = newPage(true);
        new ScriptedControlServer().install(page)
                .reply("queue.join", request -> message("queue.joined").put("contactId", "contact-1").put("queueId", "passport-renewal")
                        .put("position", 3).putNull("estimatedWaitSeconds").put("callbackAvailable", false));
        CitizenSteps.toDeviceCheck(page, "");
        CitizenSteps.consentAndJoin(page);
        assertThat(page.locator("#queue-position")).hasText("3");
        assertThat(page.locator("#queue-wait")).hasText("még nem ismert");

        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Kilépek, hívjanak vissza"))).isHidden();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Kilépek a sorból"))).isVisible();
        assertNoConsoleErrors();
    }

    @Test
    void theCitizenLeavesWithAnEmailAddressToBeCalledBack() throws Exception {
        Page page = newPage(true);
        java.util.concurrent.atomic.AtomicBoolean stillWaiting = new java.util.concurrent.atomic.AtomicBoolean(false);
        ScriptedControlServer control = new ScriptedControlServer().install(page)
                .reply("queue.join", request -> message("queue.joined").put("contactId", "contact-1").put("queueId", "passport-renewal")
                        .put("position", 7).put("estimatedWaitSeconds", 1500).put("callbackAvailable", true))
                .reply("queue.leave", request -> stillWaiting.getAndSet(false)
                        ? message("error").put("code", "invalid_state").put("message", "only a citizen still waiting can be called back")
                        : message("queue.left").put("contactId", "contact-1").set("callback", parse("""
                            {"callbackId":"cb-1","email":"%s"}""".formatted(request.path("callback").path("email").asText()))));
        CitizenSteps.toDeviceCheck(page, "");
        CitizenSteps.consentAndJoin(page);
        assertThat(page.locator("#queue-position")).hasText("7");

        CitizenSteps.click(page, "Kilépek, hívjanak vissza");
        assertThat(page.getByText("Megtartjuk a helyét. Amikor közeledik a sora, e-mailben küldünk egy linket, amellyel egyből visszatérhet.")).isVisible();
        page.getByLabel("E-mail-cím").fill("kiss.julia@");
        CitizenSteps.click(page, "Írjanak, amikor én következem");
        assertThat(page.getByText("Adjon meg egy e-mail-címet, például: nev@example.hu")).isVisible();
        assertThat(control.hasReceived("queue.leave")).as("a malformed address is not sent").isFalse();
        check(page, "citizen-06c-callback-form");

        // A clerk is connecting meanwhile: the server refuses, the citizen stays.
        stillWaiting.set(true);
        page.getByLabel("E-mail-cím").fill("kiss.julia@example.hu");
        CitizenSteps.click(page, "Írjanak, amikor én következem");
        assertThat(page.getByText("Az ügyintéző már kapcsolódik Önhöz: kérjük, maradjon.")).isVisible();

        CitizenSteps.click(page, "Írjanak, amikor én következem");

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Megtartjuk a helyét"))).isVisible();
        assertThat(page.locator("#callback-confirmation")).containsText("kiss.julia@example.hu");
        assertThat(control.last("queue.leave").path("callback").path("email").asText()).isEqualTo("kiss.julia@example.hu");
        check(page, "citizen-06d-callback-kept");
    }

    @Test
    void theCallBackLinkBringsTheCitizenStraightBackToTheQueueWithoutTheQuestions() {
        Page page = newPage(true);
        ScriptedControlServer control = new ScriptedControlServer().install(page)
                .reply("queue.join", request -> message("queue.joined").put("contactId", "contact-2").put("queueId", "passport-renewal")
                        .put("position", 1).put("estimatedWaitSeconds", 0).put("callbackAvailable", true)
                        .put("caseTypeId", "passport-renewal").put("language", "hu").put("caseId", "case-9").put("caseToken", "case-token-9"));
        server.lastCaseRequest = null;
        page.navigate(server.url("/citizen/?callback=0b4e7a52-2f7c-4d3e-9a51-6c0e0e4f5a10&token=rejoin-token-1&lang=hu"));

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Kamera, mikrofon és hangszóró ellenőrzése"))).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Vissza"))).hasCount(0);
        CitizenSteps.consentAndJoin(page);

        assertThat(page.locator("#queue-position")).hasText("1");
        JsonNode join = control.last("queue.join");
        assertThat(join.path("callbackId").asText()).isEqualTo("0b4e7a52-2f7c-4d3e-9a51-6c0e0e4f5a10");
        assertThat(join.path("callbackToken").asText()).isEqualTo("rejoin-token-1");
        assertThat(join.has("caseId")).as("the server gives the case back").isFalse();
        assertThat(server.lastCaseRequest).as("no new draft").isNull();
        assertThat(join.path("consent").path("recording").asBoolean()).isTrue();
        assertNoConsoleErrors();
    }

    @Test
    void aUsedCallBackLinkIsSaidPlainly() {
        Page page = newPage(true);
        new ScriptedControlServer().install(page).reply("queue.join", request -> message("error").put("code", "callback_closed")
                .put("message", "this call-back link was used or has expired"));
        page.navigate(server.url("/citizen/?callback=0b4e7a52-2f7c-4d3e-9a51-6c0e0e4f5a10&token=old&lang=hu"));
        CitizenSteps.consentAndJoin(page);

        assertThat(page.locator("#join-problem"))
                .hasText("Ezt a visszahívási linket már felhasználták, vagy lejárt. Kérjük, kezdje újra, és álljon be a sorba.");
    }

    private static final String APPOINTMENT_LINK =
            "/citizen/?appointment=5d6f0c1e-8a3b-4c2d-9e7f-102938475601&token=manage-token-1&caseType=passport-renewal&lang=en";

    /** Opens the booking page's join link in a new page whose server answers queue.join with the refusal (or joins, for null). */
    private ScriptedControlServer joinFromAppointmentLink(Page page, String refusal) {
        ScriptedControlServer control = new ScriptedControlServer().install(page)
                .reply("queue.join", request -> refusal != null
                        ? message("error").put("code", refusal).put("message", "refused")
                        : message("queue.joined").put("contactId", "contact-3").put("queueId", "passport-renewal").put("position", 1)
                                .put("estimatedWaitSeconds", 0).put("callbackAvailable", false));
        page.navigate(server.url(APPOINTMENT_LINK));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Check your camera, microphone and speaker"))).isVisible();
        assertThat(page.locator("body[data-devices='ready']")).isAttached();
        CitizenSteps.click(page, "Continue");
        page.getByLabel("I agree that my data is used to handle my case").check();
        page.getByLabel("I agree that the call is recorded").check();
        CitizenSteps.click(page, "Agree and join the queue");
        return control;
    }

    @Test
    void theAppointmentLinkStartsTheDraftAndJoinsForTheBooking() {
        Page page = newPage(true);
        ScriptedControlServer control = joinFromAppointmentLink(page, null);

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("You are in the queue"))).isVisible();
        assertThat(page.locator("#queue-position")).hasText("1");
        JsonNode join = control.last("queue.join");
        assertThat(join.path("appointmentId").asText()).isEqualTo("5d6f0c1e-8a3b-4c2d-9e7f-102938475601");
        assertThat(join.path("appointmentToken").asText()).isEqualTo("manage-token-1");
        assertThat(join.path("caseTypeId").asText()).isEqualTo("passport-renewal");
        assertThat(join.path("language").asText()).isEqualTo("en");
        assertThat(join.path("caseId").asText()).isEqualTo("case-1");
        assertThat(parse(server.lastCaseRequest).path("caseType").asText()).isEqualTo("passport-renewal");
        assertNoConsoleErrors();
    }

    @Test
    void anAppointmentThatCannotBeJoinedNowIsSaidPlainly() {
        Page early = newPage(true);
        joinFromAppointmentLink(early, "outside_appointment_time");
        assertThat(early.locator("#join-problem")).hasText(
                "It is not time for your appointment yet, or it is over. You can join from a few minutes before the booked time until its end.");
        assertThat(early.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Open your appointment")))
                .hasAttribute("href", "/appointments/?appointment=5d6f0c1e-8a3b-4c2d-9e7f-102938475601&token=manage-token-1");

        Page closed = newPage(true);
        joinFromAppointmentLink(closed, "appointment_closed");
        assertThat(closed.locator("#join-problem")).hasText("This appointment was cancelled or missed. You can book a new one.");
    }

    @Test
    void questionsReportEveryMissingOrWrongAnswerBesideItsFieldAndClearItWhenFixed() throws Exception {
        Page page = newPage(true);
        page.navigate(server.url("/citizen/?lang=en"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("English")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Moving house")).click();
        page.getByLabel("Personal identifier").pressSequentially("18503121233");
        page.getByLabel("Postcode").fill("051");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();

        Locator errors = page.locator(".error-summary");
        assertThat(errors).isFocused();
        assertThat(errors.locator("li")).hasCount(9);
        assertThat(errors).containsText("Postcode: four digits, for example 1052.");
        assertThat(errors).containsText("Personal identifier: 11 digits with a valid check digit (for example 1-850312-1232).");
        assertThat(page.getByLabel("Postcode")).hasAttribute("aria-invalid", "true");
        check(page, "citizen-03b-question-errors");

        errors.getByText("Postcode: four digits, for example 1052.").click();
        assertThat(page.getByLabel("Postcode")).isFocused();
        page.getByLabel("Postcode").fill("1051");
        assertThat(page.getByLabel("Postcode")).not().hasAttribute("aria-invalid", "true");
    }

    @Test
    void aQuestionAppearsOnlyWhenAnEarlierAnswerCallsForItAndIsThenRequired() {
        Page page = newPage(true);
        page.navigate(server.url("/citizen/"));
        CitizenSteps.click(page, "Magyar");
        CitizenSteps.click(page, "Elveszett vagy lejáró személyi igazolvány");
        assertThat(page.getByLabel("Az elvesztés napja")).isHidden();

        page.getByLabel("elveszett").check();
        assertThat(page.getByLabel("Az elvesztés napja")).isVisible();
        CitizenSteps.click(page, "Tovább");
        assertThat(page.locator(".error-summary")).containsText("Az elvesztés napja: elvesztett vagy ellopott igazolványnál kötelező.");

        page.getByLabel("lejár").check();
        assertThat(page.getByLabel("Az elvesztés napja")).isHidden();
        assertThat(page.locator(".error-summary li")).not().containsText(new String[] {"Az elvesztés napja"});
        assertNoConsoleErrors();
    }

    @Test
    void languageSwitchChangesEveryVisibleText() {
        Page page = newPage(false);
        page.navigate(server.url("/citizen/"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Magyar")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Miben segíthetünk?"))).isVisible();
        assertThat(page.getByText("Költözés", new Page.GetByTextOptions().setExact(true))).isVisible();

        page.getByLabel("Nyelv").selectOption("en");

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("What would you like to do?"))).isVisible();
        assertThat(page.getByText("Moving house", new Page.GetByTextOptions().setExact(true))).isVisible();
        assertThat(page.getByText("Government services on video")).isVisible();
        assertThat(page.getByLabel("Language")).hasValue("en");
        assertThat(page.locator("html")).hasAttribute("lang", "en");
        assertThat(page.locator("body")).not().containsText("Költözés");
        assertNoConsoleErrors();
    }

    /**
     * The call ended while the connection was lost (its call.ended reached nobody): back, the app asks call.media,
     * and unknown_call with waiting says the citizen waits in the queue again, so the waiting screen says why.
     */
    @Test
    void aCallThatEndedWhileTheConnectionWasLostGoesBackToTheQueueTheServerKeptTheCitizenIn() {
        Page page = newPage(true);
        ScriptedControlServer control = new ScriptedControlServer().install(page)
                .reply("queue.join", request -> message("queue.joined").put("contactId", "contact-1").put("queueId", "passport-renewal")
                        .put("position", 1).put("estimatedWaitSeconds", 60))
                .reply("call.media", request -> message("error").put("code", "unknown_call").put("message", "no call call-1 in progress")
                        .put("waiting", true));
        CitizenSteps.toDeviceCheck(page, "");
        CitizenSteps.consentAndJoin(page);
        page.waitForCondition(() -> control.hasReceived("queue.join"));
        FarSide clerk = new FarSide(newPage(true), server.url("/")).serveWhip(page);
        control.push(parse("""
                {"type":"call.started","callId":"call-1","caseId":"case-1","role":"citizen","recording":false,"videoIdentification":false,
                 "media":{"whipUrl":"%s","token":"media-token-1"},"iceServers":[]}""".formatted(server.url("/whip/calls/call-1"))));
        page.waitForCondition(() -> (Boolean) page.evaluate("() => document.querySelector('.call__remote')?.videoWidth > 0"),
                new Page.WaitForConditionOptions().setTimeout(15_000));
        page.waitForCondition(() -> clerk.framesDecoded() > 0, new Page.WaitForConditionOptions().setTimeout(15_000));

        control.dropConnection();

        assertThat(page.locator("#waiting-again")).hasText(
                "A hívás véget ért, amíg nem volt kapcsolat. A helye megmarad a sorban, és a következő szabad ügyintéző kapcsolódik Önhöz.",
                new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(10_000));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Ön sorban áll"))).isVisible();
        assertThat(control.last("call.media").path("callId").asText()).isEqualTo("call-1");
        page.waitForCondition(() -> clerk.received("DELETE"));
        verify(page, "citizen-waiting-after-a-call-ended-while-away");
    }

    @Test
    void lostConnectionShowsReconnectingAndResumesWithTheToken() {
        Page page = newPage(true);
        ScriptedControlServer control = new ScriptedControlServer().install(page);
        CitizenSteps.toDeviceCheck(page, "");
        CitizenSteps.consentAndJoin(page);
        page.waitForCondition(() -> control.hasReceived("queue.join"));

        control.dropConnection();

        assertThat(page.locator(".connection-banner")).hasText("Megszakadt a kapcsolat. Újracsatlakozás… A helye megmarad.");
        page.waitForCondition(() -> control.connections() == 2, new Page.WaitForConditionOptions().setTimeout(10_000));
        assertThat(page.locator(".connection-banner")).isHidden();
        assertThat(control.last("resume").path("token").asText()).isEqualTo("resume-1");
        assertThat(control.received.stream().filter(m -> "hello".equals(m.path("type").asText())).count()).isEqualTo(1);
        assertThat(control.last("hello").path("token").asText()).isEqualTo("v1.visit.token");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Ön sorban áll"))).isVisible();
    }
}
