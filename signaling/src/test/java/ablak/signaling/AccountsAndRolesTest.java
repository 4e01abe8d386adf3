package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.DemoAccounts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AccountsAndRolesTest {

  private AblakServer node;
  private Api api;

  @BeforeEach
  void connect(Vertx vertx) {
    node = TestNodes.shared();
    api = new Api(vertx, node.baseUrl());
  }

  private String password(String username) {
    return node.demoCredentials().stream().filter(c -> c.username().equals(username)).map(DemoAccounts.Credential::password)
        .findFirst().orElseThrow();
  }

  private static String uniqueName() {
    return "u" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void staffSignInGetsASecureHttpOnlyStrictSessionCookie() {
    HttpResponse<Buffer> response = api.post("/api/auth/login", null,
        new JsonObject().put("username", "clerk").put("password", password("clerk")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("role")).isEqualTo("clerk");
    assertThat(response.cookies().get(0)).startsWith("ablak_session=").contains("Secure").contains("HTTPOnly")
        .contains("SameSite=Strict");
  }

  @Test
  void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() {
    HttpResponse<Buffer> wrong = api.post("/api/auth/login", null, new JsonObject().put("username", "clerk").put("password", "not-the-password"));
    HttpResponse<Buffer> unknown = api.post("/api/auth/login", null, new JsonObject().put("username", "nobody").put("password", "whatever-it-is"));

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(wrong.bodyAsJsonObject()).isEqualTo(unknown.bodyAsJsonObject());
    assertThat(wrong.bodyAsJsonObject().getString("code")).isEqualTo("invalid_credentials");
  }

  @Test
  void repeatedWrongPasswordsLockTheUsernameEvenAgainstTheRightOne() {
    String username = uniqueName();
    HttpResponse<Buffer> created = api.post("/api/admin/staff", api.login("admin", password("admin")),
        new JsonObject().put("username", username).put("name", "Guessed At").put("role", "clerk"));
    String rightPassword = created.bodyAsJsonObject().getString("password");
    for (int i = 0; i < 10; i++) {
      api.post("/api/auth/login", null, new JsonObject().put("username", username).put("password", "guess-number-" + i));
    }

    HttpResponse<Buffer> locked = api.post("/api/auth/login", null, new JsonObject().put("username", username).put("password", rightPassword));

    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.bodyAsJsonObject().getString("code")).isEqualTo("rate_limited");
  }

  @Test
  void malformedAndIncompleteLoginBodiesGetTypedErrors() {
    HttpResponse<Buffer> malformed = api.send(io.vertx.core.http.HttpMethod.POST, "/api/auth/login", null, null);
    HttpResponse<Buffer> incomplete = api.post("/api/auth/login", null, new JsonObject().put("username", "clerk"));

    assertThat(malformed.bodyAsJsonObject().getString("code")).isEqualTo("malformed_json");
    assertThat(incomplete.statusCode()).isEqualTo(400);
    assertThat(incomplete.bodyAsJsonObject().getString("code")).isEqualTo("invalid_message");
    assertThat(incomplete.bodyAsJsonObject().getString("message")).contains("password");
  }

  @Test
  void signingOutEndsTheSessionOnTheServer() {
    String cookie = api.login("supervisor", password("supervisor"));
    assertThat(api.get("/api/auth/me", cookie).statusCode()).isEqualTo(200);

    api.post("/api/auth/logout", cookie, null);

    HttpResponse<Buffer> after = api.get("/api/auth/me", cookie);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.bodyAsJsonObject().getString("code")).isEqualTo("unauthenticated");
  }

  @Test
  void onlyAnAdminCreatesStaffAndTheNewClerkCanSignIn() {
    String username = uniqueName();
    JsonObject newClerk = new JsonObject().put("username", username).put("name", "Kovács Anna").put("role", "clerk");

    HttpResponse<Buffer> anonymous = api.post("/api/admin/staff", null, newClerk);
    HttpResponse<Buffer> asClerk = api.post("/api/admin/staff", api.login("clerk", password("clerk")), newClerk);
    HttpResponse<Buffer> asAdmin = api.post("/api/admin/staff", api.login("admin", password("admin")), newClerk);

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(asClerk.statusCode()).isEqualTo(403);
    assertThat(asClerk.bodyAsJsonObject().getString("code")).isEqualTo("forbidden");
    assertThat(asAdmin.statusCode()).isEqualTo(201);
    String generated = asAdmin.bodyAsJsonObject().getString("password");
    assertThat(api.login(username, generated)).startsWith("ablak_session=");
  }

  @Test
  void aTakenUsernameOrAnUnknownRoleIsRefusedAndCreatesNothing() {
    String admin = api.login("admin", password("admin"));
    int before = api.get("/api/admin/staff", admin).bodyAsJsonArray().size();

    HttpResponse<Buffer> taken = api.post("/api/admin/staff", admin,
        new JsonObject().put("username", "clerk").put("name", "Second Clerk").put("role", "clerk"));
    HttpResponse<Buffer> badRole = api.post("/api/admin/staff", admin,
        new JsonObject().put("username", uniqueName()).put("name", "Someone").put("role", "emperor"));
    HttpResponse<Buffer> citizenRole = api.post("/api/admin/staff", admin,
        new JsonObject().put("username", uniqueName()).put("name", "Someone").put("role", "citizen"));

    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(taken.bodyAsJsonObject().getString("code")).isEqualTo("conflict");
    assertThat(badRole.bodyAsJsonObject().getString("code")).isEqualTo("invalid_message");
    assertThat(citizenRole.bodyAsJsonObject().getString("code")).isEqualTo("invalid_message");
    assertThat(api.get("/api/admin/staff", admin).bodyAsJsonArray().size()).isEqualTo(before);
  }

  @Test
  void anAdminGivesAClerkSkillsLanguagesAndCapacityAndBadProfilesChangeNothing() {
    String admin = api.login("admin", password("admin"));
    JsonObject clerk = api.post("/api/admin/staff", admin,
        new JsonObject().put("username", uniqueName()).put("name", "New Clerk").put("role", "clerk")).bodyAsJsonObject();
    String routing = "/api/admin/staff/" + clerk.getString("id") + "/routing";
    assertThat(clerk.getString("team")).isEqualTo("default");
    assertThat(api.get(routing, admin).bodyAsJsonObject().getJsonObject("skills").isEmpty()).as("a new clerk is offered nothing").isTrue();

    JsonObject profile = new JsonObject().put("skills", new JsonObject().put("registry", 4).put("passports", 2))
        .put("languages", new io.vertx.core.json.JsonArray().add("hu").add("en")).put("capacity", 1);
    HttpResponse<Buffer> saved = api.send(io.vertx.core.http.HttpMethod.PUT, routing, admin, profile);
    assertThat(saved.statusCode()).as(saved.bodyAsString()).isEqualTo(200);
    assertThat(api.get(routing, admin).bodyAsJsonObject().getJsonObject("skills").getInteger("registry")).isEqualTo(4);

    for (JsonObject bad : java.util.List.of(
        profile.copy().put("skills", new JsonObject().put("dragons", 3)),
        profile.copy().put("skills", new JsonObject().put("registry", 7)),
        profile.copy().put("languages", new io.vertx.core.json.JsonArray().add("tlh")),
        profile.copy().put("capacity", 0),
        profile.copy().put("skills", "registry"))) {
      HttpResponse<Buffer> refused = api.send(io.vertx.core.http.HttpMethod.PUT, routing, admin, bad);
      assertThat(refused.statusCode()).as(bad.encode()).isEqualTo(400);
    }
    assertThat(api.get(routing, admin).bodyAsJsonObject().getJsonObject("skills").getInteger("registry")).isEqualTo(4);
    assertThat(api.send(io.vertx.core.http.HttpMethod.PUT, "/api/admin/staff/not-a-uuid/routing", admin, profile).statusCode()).isEqualTo(400);
    assertThat(api.send(io.vertx.core.http.HttpMethod.PUT, "/api/admin/staff/" + UUID.randomUUID() + "/routing", admin, profile).statusCode())
        .isEqualTo(404);
    assertThat(api.send(io.vertx.core.http.HttpMethod.PUT, routing, api.login("supervisor", password("supervisor")), profile).statusCode())
        .isEqualTo(403);
    assertThat(api.send(io.vertx.core.http.HttpMethod.PUT, "/api/admin/staff/" + clerk.getString("id") + "/team", admin,
        new JsonObject().put("team", "Bad Team!")).statusCode()).isEqualTo(400);
  }

  @Test
  void aCitizenVisitTokenIdentifiesACitizenWhoMayNotAdminister() {
    String token = api.visitToken();
    HttpResponse<Buffer> me = send("/api/auth/me", "Bearer " + token);
    HttpResponse<Buffer> admin = send("/api/admin/staff", "Bearer " + token);

    assertThat(me.bodyAsJsonObject().getString("role")).isEqualTo("citizen");
    assertThat(me.bodyAsJsonObject().getString("id")).startsWith("visit:");
    assertThat(admin.statusCode()).isEqualTo(403);
  }

  @Test
  void aForgedVisitTokenIsRejected() {
    String token = api.visitToken();
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);

    HttpResponse<Buffer> response = send("/api/auth/me", "Bearer " + forged);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("token_invalid");
  }

  @Test
  void restErrorsAreCountedByCode() {
    double before = api.metric("ablak_signaling_http_errors_total", "code=\"forbidden\"");

    send("/api/admin/staff", "Bearer " + api.visitToken());

    assertThat(api.metric("ablak_signaling_http_errors_total", "code=\"forbidden\"")).isEqualTo(before + 1);
  }

  private HttpResponse<Buffer> send(String path, String authorization) {
    return api.getAuthorized(path, authorization);
  }
}
