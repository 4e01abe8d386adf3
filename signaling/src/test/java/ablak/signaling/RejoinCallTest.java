package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.DemoAccounts;
import ablak.signaling.media.SdpOffers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A participant who (re)connects while the server has them in a running call is sent its {@code call.started}
 * again, with a fresh media grant (docs/protocol.md, "Rejoining a call"): a clerk or citizen who reloaded the
 * page says {@code hello} on a new connection, and a citizen whose next call started while they were away
 * resumes into it. The resume time is a minute, so that nobody is taken out as lost while the test runs.
 */
@ExtendWith(VertxExtension.class)
class RejoinCallTest {

  private static final String OFFER = SdpOffers.audioVideo("sendrecv");

  private static MachineStores stores;
  private static AblakServer node;

  private Vertx vertx;
  private Api api;
  private WebClient web;
  private String citizenToken;
  private String citizenResumeToken;

  @BeforeAll
  static void startNode() {
    stores = new MachineStores();
    node = TestNodes.reconnecting(stores, Map.of());
  }

  @AfterAll
  static void stop() throws SQLException {
    node.close();
    stores.close();
  }

  @BeforeEach
  void client(Vertx vertx) {
    this.vertx = vertx;
    api = new Api(vertx, node.baseUrl());
    web = WebClient.create(vertx);
  }

  @Test
  void aClerkWhoReloadsTheDesktopMidCallIsSentTheRunningCallWithAUsableMediaGrant() {
    String session = session(node, "clerk2");
    WsClient clerk = WsClient.connect(vertx, node.baseUrl(), session);
    clerk.request("hello");
    WsClient citizen = citizen();
    JsonObject first = callBetween(clerk, citizen);
    String firstToken = first.getJsonObject("media").getString("token");
    HttpResponse<Buffer> firstSession = whip(first.getJsonObject("media").getString("whipUrl"), firstToken);
    assertThat(firstSession.statusCode()).isEqualTo(201);

    // The reloaded page: a new connection with the same session cookie, and hello.
    WsClient reloaded = WsClient.connect(vertx, node.baseUrl(), session);
    reloaded.request("hello");
    JsonObject again = reloaded.push("call.started");

    assertThat(again.getString("callId")).isEqualTo(first.getString("callId"));
    for (String field : new String[] {"caseId", "role", "caseTypeId", "formVersion", "language", "videoIdentification", "recordingConsent"}) {
      assertThat(again.getValue(field)).as(field).isEqualTo(first.getValue(field));
    }
    assertThat(again.getJsonArray("iceServers")).isNotNull();
    JsonObject media = again.getJsonObject("media");
    assertThat(media.getString("whipUrl")).isEqualTo(first.getJsonObject("media").getString("whipUrl"));
    assertThat(whip(media.getString("whipUrl"), media.getString("token")).statusCode()).as("the fresh grant publishes").isEqualTo(201);
    // The new session replaced the dead page's, which would otherwise hold the citizen's slot for the clerk.
    String oldSession = java.net.URI.create(media.getString("whipUrl")).resolve(firstSession.getHeader("Location")).toString();
    assertThat(Await.result(web.deleteAbs(oldSession).putHeader("Authorization", "Bearer " + firstToken).send()).statusCode())
        .as("the old session is gone").isEqualTo(404);
    assertThat(reloaded.push("clerk.state").getString("state")).isEqualTo("busy");

    assertThat(reloaded.request("call.end", new JsonObject().put("callId", again.getString("callId"))).getString("type")).isEqualTo("call.ended");
    assertThat(citizen.push("call.ended").getString("reason")).isEqualTo("ended_by_clerk");
    offDuty(reloaded);
    clerk.close();
    citizen.close();
  }

  @Test
  void aCitizenWhoReloadsThePageMidCallIsSentTheRunningCallWithAUsableMediaGrant() {
    WsClient clerk = WsClient.connect(vertx, node.baseUrl(), session(node, "clerk2"));
    clerk.request("hello");
    WsClient citizen = citizen();
    JsonObject clerksCall = callBetween(clerk, citizen);
    String callId = clerksCall.getString("callId");

    // The reloaded page keeps its visit token (docs/frontends.md) and says hello with it.
    WsClient reloaded = WsClient.connect(vertx, node.baseUrl(), null);
    reloaded.request("hello", new JsonObject().put("token", citizenToken));
    JsonObject again = reloaded.push("call.started");

    assertThat(again.getString("callId")).isEqualTo(callId);
    assertThat(again.getString("role")).isEqualTo("citizen");
    assertThat(again.getString("caseId")).isEqualTo(clerksCall.getString("caseId"));
    assertThat(again.containsKey("formVersion")).as("the case form is the clerk's").isFalse();
    JsonObject media = again.getJsonObject("media");
    assertThat(whip(media.getString("whipUrl"), media.getString("token")).statusCode()).as("the fresh grant publishes").isEqualTo(201);

    assertThat(reloaded.request("call.end", new JsonObject().put("callId", callId)).getString("type")).isEqualTo("call.ended");
    assertThat(clerk.push("call.ended").getString("reason")).isEqualTo("ended_by_citizen");
    offDuty(clerk);
    citizen.close();
    reloaded.close();
  }

  @Test
  void aCitizenAwayWhileTheirClerkWasLostAndTheNextClerkTookThemResumesIntoTheNewCall() {
    // The lost clerk's node gives routing a two-second presence: once it dies, routing signs the clerk out and
    // puts the citizen back at the head of the queue, long before the minute the citizen has to resume.
    AblakServer clerksNode = TestNodes.reconnecting(stores, Map.of("ABLAK_QUEUE_PRESENCE_TTL", "PT2S"));
    WsClient lostClerk = WsClient.connect(vertx, clerksNode.baseUrl(), session(clerksNode, "clerk"));
    lostClerk.request("hello");
    WsClient citizen = citizen();
    String resumeToken = citizenResumeToken;
    String contactId = citizen.request("queue.join", Api.joinMessage(api.addressRegistrationDraft(citizenToken))).getString("contactId");
    lostClerk.request("clerk.state", new JsonObject().put("state", "available"));
    lostClerk.request("queue.offer.accept", new JsonObject().put("offerId", lostClerk.push("queue.offer").getString("offerId")));
    String firstCallId = citizen.push("call.started").getString("callId");
    WsClient nextClerk = WsClient.connect(vertx, node.baseUrl(), session(node, "clerk2"));
    nextClerk.request("hello");

    citizen.close();
    CountDownLatch thaw = NodeCrash.crash(clerksNode);
    try {
      Await.until(() -> stores.logged("CLERKLOST", contactId), "routing puts the citizen back in the queue once the clerk's presence lapsed",
          NodeCrash.NOTICED);
      nextClerk.request("clerk.state", new JsonObject().put("state", "available"));
      JsonObject offer = nextClerk.push("queue.offer");
      assertThat(offer.getString("contactId")).isEqualTo(contactId);
      String secondCallId = nextClerk.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId")))
          .getString("callId");

      WsClient back = WsClient.connect(vertx, node.baseUrl(), null);
      assertThat(back.request("resume", new JsonObject().put("token", resumeToken)).getString("type")).isEqualTo("resumed");
      JsonObject started = back.push("call.started");

      assertThat(secondCallId).isNotEqualTo(firstCallId);
      assertThat(started.getString("callId")).as("the call the next clerk started while the citizen was away").isEqualTo(secondCallId);
      assertThat(started.getString("role")).isEqualTo("citizen");
      JsonObject media = started.getJsonObject("media");
      assertThat(whip(media.getString("whipUrl"), media.getString("token")).statusCode()).isEqualTo(201);
      assertThat(back.request("call.media", new JsonObject().put("callId", firstCallId)).getString("code"))
          .as("the first call is over").isEqualTo("unknown_call");

      assertThat(back.request("call.end", new JsonObject().put("callId", secondCallId)).getString("type")).isEqualTo("call.ended");
      offDuty(nextClerk);
      back.close();
    } finally {
      thaw.countDown();
      clerksNode.close();
      lostClerk.close();
    }
  }

  /** The clerk goes available and accepts the citizen, who joined the queue; returns the clerk's call.started. */
  private JsonObject callBetween(WsClient clerk, WsClient citizen) {
    citizen.request("queue.join", Api.joinMessage(api.addressRegistrationDraft(citizenToken)));
    clerk.request("clerk.state", new JsonObject().put("state", "available"));
    JsonObject offer = clerk.push("queue.offer");
    clerk.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId")));
    citizen.push("call.started");
    return clerk.push("call.started");
  }

  private static void offDuty(WsClient clerk) {
    clerk.push("clerk.state", state -> state.getString("state").equals("wrapup"));
    clerk.request("wrapup.done", new JsonObject().put("disposition", "technical"));
    clerk.request("clerk.state", new JsonObject().put("state", "offline"));
    clerk.close();
  }

  private WsClient citizen() {
    citizenToken = api.visitToken();
    WsClient citizen = WsClient.connect(vertx, node.baseUrl(), null);
    citizenResumeToken = citizen.request("hello", new JsonObject().put("token", citizenToken)).getString("resumeToken");
    return citizen;
  }

  private String session(AblakServer on, String username) {
    String password = node.demoCredentials().stream().filter(c -> c.username().equals(username)).map(DemoAccounts.Credential::password)
        .findFirst().orElseThrow();
    return new Api(vertx, on.baseUrl()).login(username, password);
  }

  private HttpResponse<Buffer> whip(String url, String token) {
    return Await.result(web.postAbs(url).putHeader("Content-Type", "application/sdp").putHeader("Authorization", "Bearer " + token)
        .sendBuffer(Buffer.buffer(OFFER)));
  }
}
