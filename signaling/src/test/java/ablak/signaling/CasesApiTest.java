package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.DemoAccounts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The cases module through the server: REST routes, and live case work over the WebSocket. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CasesApiTest {

  private final AblakServer node = TestNodes.shared();
  private final Vertx vertx = Vertx.vertx();
  private final Api api = new Api(vertx, node.baseUrl());
  private final WebClient web = WebClient.create(vertx);
  private final String clerk = api.login("clerk", password("clerk"));

  @AfterAll
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void theCatalogueIsServedInTheAskedLanguage() {
    JsonObject catalogue = call(HttpMethod.GET, "/api/catalogue?lang=en", null, null, null).bodyAsJsonObject();

    assertThat(catalogue.getJsonArray("lifeEvents")).hasSize(7);
    assertThat(catalogue.getJsonArray("lifeEvents").getJsonObject(0).getString("name")).isEqualTo("Moving house");
    assertThat(call(HttpMethod.GET, "/api/catalogue?lang=xx", null, null, null).statusCode()).isEqualTo(400);
  }

  @Test
  void clerkAndCitizenWorkOnOneCaseLiveUntilItIsSubmitted() {
    JsonObject draft = startDraftAsClerk();
    String caseId = draft.getJsonObject("caseView").getString("id");
    String caseToken = draft.getString("citizenToken");

    try (WsClient citizen = WsClient.connect(vertx, node.baseUrl(), null)) {
      citizen.request("hello", new JsonObject().put("token", api.visitToken()));
      JsonObject state = citizen.request("case.watch", new JsonObject().put("caseId", caseId).put("caseToken", caseToken).put("lang", "en"));

      HttpResponse<Buffer> saved = call(HttpMethod.PUT, "/api/cases/" + caseId + "/data", clerk, "call 1",
          new JsonObject().put("expectedVersion", 1).put("data", completeAnswers()));
      JsonObject pushed = nextOfType(citizen, "case.changed");
      HttpResponse<Buffer> stale = call(HttpMethod.PUT, "/api/cases/" + caseId + "/data", clerk, "call 1",
          new JsonObject().put("expectedVersion", 1).put("data", completeAnswers()));
      JsonObject confirmed = citizen.request("case.confirm",
          new JsonObject().put("caseId", caseId).put("caseToken", caseToken).put("lang", "en").put("version", 2));
      HttpResponse<Buffer> submitted = submit(caseId, "submit-" + caseId);
      HttpResponse<Buffer> again = submit(caseId, "submit-" + caseId);

      assertThat(state.getString("type")).isEqualTo("case.state");
      assertThat(state.getInteger("version")).isEqualTo(1);
      assertThat(saved.statusCode()).isEqualTo(200);
      assertThat(pushed.getInteger("version")).isEqualTo(2);
      assertThat(pushed.getJsonObject("data").getString("moveInDate")).isEqualTo("2026-11-01");
      assertThat(stale.statusCode()).isEqualTo(409);
      assertThat(stale.bodyAsJsonObject().getString("code")).isEqualTo("version_conflict");
      assertThat(confirmed.getString("type")).isEqualTo("case.confirmed");
      assertThat(submitted.statusCode()).isEqualTo(200);
      assertThat(submitted.bodyAsJsonObject().getJsonObject("caseView").getString("caseNumber")).matches("ABL-\\d{4}-\\d{7}");
      assertThat(again.bodyAsJsonObject().getBoolean("replayed")).isTrue();
    }
  }

  @Test
  void invalidFormDataIsRefusedWithEveryFieldError() {
    String caseId = startDraftAsClerk().getJsonObject("caseView").getString("id");
    JsonObject bad = completeAnswers().put("moveInDate", "yesterday");
    bad.getJsonObject("newAddress").put("postcode", "12");

    HttpResponse<Buffer> refused = call(HttpMethod.PUT, "/api/cases/" + caseId + "/data?lang=en", clerk, "call 1",
        new JsonObject().put("expectedVersion", 1).put("data", bad));

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsJsonObject().getString("code")).isEqualTo("invalid_form_data");
    assertThat(refused.bodyAsJsonObject().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("path")))
        .containsExactly("/moveInDate", "/newAddress/postcode");
  }

  @Test
  void aCitizenWithoutTheCaseTokenIsRefusedAndStaffMustGiveAReason() {
    String caseId = startDraftAsClerk().getJsonObject("caseView").getString("id");
    String visit = "Bearer " + api.visitToken();

    HttpResponse<Buffer> noToken = Await.result(web.getAbs(node.baseUrl() + "/api/cases/" + caseId).putHeader("Authorization", visit).send());
    HttpResponse<Buffer> noReason = call(HttpMethod.GET, "/api/cases/" + caseId, clerk, null, null);

    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(noReason.bodyAsJsonObject().getString("code")).isEqualTo("reason_required");
  }

  private JsonObject startDraftAsClerk() {
    JsonObject answers = completeAnswers();
    answers.remove("moveInDate");
    HttpResponse<Buffer> created = call(HttpMethod.POST, "/api/cases", clerk, null,
        new JsonObject().put("caseType", "address-registration").put("language", "en").put("answers", answers));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  @Test
  void aSupervisorReadsTheCasesTheirTeamHandledAndNoOthers() {
    String admin = api.login("admin", password("admin"));
    String team = "north-" + java.util.UUID.randomUUID().toString().substring(0, 6);
    String northClerk = staff(admin, "clerk", team);
    String northSupervisor = staff(admin, "supervisor", team);
    JsonObject southSupervisorAccount = api.post("/api/admin/staff", admin, new JsonObject().put("username", unique())
        .put("name", "South Supervisor").put("role", "supervisor").put("team", "south").put("password", "south-password-1")).bodyAsJsonObject();
    String southSupervisor = api.login(southSupervisorAccount.getString("username"), "south-password-1");

    HttpResponse<Buffer> created = call(HttpMethod.POST, "/api/cases", northClerk, null,
        new JsonObject().put("caseType", "address-registration").put("language", "en").put("answers", new JsonObject()));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String caseId = created.bodyAsJsonObject().getJsonObject("caseView").getString("id");

    assertThat(call(HttpMethod.GET, "/api/cases/" + caseId, northSupervisor, "quality check", null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/api/cases/" + caseId, southSupervisor, "quality check", null).statusCode()).isEqualTo(403);
    assertThat(call(HttpMethod.GET, "/api/cases?limit=200", southSupervisor, "quality check", null).bodyAsString()).doesNotContain(caseId);
    assertThat(call(HttpMethod.GET, "/api/cases?limit=200", northSupervisor, "quality check", null).bodyAsString()).contains(caseId);

    // A move to another team counts from the next sign-in.
    assertThat(api.send(HttpMethod.PUT, "/api/admin/staff/" + southSupervisorAccount.getString("id") + "/team", admin,
        new JsonObject().put("team", team)).statusCode()).isEqualTo(200);
    String movedSupervisor = api.login(southSupervisorAccount.getString("username"), "south-password-1");
    assertThat(call(HttpMethod.GET, "/api/cases/" + caseId, movedSupervisor, "quality check", null).statusCode()).isEqualTo(200);
  }

  private String staff(String admin, String role, String team) {
    String username = unique();
    HttpResponse<Buffer> created = api.post("/api/admin/staff", admin, new JsonObject().put("username", username)
        .put("name", "Team " + role).put("role", role).put("team", team).put("password", "team-password-1"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("team")).isEqualTo(team);
    return api.login(username, "team-password-1");
  }

  private static String unique() {
    return "t" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  private HttpResponse<Buffer> submit(String caseId, String key) {
    return Await.result(web.postAbs(node.baseUrl() + "/api/cases/" + caseId + "/submission")
        .putHeader("Cookie", clerk).putHeader("Access-Reason", "call 1").putHeader("Idempotency-Key", key).send());
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String cookie, String reason, JsonObject body) {
    HttpRequest<Buffer> request = web.requestAbs(method, node.baseUrl() + path);
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    if (reason != null) {
      request.putHeader("Access-Reason", reason);
    }
    return Await.result(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static JsonObject nextOfType(WsClient client, String type) {
    for (int i = 0; i < 20; i++) {
      JsonObject message = client.next();
      if (type.equals(message.getString("type"))) {
        return message;
      }
    }
    throw new AssertionError("no " + type + " arrived");
  }

  private static JsonObject completeAnswers() {
    return new JsonObject()
        .put("applicant", new JsonObject().put("personalId", "18503121232").put("familyName", "Kovács").put("givenNames", "Éva"))
        .put("newAddress", new JsonObject().put("postcode", "1052").put("city", "Budapest").put("street", "Váci utca").put("houseNumber", "12"))
        .put("addressType", "permanent").put("moveInDate", "2026-11-01").put("ownsProperty", true);
  }

  private String password(String username) {
    return node.demoCredentials().stream().filter(c -> c.username().equals(username)).map(DemoAccounts.Credential::password)
        .findFirst().orElseThrow();
  }
}
