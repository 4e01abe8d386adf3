package ablak.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

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

    /** A case as the server's replies and pushes carry it, flat beside the type. */
    static ObjectNode caseView(String type, int version, String status, ObjectNode data) {
        ObjectNode view = message(type).put("id", "case-1").put("caseType", "address-registration").put("formVersion", 2)
                .put("language", "hu").put("status", status).put("version", version);
        view.set("data", data);
        return view;
    }

    @Test
    void clerkSignsInGoesAvailableAnswersTheRingingOfferAndSubmitsTheCase() throws Exception {
        Page page = newPage(true, 1440, 900);
        staffSession(page, "Kovács Anna", "clerk");
        int[] version = {1};
        ScriptedControlServer control = new ScriptedControlServer().install(page)
                .reply("clerk.state", request -> message("clerk.state").put("state", request.path("state").asText()).put("since", System.currentTimeMillis()))
                .reply("case.watch", request -> caseView("case.state", version[0], "DRAFT", parse("""
                        {"applicant":{"personalId":"18503121232","familyName":"Kiss","givenNames":"Júlia"},
                         "newAddress":{"postcode":"1051","city":"Budapest","street":"Nádor utca","houseNumber":"11"},"addressType":"temporary"}""")))
                .reply("case.save", request -> request.path("expectedVersion").asInt() == version[0]
                        ? caseView("case.saved", ++version[0], "DRAFT", (ObjectNode) request.path("data"))
                        : message("error").put("code", "version_conflict").put("message", "someone saved first"))
                .reply("case.review", request -> message("case.review"))
                .reply("case.submit", request -> {
                    ObjectNode submitted = message("case.submitted").put("replayed", false);
                    submitted.set("caseView", caseView("case", version[0], "SUBMITTED", parse("{}")).put("caseNumber", "KAB-2026-004211"));
                    return submitted;
                });
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

        FarSide citizen = new FarSide(newPage(true), server.url("/")).serveWhip(page);
        control.push(parse("""
                {"type":"call.started","callId":"call-1","caseId":"case-1","role":"clerk","recording":true,"videoIdentification":true,
                 "caseTypeId":"address-registration","formVersion":2,"language":"hu","citizenName":"Kiss Júlia",
                 "media":{"whipUrl":"%s","token":"media-token-clerk"},"iceServers":[]}""".formatted(server.url("/whip/calls/call-1"))));
        control.push(message("clerk.state").put("state", "busy").put("since", System.currentTimeMillis()));
        page.waitForCondition(() -> (Boolean) page.evaluate("() => document.querySelector('.call__remote')?.videoWidth > 0"),
                new Page.WaitForConditionOptions().setTimeout(15_000));
        page.waitForCondition(() -> citizen.framesDecoded() > 0, new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(citizen.requests.get(0)).containsEntry("authorization", "Bearer media-token-clerk");
        assertThat(control.last("case.watch").path("caseId").asText()).isEqualTo("case-1");
        assertThat(control.last("case.watch").path("reason").asText()).isNotBlank();
        assertThat(page.locator("#citizen-name")).hasText("Kiss Júlia");
        assertThat(page.getByLabel("Személyi azonosító")).hasValue("1-850312-1232");
        // The call needs video identification: the panel is ready to start the checklist.
        assertThat(page.locator("#identification-panel")).containsText("Azonosítás indítása");
        assertThat(page.locator(".desk-call__case details")).containsText("tartózkodási hely");
        assertThat(page.locator(".desk-call__case details")).containsText("1-850312-1232");

        page.getByLabel("Beköltözés napja").fill("2026-11-30");
        page.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("Ön a lakás tulajdonosa?")).getByLabel("nem").check();
        page.getByLabel("A tulajdonos neve (szállásadó)").fill("Szabó Béla");
        page.waitForCondition(() -> control.hasReceived("case.save")
                && "Szabó Béla".equals(control.last("case.save").path("data").path("ownerName").asText()));
        JsonNode save = control.last("case.save");
        assertThat(save.path("data").path("moveInDate").asText()).isEqualTo("2026-11-30");
        assertThat(save.path("data").path("ownsProperty").asBoolean(true)).isFalse();
        assertThat(save.path("expectedVersion").asInt()).isEqualTo(version[0] - 1);
        assertThat(save.path("reason").asText()).isNotBlank();
        page.locator(".desk-call__case").evaluate("panel => panel.scrollTop = 0");
        verify(page, "clerk-04-call-with-case-form");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Jóváhagyás kérése az ügyféltől")).click();
        page.waitForCondition(() -> control.hasReceived("case.review"));
        assertThat(control.last("case.review").path("version").asInt()).isEqualTo(version[0]);
        assertThat(control.last("case.review").path("callId").asText()).isEqualTo("call-1");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Ügy beküldése"))).isDisabled();
        control.push(caseView("case.changed", version[0], "CONFIRMED", parse("{}")).put("confirmedVersion", version[0]));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Ügy beküldése")).click();
        assertThat(page.locator("#case-status")).containsText("KAB-2026-004211");
        assertThat(control.last("case.submit").path("idempotencyKey").asText()).hasSizeGreaterThan(8);

        page.keyboard().press("Alt+E");
        page.waitForCondition(() -> control.hasReceived("call.end"));
        control.push(message("call.ended").put("callId", "call-1").put("wrapUpSeconds", 90));
        control.push(message("clerk.state").put("state", "wrapup").put("since", System.currentTimeMillis()));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Utómunka"))).isVisible();
        assertThat(page.getByRole(AriaRole.TIMER)).isVisible();
        verify(page, "clerk-05-wrap-up");

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

    @Test
    void theClerkInvitesAnInterpreterWhoseVideoAppearsAsTheThirdPicture() throws Exception {
        Page page = newPage(true, 1440, 900);
        staffSession(page, "Kovács Anna", "clerk");
        boolean[] staffed = {false};
        ScriptedControlServer control = new ScriptedControlServer().install(page)
                .reply("clerk.state", request -> message("clerk.state").put("state", request.path("state").asText()).put("since", System.currentTimeMillis()))
                .reply("case.watch", request -> caseView("case.state", 1, "DRAFT", parse("{}")))
                .reply("call.invite", request -> staffed[0]
                        ? message("call.invited").put("callId", "call-1").put("kind", request.path("kind").asText()).put("language", request.path("language").asText())
                        : message("error").put("code", "no_interpreter").put("message", "no sign-language for hu is signed in"));
        signIn(page, control);
        FarSide citizen = new FarSide(newPage(true), server.url("/")).serveWhip(page);
        control.push(parse("""
                {"type":"call.started","callId":"call-1","caseId":"case-1","role":"clerk","recording":false,"videoIdentification":false,
                 "caseTypeId":"address-registration","formVersion":2,"language":"hu",
                 "media":{"whipUrl":"%s","token":"media-token-clerk"},"iceServers":[]}""".formatted(server.url("/whip/calls/call-1"))));
        page.waitForCondition(() -> (Boolean) page.evaluate("() => document.querySelector('.call__remote')?.videoWidth > 0"),
                new Page.WaitForConditionOptions().setTimeout(15_000));
        page.waitForCondition(() -> citizen.framesDecoded() > 0, new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(page.locator("#third-video")).isHidden();

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Tolmács meghívása")).click();
        page.getByLabel("A tolmács fajtája").selectOption("sign-language");
        assertThat(page.getByLabel("Tolmácsolás nyelve")).hasValue("hu");
        page.locator("#invite-send").click();
        assertThat(page.getByText("Most nincs bejelentkezve ilyen tolmács ezen a nyelven.")).isVisible();

        staffed[0] = true;
        page.getByLabel("Tolmácsolás nyelve").selectOption("de");
        page.locator("#invite-send").click();
        assertThat(page.locator("#call-participants")).hasText("A meghívót elküldtük.");
        JsonNode invite = control.last("call.invite");
        assertThat(invite.path("callId").asText()).isEqualTo("call-1");
        assertThat(invite.path("kind").asText()).isEqualTo("sign-language");
        assertThat(invite.path("language").asText()).isEqualTo("de");

        control.push(parse("""
                {"type":"call.participants","callId":"call-1","participants":[{"role":"citizen"},{"role":"clerk","userId":"u-1"},
                 {"role":"interpreter","userId":"u-9","kind":"sign-language","language":"de"}]}"""));
        assertThat(page.locator("#third-video")).isVisible();
        assertThat(page.locator("#call-participants")).hasText("Csatlakozott: Jelnyelvi tolmács (német).");
        String offer = citizen.lastOffer();
        assertThat(offer.split("m=video").length - 1).as("own video, the third participant's and the supervisor's slot").isEqualTo(3);
        assertThat(page.locator("#supervisor-video")).isHidden();
        assertThat(offer).contains("a=recvonly");
        assertNoConsoleErrors();
    }

    /**
     * The connection drops mid-call and the call ended meanwhile (its call.ended reached nobody): back, the desktop
     * asks call.media, hears unknown_call, leaves the call view saying why, and follows the pushed clerk.state.
     */
    @Test
    void aCallThatEndedWhileTheConnectionWasLostLeavesTheCallViewForTheWrapUpTheServerSays() {
        Page page = newPage(true, 1440, 900);
        staffSession(page, "Kovács Anna", "clerk");
        ScriptedControlServer control = new ScriptedControlServer().install(page)
                .reply("clerk.state", request -> message("clerk.state").put("state", request.path("state").asText()).put("since", System.currentTimeMillis()))
                .reply("case.watch", request -> caseView("case.state", 1, "DRAFT", parse("{}")))
                .reply("call.media", request -> message("error").put("code", "unknown_call").put("message", "no call call-1 in progress"));
        signIn(page, control);
        FarSide citizen = new FarSide(newPage(true), server.url("/")).serveWhip(page);
        control.push(parse("""
                {"type":"call.started","callId":"call-1","caseId":"case-1","role":"clerk","recording":false,"videoIdentification":false,
                 "caseTypeId":"address-registration","formVersion":2,"language":"hu",
                 "media":{"whipUrl":"%s","token":"media-token-clerk"},"iceServers":[]}""".formatted(server.url("/whip/calls/call-1"))));
        control.push(message("clerk.state").put("state", "busy").put("since", System.currentTimeMillis()));
        page.waitForCondition(() -> (Boolean) page.evaluate("() => document.querySelector('.call__remote')?.videoWidth > 0"),
                new Page.WaitForConditionOptions().setTimeout(15_000));
        page.waitForCondition(() -> citizen.framesDecoded() > 0, new Page.WaitForConditionOptions().setTimeout(15_000));

        control.dropConnection();
        page.waitForCondition(() -> control.hasReceived("call.media"), new Page.WaitForConditionOptions().setTimeout(10_000));
        control.push(message("clerk.state").put("state", "wrapup").put("since", System.currentTimeMillis()).put("wrapUpSeconds", 60));

        assertThat(page.locator("#call-ended-away")).hasText("A hívás véget ért, amíg nem volt kapcsolat.");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Utómunka"))).isVisible();
        assertThat(page.locator(".desk-call")).hasCount(0);
        assertThat(control.last("call.media").path("callId").asText()).isEqualTo("call-1");
        assertThat(control.last("resume").path("token").asText()).isEqualTo("resume-1");
        page.waitForCondition(() -> citizen.received("DELETE"));
        assertThat(page.locator("#clerk-state")).hasText("Utómunka");
        verify(page, "clerk-wrap-up-after-a-call-ended-while-away");
    }

    @Test
    void anInterpreterAcceptsARequestAndSeesTheCallWithoutTheCase() {
        Page page = newPage(true, 1440, 900);
        staffSession(page, "Tóth Márta", "clerk");
        ScriptedControlServer control = new ScriptedControlServer().install(page)
                .reply("clerk.state", request -> message("clerk.state").put("state", request.path("state").asText()).put("since", System.currentTimeMillis()));
        signIn(page, control);
        control.push(parse("""
                {"type":"queue.offer","offerId":"offer-7","kind":"sign-language","callId":"call-1","contactId":"contact-7",
                 "caseTypeId":"address-registration","caseTypeName":"Lakcímbejelentés","language":"hu","waitedSeconds":4,"ringSeconds":20}"""));
        assertThat(page.locator("#offer-kind")).hasText("Jelnyelvi tolmács");
        page.locator("#offer-accept").click();
        page.waitForCondition(() -> control.hasReceived("queue.offer.accept"));

        FarSide call = new FarSide(newPage(true), server.url("/")).serveWhip(page);
        control.push(parse("""
                {"type":"call.started","callId":"call-1","caseId":"case-1","role":"interpreter","kind":"sign-language","recording":false,
                 "videoIdentification":false,"caseTypeId":"address-registration","language":"hu",
                 "media":{"whipUrl":"%s","token":"media-token-interpreter"},"iceServers":[]}""".formatted(server.url("/whip/calls/call-1"))));

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Tolmácsolás egy hívásban"))).isVisible();
        page.waitForCondition(() -> (Boolean) page.evaluate("() => document.querySelector('.call__remote')?.videoWidth > 0"),
                new Page.WaitForConditionOptions().setTimeout(15_000));
        page.waitForCondition(() -> call.framesDecoded() > 0, new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(call.requests.get(0)).containsEntry("authorization", "Bearer media-token-interpreter");
        assertThat(control.hasReceived("case.watch")).as("an interpreter reads no case").isFalse();
        assertThat(page.locator("#case-title")).hasCount(0);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Kilépek a hívásból (az folytatódik)")).click();
        page.waitForCondition(() -> control.hasReceived("call.end"));
        assertNoConsoleErrors();
    }

    /** Signs in as the scripted staff user and goes available. */
    private static void signIn(Page page, ScriptedControlServer control) {
        page.navigate(server.url("/clerk/"));
        page.getByLabel("Felhasználónév").fill("staff");
        page.getByLabel("Jelszó").fill("correct horse");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Bejelentkezés")).click();
        page.waitForCondition(() -> control.hasReceived("hello"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Elérhető leszek")).click();
        page.waitForCondition(() -> control.hasReceived("clerk.state"));
    }
}
