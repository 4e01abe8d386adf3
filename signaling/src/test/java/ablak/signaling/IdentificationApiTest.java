package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.identification.mrz.Mrz;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Video identification through the server: roles, case token, the whole checklist, bad input. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentificationApiTest {

  private final GreenMail mail = startMail();
  private final Path dataDir = TestNodes.tempDataDir();
  private final AblakServer node = AblakServer.start(TestNodes.embeddedSettings(dataDir, Map.of(
      "ABLAK_IDENTIFICATION_SMTP_PORT", String.valueOf(mail.getSmtp().getPort()),
      "ABLAK_IDENTIFICATION_MAX_STILL_BYTES", "200000",
      "ABLAK_IDENTIFICATION_REVIEW_CASE_TYPES", "address-registration")));
  private final Vertx vertx = Vertx.vertx();
  private final Api api = new Api(vertx, node.baseUrl());
  private final WebClient web = WebClient.create(vertx);
  private final String clerk = api.login("clerk", password("clerk"));
  private final String supervisor = api.login("supervisor", password("supervisor"));
  private static final JsonObject HD = new JsonObject().put("width", 1280).put("height", 720).put("fps", 25.0);

  @AfterAll
  void close() {
    Await.result(vertx.close());
    node.close();
    mail.stop();
    TestNodes.delete(dataDir);
  }

  @Test
  void aClerkIdentifiesTheCitizenAndASupervisorReviewsTheSealedRecord() throws Exception {
    Visit visit = startCaseAndVisit();
    String id = startIdentification(visit).getString("id");

    step(id, "CONSENT", new JsonObject().put("consent", true));
    step(id, "RECORDING_STARTED", new JsonObject());
    JsonObject afterFront = step(id, "DOCUMENT_FRONT", new JsonObject());
    JsonObject guide = asCitizen(HttpMethod.GET, "/api/identifications/guide?caseId=" + visit.caseId, visit, null).bodyAsJsonObject();
    assertThat(guide.getString("tilt")).isEqualTo(afterFront.getString("tilt")).isNotNull();
    step(id, "TILT", new JsonObject().put("instruction", guide.getString("tilt")).put("observed", true));
    step(id, "DOCUMENT_BACK", new JsonObject());
    byte[] face = png(1280, 720);
    for (String kind : new String[] {"face", "front", "back"}) {
      HttpResponse<Buffer> still = uploadStill(id, kind, "image/png", face, 1280, 720);
      assertThat(still.statusCode()).as(still.bodyAsString()).isEqualTo(201);
      assertThat(still.bodyAsJsonObject().getDouble("sharpness")).isGreaterThan(60);
    }
    step(id, "STILLS", new JsonObject());
    JsonArray features = new JsonArray();
    staff(HttpMethod.GET, "/api/identifications/document-types?lang=en", clerk, null).bodyAsJsonArray().stream()
        .map(JsonObject.class::cast).filter(type -> type.getString("id").equals("hu-id-card")).findFirst().orElseThrow()
        .getJsonArray("securityFeatures").forEach(feature -> features.add(((JsonObject) feature).getString("id")));
    step(id, "SECURITY_FEATURES", new JsonObject().put("confirmed", features));
    step(id, "FACE_COMPARISON", new JsonObject().put("match", true));
    step(id, "MRZ", mrzAnswers(mrz()));
    step(id, "CODE_SENT", new JsonObject().put("email", "eva@example.test").put("language", "en"));
    HttpResponse<Buffer> entered = asCitizen(HttpMethod.POST, "/api/identifications/guide/code", visit,
        new JsonObject().put("caseId", visit.caseId).put("code", lastCode()));
    assertThat(entered.statusCode()).as(entered.bodyAsString()).isEqualTo(200);
    HttpResponse<Buffer> result = staff(HttpMethod.POST, "/api/identifications/" + id + "/result", clerk,
        new JsonObject().put("result", "verified"));

    assertThat(result.statusCode()).as(result.bodyAsString()).isEqualTo(200);
    assertThat(result.bodyAsJsonObject().getString("status")).isEqualTo("VERIFIED");
    assertThat(result.bodyAsJsonObject().getString("seal")).hasSize(64);
    JsonArray queue = staff(HttpMethod.GET, "/api/identifications/reviews", supervisor, null).bodyAsJsonArray();
    assertThat(queue.stream().map(item -> ((JsonObject) item).getString("identificationId"))).contains(id);
    JsonObject verification = staff(HttpMethod.GET, "/api/identifications/" + id + "/verification", supervisor, null).bodyAsJsonObject();
    assertThat(verification.getBoolean("intact")).as(verification.encode()).isTrue();
    HttpResponse<Buffer> still = Await.result(web.getAbs(node.baseUrl() + "/api/identifications/" + id + "/stills/face")
        .putHeader("Cookie", supervisor).putHeader("Access-Reason", "four-eyes review").send());
    assertThat(still.statusCode()).isEqualTo(200);
    assertThat(sha256(still.body().getBytes())).isEqualTo(sha256(face));
    assertThat(staff(HttpMethod.POST, "/api/identifications/" + id + "/review", clerk,
        new JsonObject().put("decision", "confirm")).statusCode()).isEqualTo(403);
    assertThat(staff(HttpMethod.POST, "/api/identifications/" + id + "/review", supervisor,
        new JsonObject().put("decision", "confirm")).statusCode()).isEqualTo(204);
  }

  @Test
  void badInputGetsTypedErrorsAndChangesNothing() throws Exception {
    Visit visit = startCaseAndVisit();
    String id = startIdentification(visit).getString("id");
    String steps = "/api/identifications/" + id + "/steps";

    HttpResponse<Buffer> outOfOrder = staff(HttpMethod.POST, steps, clerk,
        new JsonObject().put("step", "DOCUMENT_FRONT").put("quality", HD).put("answers", new JsonObject()));
    HttpResponse<Buffer> unknownStep = staff(HttpMethod.POST, steps, clerk, new JsonObject().put("step", "DANCE"));
    HttpResponse<Buffer> malformed = Await.result(web.postAbs(node.baseUrl() + steps).putHeader("Cookie", clerk).sendBuffer(Buffer.buffer("{")));
    HttpResponse<Buffer> bySupervisor = staff(HttpMethod.POST, steps, supervisor,
        new JsonObject().put("step", "CONSENT").put("answers", new JsonObject().put("consent", true)));
    HttpResponse<Buffer> byCitizen = asCitizen(HttpMethod.POST, "/api/identifications", visit,
        new JsonObject().put("callId", visit.visitId).put("caseId", visit.caseId).put("documentType", "hu-id-card"));
    HttpResponse<Buffer> wrongToken = Await.result(web.getAbs(node.baseUrl() + "/api/identifications/guide?caseId=" + visit.caseId)
        .putHeader("Authorization", "Bearer " + visit.visitToken).putHeader("Case-Token", "forged").send());
    HttpResponse<Buffer> lowQuality = null;
    for (String step : new String[] {"CONSENT", "RECORDING_STARTED"}) {
      step(id, step, new JsonObject().put("consent", true));
    }
    lowQuality = staff(HttpMethod.POST, steps, clerk, new JsonObject().put("step", "DOCUMENT_FRONT")
        .put("quality", new JsonObject().put("width", 640).put("height", 480).put("fps", 30.0)).put("answers", new JsonObject()));
    HttpResponse<Buffer> earlyStill = uploadStill(id, "face", "image/png", png(1280, 720), 1280, 720);

    assertError(outOfOrder, 409, "step_out_of_order");
    assertError(unknownStep, 400, "invalid_message");
    assertError(malformed, 400, "malformed_json");
    assertError(bySupervisor, 403, "forbidden");
    assertError(byCitizen, 403, "forbidden");
    assertError(wrongToken, 403, "forbidden");
    assertError(lowQuality, 422, "quality_too_low");
    assertThat(lowQuality.bodyAsJsonObject().getJsonObject("details").getInteger("width")).isEqualTo(640);
    assertError(earlyStill, 409, "step_out_of_order");

    step(id, "DOCUMENT_FRONT", new JsonObject());
    JsonObject atTilt = staff(HttpMethod.GET, "/api/identifications/" + id, clerk, null).bodyAsJsonObject();
    step(id, "TILT", new JsonObject().put("instruction", atTilt.getString("tilt")).put("observed", true));
    step(id, "DOCUMENT_BACK", new JsonObject());
    assertError(uploadStill(id, "face", "image/gif", png(1280, 720), 1280, 720), 415, "unsupported_image");
    assertError(uploadStill(id, "face", "image/jpeg", new byte[250_000], 1280, 720), 413, "still_too_large");
    assertError(uploadStill(id, "passport", "image/png", png(1280, 720), 1280, 720), 400, "invalid_message");
    assertError(uploadStill(id, "face", "image/png", png(640, 360), 1280, 720), 422, "still_rejected");
    assertThat(staff(HttpMethod.GET, "/api/identifications/" + id, clerk, null).bodyAsJsonObject().getJsonArray("stills")).isEmpty();

    HttpResponse<Buffer> aborted = staff(HttpMethod.POST, "/api/identifications/" + id + "/abort", clerk,
        new JsonObject().put("reason", "POOR_VIDEO"));
    assertThat(aborted.bodyAsJsonObject().getString("status")).isEqualTo("ABORTED");
    assertError(staff(HttpMethod.POST, "/api/identifications/" + id + "/abort", clerk, new JsonObject().put("reason", "BORED")),
        400, "invalid_message");
  }

  @Test
  void aMistypedMrzIsRefusedWithItsProblems() throws Exception {
    Visit visit = startCaseAndVisit();
    String id = startIdentification(visit).getString("id");
    // Walk to the MRZ step the short way: every earlier step refuses nothing here.
    step(id, "CONSENT", new JsonObject().put("consent", true));
    step(id, "RECORDING_STARTED", new JsonObject());
    String tilt = step(id, "DOCUMENT_FRONT", new JsonObject()).getString("tilt");
    step(id, "TILT", new JsonObject().put("instruction", tilt).put("observed", true));
    step(id, "DOCUMENT_BACK", new JsonObject());
    for (String kind : new String[] {"face", "front", "back"}) {
      uploadStill(id, kind, "image/png", png(1280, 720), 1280, 720);
    }
    step(id, "STILLS", new JsonObject());
    JsonArray all = new JsonArray();
    staff(HttpMethod.GET, "/api/identifications/document-types", clerk, null).bodyAsJsonArray().getJsonObject(0)
        .getJsonArray("securityFeatures").forEach(feature -> all.add(((JsonObject) feature).getString("id")));
    step(id, "SECURITY_FEATURES", new JsonObject().put("confirmed", all));
    step(id, "FACE_COMPARISON", new JsonObject().put("match", true));

    HttpResponse<Buffer> refused = staff(HttpMethod.POST, "/api/identifications/" + id + "/steps", clerk,
        new JsonObject().put("step", "MRZ").put("answers", mrzAnswers(mrz().replace("EVA<<", "EVE<<").replace("900214", "900241"))));

    assertError(refused, 422, "invalid_mrz");
    assertThat(refused.bodyAsJsonObject().getJsonObject("details").getJsonArray("problems").encode()).contains("date of birth");
  }

  // ---- helpers ----

  private record Visit(String caseId, String caseToken, String visitId, String visitToken) {}

  private Visit startCaseAndVisit() {
    JsonObject answers = new JsonObject()
        .put("applicant", new JsonObject().put("personalId", "18503121232").put("familyName", "Kovács").put("givenNames", "Éva"))
        .put("newAddress", new JsonObject().put("postcode", "1052").put("city", "Budapest").put("street", "Váci utca").put("houseNumber", "12"))
        .put("addressType", "permanent").put("ownsProperty", true);
    JsonObject draft = staff(HttpMethod.POST, "/api/cases", clerk,
        new JsonObject().put("caseType", "address-registration").put("language", "en").put("answers", answers)).bodyAsJsonObject();
    JsonObject visit = api.post("/api/visits", null, null).bodyAsJsonObject();
    return new Visit(draft.getJsonObject("caseView").getString("id"), draft.getString("citizenToken"),
        visit.getString("visitId"), visit.getString("token"));
  }

  private JsonObject startIdentification(Visit visit) {
    HttpResponse<Buffer> started = staff(HttpMethod.POST, "/api/identifications", clerk,
        new JsonObject().put("callId", visit.visitId).put("caseId", visit.caseId).put("documentType", "hu-id-card"));
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(201);
    return started.bodyAsJsonObject();
  }

  private JsonObject step(String id, String step, JsonObject answers) {
    HttpResponse<Buffer> response = staff(HttpMethod.POST, "/api/identifications/" + id + "/steps", clerk,
        new JsonObject().put("step", step).put("quality", HD).put("answers", answers));
    assertThat(response.statusCode()).as(step + ": " + response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private HttpResponse<Buffer> uploadStill(String id, String kind, String contentType, byte[] image, int width, int height) {
    return Await.result(web.postAbs(node.baseUrl() + "/api/identifications/" + id + "/stills/" + kind
            + "?width=" + width + "&height=" + height + "&fps=25")
        .putHeader("Cookie", clerk).putHeader("Content-Type", contentType).sendBuffer(Buffer.buffer(image)));
  }

  private HttpResponse<Buffer> staff(HttpMethod method, String path, String cookie, JsonObject body) {
    HttpRequest<Buffer> request = web.requestAbs(method, node.baseUrl() + path).putHeader("Cookie", cookie)
        .putHeader("Access-Reason", "video identification test");
    return Await.result(body == null ? request.send() : request.sendJsonObject(body));
  }

  private HttpResponse<Buffer> asCitizen(HttpMethod method, String path, Visit visit, JsonObject body) {
    HttpRequest<Buffer> request = web.requestAbs(method, node.baseUrl() + path)
        .putHeader("Authorization", "Bearer " + visit.visitToken).putHeader("Case-Token", visit.caseToken);
    return Await.result(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo(code);
  }

  /** A Hungarian identity card's TD1 MRZ for Kovács Éva, valid until 2031. */
  private static String mrz() {
    String number = "987654CD<";
    String line1 = pad("IDHUN" + number + Mrz.checkDigit(number), 30);
    String line2 = "900214" + Mrz.checkDigit("900214") + "F" + "310501" + Mrz.checkDigit("310501") + "HUN" + "<".repeat(11);
    line2 += Mrz.checkDigit(line1.substring(5, 30) + line2.substring(0, 7) + line2.substring(8, 15) + line2.substring(18, 29));
    return line1 + "\n" + line2 + "\n" + pad("KOVACS<<EVA", 30);
  }

  private static JsonObject mrzAnswers(String mrz) {
    return new JsonObject().put("mrz", mrz).put("printed", new JsonObject().put("documentNumber", "987654CD")
        .put("familyName", "Kovács").put("givenNames", "Éva").put("birthDate", "1990-02-14").put("expiryDate", "2031-05-01"));
  }

  private static String pad(String text, int length) {
    return text + "<".repeat(length - text.length());
  }

  /** A document-like pattern with plenty of edges and nothing saturated. */
  private static byte[] png(int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    for (int y = 0; y < height; y += 6) {
      for (int x = 0; x < width; x += 6) {
        g.setColor(((x + y) / 6) % 2 == 0 ? new Color(40, 40, 60) : new Color(200, 190, 180));
        g.fillRect(x, y, 6, 6);
      }
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private String lastCode() throws Exception {
    var messages = mail.getReceivedMessages();
    Matcher matcher = Pattern.compile("\\b(\\d{6})\\b").matcher(messages[messages.length - 1].getContent().toString());
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static GreenMail startMail() {
    try (ServerSocket probe = new ServerSocket(0)) {
      GreenMail server = new GreenMail(new ServerSetup(probe.getLocalPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
      probe.close();
      server.start();
      return server;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String password(String username) {
    return node.demoCredentials().stream().filter(c -> c.username().equals(username))
        .map(ablak.signaling.auth.DemoAccounts.Credential::password).findFirst().orElseThrow();
  }
}
