package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.identification.mrz.Mrz;
import ablak.signaling.media.SdpOffers;
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
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Video identification through the server, in a real call: the citizen queues for a passport
 * renewal (without consenting to recording when joining), the demo clerk takes the call, and the
 * citizen's media reaches the SFU, so the recording step can record the call. Roles, the call's
 * clerk and citizen, the case token, pushes to the citizen, the recording, the submission rule and
 * bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentificationApiTest {

  private static final String OFFER = SdpOffers.videoOnly();

  private final GreenMail mail = startMail();
  private final Path dataDir = TestNodes.tempDataDir();
  private final AblakServer node = AblakServer.start(TestNodes.embeddedSettings(dataDir, Map.of(
      "ABLAK_MAIL_SMTP_HOST", "127.0.0.1", "ABLAK_MAIL_SMTP_PORT", String.valueOf(mail.getSmtp().getPort()),
      "ABLAK_IDENTIFICATION_MAX_STILL_BYTES", "200000")));
  private final Vertx vertx = Vertx.vertx();
  private final Api api = new Api(vertx, node.baseUrl());
  private final WebClient web = WebClient.create(vertx);
  private final String clerk = api.login("clerk", password("clerk"));
  private final String supervisor = api.login("supervisor", password("supervisor"));
  private final WsClient clerkSocket = WsClient.connect(vertx, node.baseUrl(), clerk);
  private static final JsonObject HD = new JsonObject().put("width", 1280).put("height", 720).put("fps", 25.0);
  private Visit current;

  @BeforeAll
  void clerkSignsIn() {
    clerkSocket.request("hello");
  }

  @AfterEach
  void endTheCall() {
    if (current != null) {
      clerkSocket.request("call.end", new JsonObject().put("callId", current.callId));
      clerkSocket.push("clerk.state", state -> state.getString("state").equals("wrapup"));
      clerkSocket.request("wrapup.done", new JsonObject().put("disposition", "resolved"));
      clerkSocket.request("clerk.state", new JsonObject().put("state", "offline"));
      current.citizen.close();
      current = null;
    }
  }

  @AfterAll
  void close() {
    clerkSocket.close();
    Await.result(vertx.close());
    node.close();
    mail.stop();
    TestNodes.delete(dataDir);
  }

  @Test
  void aClerkIdentifiesTheCitizenInTheCallAndASupervisorReviewsTheSealedRecord() throws Exception {
    Visit visit = startCall();
    confirmCompleteCase(visit);
    assertThat(submit(visit, "first").getString("code")).as("submitted before any identification").isEqualTo("identification_required");
    String id = startIdentification(visit).getString("id");
    assertThat(visit.citizen.push("identification.step").getString("nextStep")).isEqualTo("CONSENT");

    step(id, "CONSENT", new JsonObject().put("consent", true));
    assertThat(visit.citizen.push("identification.step").getString("nextStep")).isEqualTo("RECORDING_STARTED");
    step(id, "RECORDING_STARTED", new JsonObject());
    // The consent step is the consent: the recording runs although the citizen did not consent when queueing.
    assertThat(visit.citizen.push("call.recording").getBoolean("recording")).isTrue();
    assertThat(clerkSocket.push("call.recording").getBoolean("recording")).isTrue();
    assertThat(node.callRecordings().isRecording(visit.callId)).isTrue();
    JsonObject afterFront = step(id, "DOCUMENT_FRONT", new JsonObject());
    JsonObject pushed = visit.citizen.push("identification.step", message -> "TILT".equals(message.getString("nextStep")));
    assertThat(pushed.getString("tilt")).isEqualTo(afterFront.getString("tilt")).isNotNull();
    assertThat(pushed.getString("caseId")).isEqualTo(visit.caseId);
    assertThat(pushed.getString("callId")).isEqualTo(visit.callId);
    JsonObject guide = asCitizen(HttpMethod.GET, "/api/identifications/guide?caseId=" + visit.caseId, visit, null).bodyAsJsonObject();
    assertThat(guide.getString("tilt")).isEqualTo(afterFront.getString("tilt"));
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
    assertThat(visit.citizen.push("identification.step", message -> message.getBoolean("codeSent")).getString("nextStep"))
        .isEqualTo("CODE_CONFIRMED");
    HttpResponse<Buffer> entered = asCitizen(HttpMethod.POST, "/api/identifications/guide/code", visit,
        new JsonObject().put("caseId", visit.caseId).put("code", lastCode()));
    assertThat(entered.statusCode()).as(entered.bodyAsString()).isEqualTo(200);
    assertThat(submit(visit, "second").getString("code")).as("submitted before the result").isEqualTo("identification_required");
    HttpResponse<Buffer> result = staff(HttpMethod.POST, "/api/identifications/" + id + "/result", clerk,
        new JsonObject().put("result", "verified"));

    assertThat(result.statusCode()).as(result.bodyAsString()).isEqualTo(200);
    assertThat(result.bodyAsJsonObject().getString("status")).isEqualTo("VERIFIED");
    assertThat(result.bodyAsJsonObject().getString("seal")).hasSize(64);
    assertThat(visit.citizen.push("identification.step", message -> "VERIFIED".equals(message.getString("status")))).isNotNull();
    // The result finished the recording first: the sealed hash is the final manifest's.
    assertThat(visit.citizen.push("call.recording", message -> !message.getBoolean("recording"))).isNotNull();
    Path manifest = dataDir.resolve("recordings").resolve(visit.callId).resolve("manifest.json");
    assertThat(new JsonObject(java.nio.file.Files.readString(manifest)).getString("stoppedAt")).isNotNull();
    assertThat(result.bodyAsJsonObject().getString("recordingSha256")).isEqualTo(sha256(java.nio.file.Files.readAllBytes(manifest)));
    JsonObject submitted = submit(visit, "second");
    assertThat(submitted.getString("type")).as(submitted.encode()).isEqualTo("case.submitted");
    assertThat(submitted.getJsonObject("caseView").getString("caseNumber")).isNotBlank();
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
    Visit visit = startCall();
    String otherClerk = api.login("clerk2", password("clerk2"));
    JsonObject start = new JsonObject().put("callId", visit.callId).put("caseId", visit.caseId).put("documentType", "hu-passport");
    assertError(staff(HttpMethod.POST, "/api/identifications", otherClerk, start), 403, "forbidden");
    assertError(staff(HttpMethod.POST, "/api/identifications", clerk, start.copy().put("callId", "no-such-call")), 404, "unknown_call");
    assertError(staff(HttpMethod.POST, "/api/identifications", clerk, start.copy().put("caseId", UUID.randomUUID().toString())),
        400, "invalid_message");
    assertError(asCitizen(HttpMethod.GET, "/api/identifications/guide?caseId=" + UUID.randomUUID(), visit, null), 403, "forbidden");
    assertError(submitOverRest(visit), 409, "identification_required");
    String id = startIdentification(visit).getString("id");
    String steps = "/api/identifications/" + id + "/steps";
    HttpResponse<Buffer> recordingTooEarly = staff(HttpMethod.POST, steps, clerk,
        new JsonObject().put("step", "RECORDING_STARTED").put("quality", HD).put("answers", new JsonObject()));
    assertError(recordingTooEarly, 409, "step_out_of_order");
    assertThat(node.callRecordings().isRecording(visit.callId)).as("a refused step records nothing").isFalse();
    assertError(staff(HttpMethod.POST, steps, otherClerk,
        new JsonObject().put("step", "CONSENT").put("quality", HD).put("answers", new JsonObject().put("consent", true))), 403, "forbidden");

    HttpResponse<Buffer> outOfOrder = staff(HttpMethod.POST, steps, clerk,
        new JsonObject().put("step", "DOCUMENT_FRONT").put("quality", HD).put("answers", new JsonObject()));
    HttpResponse<Buffer> unknownStep = staff(HttpMethod.POST, steps, clerk, new JsonObject().put("step", "DANCE"));
    HttpResponse<Buffer> malformed = Await.result(web.postAbs(node.baseUrl() + steps).putHeader("Cookie", clerk).sendBuffer(Buffer.buffer("{")));
    HttpResponse<Buffer> bySupervisor = staff(HttpMethod.POST, steps, supervisor,
        new JsonObject().put("step", "CONSENT").put("answers", new JsonObject().put("consent", true)));
    HttpResponse<Buffer> byCitizen = asCitizen(HttpMethod.POST, "/api/identifications", visit, start);
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
    Visit visit = startCall();
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

  private static final class Visit {
    String caseId;
    String caseToken;
    String visitToken;
    String callId;
    WsClient citizen;
  }

  /**
   * A citizen asks for a passport renewal, queues (not consenting to recording), the demo clerk takes
   * the call and the citizen's offer reaches the SFU.
   */
  private Visit startCall() {
    Visit visit = new Visit();
    current = visit;
    visit.visitToken = api.visitToken();
    visit.citizen = WsClient.connect(vertx, node.baseUrl(), null);
    visit.citizen.request("hello", new JsonObject().put("token", visit.visitToken));
    JsonObject answers = new JsonObject()
        .put("applicant", new JsonObject().put("personalId", "18503121232").put("familyName", "Kovács").put("givenNames", "Éva"))
        .put("currentPassportNumber", "BA1234567");
    HttpResponse<Buffer> draft = api.postAuthorized("/api/cases", "Bearer " + visit.visitToken,
        new JsonObject().put("caseType", "passport-renewal").put("language", "en").put("answers", answers));
    assertThat(draft.statusCode()).as(draft.bodyAsString()).isEqualTo(201);
    visit.caseId = draft.bodyAsJsonObject().getJsonObject("caseView").getString("id");
    visit.caseToken = draft.bodyAsJsonObject().getString("citizenToken");
    JsonObject joined = visit.citizen.request("queue.join", new JsonObject().put("caseTypeId", "passport-renewal").put("language", "en")
        .put("caseId", visit.caseId).put("caseToken", visit.caseToken).put("consent", new JsonObject().put("recording", false)));
    assertThat(joined.getString("type")).as(joined.encode()).isEqualTo("queue.joined");
    clerkSocket.request("clerk.state", new JsonObject().put("state", "available"));
    JsonObject offer = clerkSocket.push("queue.offer");
    visit.callId = clerkSocket.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId"))).getString("callId");
    JsonObject started = visit.citizen.push("call.started");
    assertThat(started.getBoolean("videoIdentification")).isTrue();
    HttpResponse<Buffer> published = Await.result(web.postAbs(started.getJsonObject("media").getString("whipUrl"))
        .putHeader("Content-Type", "application/sdp")
        .putHeader("Authorization", "Bearer " + started.getJsonObject("media").getString("token")).sendBuffer(Buffer.buffer(OFFER)));
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(201);
    return visit;
  }

  /** The clerk completes the form and the citizen confirms it: ready to submit but for the identification. */
  private void confirmCompleteCase(Visit visit) {
    JsonObject data = new JsonObject()
        .put("applicant", new JsonObject().put("personalId", "18503121232").put("familyName", "Kovács").put("givenNames", "Éva"))
        .put("currentPassportNumber", "BA1234567").put("validityYears", 10).put("urgent", false)
        .put("deliveryAddress", new JsonObject().put("postcode", "1052").put("city", "Budapest").put("street", "Váci utca")
            .put("houseNumber", "12"));
    int version = clerkSocket.request("case.watch", new JsonObject().put("caseId", visit.caseId).put("reason", "video call " + visit.callId))
        .getInteger("version");
    JsonObject saved = clerkSocket.request("case.save", new JsonObject().put("caseId", visit.caseId).put("expectedVersion", version)
        .put("data", data).put("reason", "video call " + visit.callId).put("lang", "en"));
    assertThat(saved.getString("type")).as(saved.encode()).isEqualTo("case.saved");
    JsonObject confirmed = visit.citizen.request("case.confirm", new JsonObject().put("caseId", visit.caseId)
        .put("caseToken", visit.caseToken).put("version", saved.getInteger("version")).put("lang", "en"));
    assertThat(confirmed.getString("type")).as(confirmed.encode()).isEqualTo("case.confirmed");
  }

  private JsonObject submit(Visit visit, String idempotencyKey) {
    return clerkSocket.request("case.submit", new JsonObject().put("caseId", visit.caseId).put("idempotencyKey", idempotencyKey)
        .put("reason", "video call " + visit.callId).put("lang", "en"));
  }

  private HttpResponse<Buffer> submitOverRest(Visit visit) {
    return Await.result(web.postAbs(node.baseUrl() + "/api/cases/" + visit.caseId + "/submission").putHeader("Cookie", clerk)
        .putHeader("Access-Reason", "video call " + visit.callId).putHeader("Idempotency-Key", "rest").send());
  }

  private JsonObject startIdentification(Visit visit) {
    HttpResponse<Buffer> started = staff(HttpMethod.POST, "/api/identifications", clerk,
        new JsonObject().put("callId", visit.callId).put("caseId", visit.caseId).put("documentType", "hu-id-card"));
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
