package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.media.call.Participant;
import ablak.media.call.SupervisorMode;
import ablak.signaling.auth.DemoAccounts;
import ablak.signaling.media.SdpOffers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A supervisor on node A monitors a call whose media node B carries: listen, whisper, barge in,
 * leave. Node B's SFU takes each mode on the supervisor's one media session, without a new
 * offer; only supervisors may monitor; every start, change and stop is in the audit trail.
 */
@ExtendWith(VertxExtension.class)
class CallMonitorTest {

  private static final String OFFER = SdpOffers.audioVideo("sendrecv");

  private static MachineStores stores;
  private static AblakServer nodeA;
  private static AblakServer nodeB;

  @BeforeAll
  static void startTwoNodes() {
    stores = new MachineStores();
    // Node A gives up on a media session that never connects after 3 s, node B only after two minutes:
    // the sessions these tests POST never connect (no ICE), so node B keeps them for the whole test.
    nodeA = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(),
        stores.environment(Map.of("ABLAK_MEDIA_CONNECT_TIMEOUT", "PT3S"))));
    nodeB = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(),
        stores.environment(Map.of("ABLAK_MEDIA_CONNECT_TIMEOUT", "PT2M"))));
  }

  @AfterAll
  static void stop() throws SQLException {
    nodeA.close();
    nodeB.close();
    stores.close();
  }

  @Test
  void aSupervisorOnAnotherNodeListensWhispersBargesInAndLeaves(Vertx vertx) {
    WebClient web = WebClient.create(vertx);
    Api apiA = new Api(vertx, nodeA.baseUrl());
    String visitToken = apiA.visitToken();
    WsClient citizen = WsClient.connect(vertx, nodeA.baseUrl(), null);
    citizen.request("hello", new JsonObject().put("token", visitToken));
    String clerkCookie = new Api(vertx, nodeB.baseUrl()).login("clerk", password("clerk"));
    WsClient clerk = WsClient.connect(vertx, nodeB.baseUrl(), clerkCookie);
    clerk.request("hello");
    String supervisorCookie = apiA.login("supervisor", password("supervisor"));
    WsClient supervisor = WsClient.connect(vertx, nodeA.baseUrl(), supervisorCookie);
    supervisor.request("hello");
    String callId = startCall(apiA, visitToken, citizen, clerk);

    // Only supervisors monitor, only calls in progress, only the three modes.
    JsonObject listen = new JsonObject().put("callId", callId).put("mode", "listen");
    assertThat(clerk.request("call.monitor", listen).getString("code")).isEqualTo("forbidden");
    assertThat(citizen.request("call.monitor", listen).getString("code")).isEqualTo("forbidden");
    assertThat(clerk.request("call.monitor.end", new JsonObject().put("callId", callId)).getString("code")).isEqualTo("forbidden");
    assertThat(supervisor.request("call.monitor", listen.copy().put("callId", "no-such-call")).getString("code")).isEqualTo("unknown_call");
    assertThat(supervisor.request("call.monitor", listen.copy().put("mode", "shout")).getString("code")).isEqualTo("invalid_message");
    assertThat(supervisor.request("call.monitor", new JsonObject().put("callId", callId)).getString("code")).isEqualTo("invalid_message");
    assertThat(supervisor.request("call.monitor", listen.copy().put("reason", "x".repeat(201))).getString("code")).isEqualTo("invalid_message");
    assertThat(supervisor.request("call.monitor.end", new JsonObject().put("callId", callId)).getString("code")).isEqualTo("invalid_state");
    assertThat(audit(callId)).as("refusals change nothing").isEmpty();

    // Listen: a grant on the supervisor's node (A), which hands the POST to node B, whose SFU keeps the session invisible.
    JsonObject granted = supervisor.request("call.monitor", listen);
    assertThat(granted.getString("type")).isEqualTo("call.monitor");
    assertThat(granted.getString("mode")).isEqualTo("listen");
    assertThat(granted.getJsonObject("media").getString("whipUrl")).isEqualTo(nodeA.baseUrl() + "/whip/calls/" + callId);
    String token = granted.getJsonObject("media").getString("token");
    HttpResponse<Buffer> published = Await.result(web.postAbs(granted.getJsonObject("media").getString("whipUrl"))
        .putHeader("Content-Type", "application/sdp").putHeader("Authorization", "Bearer " + token).sendBuffer(Buffer.buffer(OFFER)));
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(201);
    Participant media = supervisorMedia(callId).orElseThrow();
    assertThat(media.supervisorMode()).contains(SupervisorMode.LISTEN);
    assertThat(statsRoles(web, callId, clerkCookie)).as("the clerk's call statistics do not show a listener").doesNotContain("SUPERVISOR");
    assertThat(statsRoles(web, callId, supervisorCookie)).contains("SUPERVISOR");
    assertThat(Await.result(web.postAbs(nodeB.baseUrl() + "/whip/calls/another-call").putHeader("Content-Type", "application/sdp")
        .putHeader("Authorization", "Bearer " + token).sendBuffer(Buffer.buffer(OFFER))).statusCode()).as("another call").isEqualTo(403);

    // Whisper: node B applies it to the same session (no new offer); nobody is told.
    JsonObject whisper = supervisor.request("call.monitor", listen.copy().put("mode", "whisper").put("reason", "coaching a new clerk"));
    assertThat(whisper.getString("mode")).isEqualTo("whisper");
    Await.until(() -> media.supervisorMode().orElseThrow() == SupervisorMode.WHISPER, "node B applies the whisper");
    assertThat(supervisor.request("call.monitor", listen.copy().put("mode", "whisper")).getString("mode")).as("idempotent").isEqualTo("whisper");

    // Barge: node B makes the supervisor a normal participant; citizen and clerk are told.
    assertThat(supervisor.request("call.monitor", listen.copy().put("mode", "barge")).getString("mode")).isEqualTo("barge");
    Await.until(() -> media.supervisorMode().orElseThrow() == SupervisorMode.BARGE, "node B applies the barge-in");
    JsonObject participants = citizen.push("call.participants");
    assertThat(participants.getString("callId")).isEqualTo(callId);
    assertThat(participants.getJsonArray("participants").stream().map(p -> ((JsonObject) p).getString("role")))
        .containsExactly("citizen", "clerk", "supervisor");
    assertThat(clerk.push("call.participants").getJsonArray("participants")).hasSize(3);
    assertThat(statsRoles(web, callId, clerkCookie)).contains("SUPERVISOR");
    assertThat(supervisor.request("call.monitor", listen).getString("code")).as("no going back to invisible").isEqualTo("conflict");

    // Leaving ends the media session on node B and tells the citizen.
    assertThat(supervisor.request("call.monitor.end", new JsonObject().put("callId", callId)).getString("type")).isEqualTo("call.monitor.ended");
    assertThat(citizen.push("call.participants", p -> p.getJsonArray("participants").size() == 2)).isNotNull();
    Await.until(() -> supervisorMedia(callId).isEmpty(), "the supervisor's session ends on node B");
    assertThat(supervisor.request("call.monitor.end", new JsonObject().put("callId", callId)).getString("code")).isEqualTo("invalid_state");

    // Monitoring again, then the call ends: the supervisor hears it, and the stop is audited.
    supervisor.request("call.monitor", listen);
    clerk.request("call.end", new JsonObject().put("callId", callId));
    assertThat(supervisor.push("call.ended").getString("callId")).isEqualTo(callId);
    Await.until(() -> audit(callId).size() == 6, "every start, change and stop is audited");
    assertThat(audit(callId)).containsExactly(
        "call.monitor.start mode=listen quality monitoring",
        "call.monitor.mode mode=whisper coaching a new clerk",
        "call.monitor.mode mode=barge quality monitoring",
        "call.monitor.stop mode=barge quality monitoring",
        "call.monitor.start mode=listen quality monitoring",
        "call.monitor.stop mode=listen the call ended");
    assertThat(supervisor.request("call.monitor", listen).getString("code")).isEqualTo("unknown_call");
    signOff(clerk);
    for (WsClient client : List.of(citizen, supervisor)) {
      client.close();
    }
  }

  @Test
  void aSupervisorWhosePageIsGoneStopsMonitoringAndTheCitizenIsTold(Vertx vertx) {
    WebClient web = WebClient.create(vertx);
    Api apiB = new Api(vertx, nodeB.baseUrl());
    String visitToken = apiB.visitToken();
    WsClient citizen = WsClient.connect(vertx, nodeB.baseUrl(), null);
    citizen.request("hello", new JsonObject().put("token", visitToken));
    WsClient clerk = WsClient.connect(vertx, nodeA.baseUrl(), new Api(vertx, nodeA.baseUrl()).login("clerk2", password("clerk2")));
    clerk.request("hello");
    WsClient supervisor = WsClient.connect(vertx, nodeB.baseUrl(), apiB.login("supervisor", password("supervisor")));
    supervisor.request("hello");
    String callId = startCall(apiB, visitToken, citizen, clerk);

    JsonObject granted = supervisor.request("call.monitor", new JsonObject().put("callId", callId).put("mode", "barge"));
    assertThat(granted.getJsonObject("media").getString("whipUrl")).startsWith(nodeB.baseUrl());
    HttpResponse<Buffer> published = Await.result(web.postAbs(granted.getJsonObject("media").getString("whipUrl"))
        .putHeader("Content-Type", "application/sdp").putHeader("Authorization", "Bearer " + granted.getJsonObject("media").getString("token"))
        .sendBuffer(Buffer.buffer(OFFER)));
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(201);
    assertThat(citizen.push("call.participants").getJsonArray("participants")).hasSize(3);

    // The page never connects its media: node A reaps the session, and the monitor ends with it.
    JsonObject ended = supervisor.push("call.monitor.ended");
    assertThat(ended.getString("callId")).isEqualTo(callId);
    assertThat(ended.getString("reason")).isEqualTo("media_lost");
    assertThat(citizen.push("call.participants", p -> p.getJsonArray("participants").size() == 2)).isNotNull();
    assertThat(supervisor.request("call.monitor.end", new JsonObject().put("callId", callId)).getString("code")).isEqualTo("invalid_state");
    assertThat(audit(callId)).containsExactly(
        "call.monitor.start mode=barge quality monitoring",
        "call.monitor.stop mode=barge the supervisor's media ended");

    clerk.request("call.end", new JsonObject().put("callId", callId));
    signOff(clerk);
    citizen.close();
    supervisor.close();
  }

  /** Wraps up and signs off, so the next test's citizen is offered to its own clerk only. */
  private static void signOff(WsClient clerk) {
    clerk.push("clerk.state", state -> state.getString("state").equals("wrapup"));
    clerk.request("wrapup.done", new JsonObject().put("disposition", "resolved"));
    clerk.request("clerk.state", new JsonObject().put("state", "offline"));
    clerk.close();
  }

  /** The citizen joins; the clerk accepts, so the clerk's node hosts the media. */
  private static String startCall(Api api, String visitToken, WsClient citizen, WsClient clerk) {
    HttpResponse<Buffer> draft = api.postAuthorized("/api/cases", "Bearer " + visitToken,
        new JsonObject().put("caseType", "address-registration").put("language", "en").put("answers", new JsonObject()));
    assertThat(draft.statusCode()).as(draft.bodyAsString()).isEqualTo(201);
    JsonObject created = draft.bodyAsJsonObject();
    citizen.request("queue.join", new JsonObject().put("caseTypeId", "address-registration").put("language", "en")
        .put("caseId", created.getJsonObject("caseView").getString("id")).put("caseToken", created.getString("citizenToken"))
        .put("consent", new JsonObject().put("recording", false)));
    clerk.request("clerk.state", new JsonObject().put("state", "available"));
    JsonObject offer = clerk.push("queue.offer");
    String callId = clerk.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId"))).getString("callId");
    citizen.push("call.started");
    return callId;
  }

  /** The roles in node B's statistics of the call, as the given staff member reads them. */
  private static List<String> statsRoles(WebClient web, String callId, String cookie) {
    HttpResponse<Buffer> stats = Await.result(web.getAbs(nodeB.baseUrl() + "/api/calls/" + callId + "/stats").putHeader("Cookie", cookie).send());
    assertThat(stats.statusCode()).as(stats.bodyAsString()).isEqualTo(200);
    return stats.bodyAsJsonObject().getJsonArray("participants").stream().map(p -> ((JsonObject) p).getString("role")).toList();
  }

  private static Optional<Participant> supervisorMedia(String callId) {
    return nodeB.sfu().findCall(callId).stream().flatMap(call -> call.participants().stream())
        .filter(p -> p.supervisorMode().isPresent()).findFirst();
  }

  /** The call's audit rows in order: action, detail's mode, reason. */
  private static List<String> audit(String callId) {
    List<String> rows = new ArrayList<>();
    try (java.sql.Connection db = stores.jdbc();
        java.sql.PreparedStatement query = db.prepareStatement(
            "SELECT action, detail, reason, actor_role FROM cases.audit_event WHERE subject_kind = 'call' AND subject_id = ? ORDER BY seq")) {
      query.setString(1, callId);
      try (java.sql.ResultSet row = query.executeQuery()) {
        while (row.next()) {
          assertThat(row.getString("actor_role")).isEqualTo("SUPERVISOR");
          rows.add(row.getString("action") + " " + row.getString("detail").split(" ")[0] + " " + row.getString("reason"));
        }
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return rows;
  }

  private static String password(String username) {
    return nodeA.demoCredentials().stream().filter(c -> c.username().equals(username)).map(DemoAccounts.Credential::password)
        .findFirst().orElseThrow();
  }
}
