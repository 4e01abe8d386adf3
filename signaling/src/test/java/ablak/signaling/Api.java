package ablak.signaling;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** A REST client for tests, carrying the session cookie by hand (it is Secure, the tests use http). */
final class Api {

  private final WebClient client;
  private final String baseUrl;

  Api(Vertx vertx, String baseUrl) {
    this.client = WebClient.create(vertx, new WebClientOptions().setTrustAll(true).setVerifyHost(false));
    this.baseUrl = baseUrl;
  }

  HttpResponse<Buffer> get(String path, String cookie) {
    return send(HttpMethod.GET, path, cookie, null);
  }

  HttpResponse<Buffer> getAuthorized(String path, String authorization) {
    return Await.result(client.getAbs(baseUrl + path).putHeader("Authorization", authorization).send());
  }

  HttpResponse<Buffer> postAuthorized(String path, String authorization, JsonObject body) {
    return Await.result(client.postAbs(baseUrl + path).putHeader("Authorization", authorization).sendJsonObject(body));
  }

  HttpResponse<Buffer> post(String path, String cookie, JsonObject body) {
    return send(HttpMethod.POST, path, cookie, body);
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, String cookie, JsonObject body) {
    HttpRequest<Buffer> request = client.requestAbs(method, baseUrl + path);
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    return Await.result(body == null ? request.send() : request.sendJsonObject(body));
  }

  /** Signs in and returns the {@code Cookie} header value for later requests. */
  String login(String username, String password) {
    HttpResponse<Buffer> response = post("/api/auth/login", null, new JsonObject().put("username", username).put("password", password));
    if (response.statusCode() != 200) {
      throw new AssertionError("login failed: " + response.bodyAsString());
    }
    String setCookie = response.cookies().get(0);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  /** A fresh citizen visit token. */
  /** A citizen's address-registration draft with no answers yet: the body of the 201 (caseView, citizenToken). */
  JsonObject addressRegistrationDraft(String visitToken) {
    HttpResponse<Buffer> created = postAuthorized("/api/cases", "Bearer " + visitToken,
        new JsonObject().put("caseType", "address-registration").put("language", "en").put("answers", new JsonObject()));
    if (created.statusCode() != 201) {
      throw new AssertionError("draft not created: " + created.statusCode() + " " + created.bodyAsString());
    }
    return created.bodyAsJsonObject();
  }

  /** The {@code queue.join} of that draft, without recording consent. */
  static JsonObject joinMessage(JsonObject draft) {
    return new JsonObject().put("caseTypeId", "address-registration").put("language", "en")
        .put("caseId", draft.getJsonObject("caseView").getString("id")).put("caseToken", draft.getString("citizenToken"))
        .put("consent", new JsonObject().put("recording", false));
  }

  String visitToken() {
    return post("/api/visits", null, null).bodyAsJsonObject().getString("token");
  }

  /** One metric's value summed over all label sets whose line contains {@code labelFragment}. */
  double metric(String name, String labelFragment) {
    double sum = 0;
    for (String line : get("/metrics", null).bodyAsString().split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        if (labelFragment == null || line.contains(labelFragment)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }
}
