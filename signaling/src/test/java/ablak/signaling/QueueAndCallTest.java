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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole journey on two nodes sharing the machine's Redis and PostgreSQL: a citizen waits on
 * node A, clerks on nodes A and B are offered the contact, one takes it, both get the call with a
 * media token for node B's SFU, talk, end the call and the clerk wraps up. Every refusal is typed
 * and changes nothing.
 */
@ExtendWith(VertxExtension.class)
class QueueAndCallTest {

  private static final String OFFER = SdpOffers.audioVideo("sendonly");

  private static MachineStores stores;
  private static AblakServer nodeA;
  private static AblakServer nodeB;

  private Vertx vertx;
  private Api apiA;
  private Api apiB;
  private WebClient web;
  private String clerkCookie;
  private WsClient clerkOnB;
  private WsClient clerk2OnA;

  @BeforeAll
  static void startTwoNodes() {
    stores = new MachineStores();
    // A lost citizen is abandoned two seconds after the connection drops.
    Map<String, String> environment = stores.environment(Map.of(
        "ABLAK_PROTOCOL_HEARTBEAT_SECONDS", "1", "ABLAK_PROTOCOL_RESUME_TTL_SECONDS", "2"));
    nodeA = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), environment));
    nodeB = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), environment));
  }

  @AfterAll
  static void stop() throws SQLException {
    nodeA.close();
    nodeB.close();
    stores.close();
  }

  @BeforeEach
  void clerksSignIn(Vertx vertx) {
    this.vertx = vertx;
    apiA = new Api(vertx, nodeA.baseUrl());
    apiB = new Api(vertx, nodeB.baseUrl());
    web = WebClient.create(vertx);
    clerkCookie = apiB.login("clerk", password("clerk"));
    clerkOnB = WsClient.connect(vertx, nodeB.baseUrl(), clerkCookie);
    clerkOnB.request("hello");
    clerk2OnA = WsClient.connect(vertx, nodeA.baseUrl(), apiA.login("clerk2", password("clerk2")));
    clerk2OnA.request("hello");
  }

  @AfterEach
  void clerksSignOut() {
    for (WsClient clerk : new WsClient[] {clerkOnB, clerk2OnA}) {
      assertThat(clerk.request("clerk.state", new JsonObject().put("state", "offline")).getString("state")).isEqualTo("offline");
      clerk.close();
    }
  }

  @Test
  void aCitizenOnOneNodeIsServedByAClerkOnTheOther() {
    WsClient citizen = citizen(nodeA);
    JsonObject draft = apiA.addressRegistrationDraft(citizenToken);

    JsonObject joined = citizen.request("queue.join", Api.joinMessage(draft));

    assertThat(joined.getString("type")).isEqualTo("queue.joined");
    assertThat(joined.getString("queueId")).isEqualTo("address-registration");
    assertThat(joined.getInteger("position")).isEqualTo(1);
    assertThat(joined.getValue("estimatedWaitSeconds")).as("nobody is staffed: no estimate").isNull();
    String contactId = joined.getString("contactId");
    assertThat(citizen.push("queue.position").getInteger("position")).isEqualTo(1);

    // The first clerk is offered the contact and turns it down.
    assertThat(clerkOnB.request("clerk.state", new JsonObject().put("state", "available")).getString("type")).isEqualTo("clerk.state");
    JsonObject offer = clerkOnB.push("queue.offer");
    assertThat(offer.getString("contactId")).isEqualTo(contactId);
    assertThat(offer.getString("caseTypeName")).isEqualTo("Address registration");
    assertThat(offer.getString("language")).isEqualTo("en");
    assertThat(offer.getInteger("ringSeconds")).isBetween(1, 20);
    assertThat(clerkOnB.request("queue.offer.decline", new JsonObject().put("offerId", offer.getString("offerId"))).getString("type"))
        .isEqualTo("queue.offer.declined");

    // The second clerk is offered it, turns it down too, and it rings at the first again.
    clerk2OnA.request("clerk.state", new JsonObject().put("state", "available"));
    JsonObject second = clerk2OnA.push("queue.offer");
    assertThat(second.getString("contactId")).isEqualTo(contactId);
    assertThat(clerkOnB.request("queue.offer.accept", new JsonObject().put("offerId", second.getString("offerId"))).getString("code"))
        .as("someone else's offer").isEqualTo("not_your_offer");
    assertThat(citizen.request("queue.offer.accept", new JsonObject().put("offerId", second.getString("offerId"))).getString("code"))
        .isEqualTo("forbidden");
    clerk2OnA.request("queue.offer.decline", new JsonObject().put("offerId", second.getString("offerId")));
    JsonObject again = clerkOnB.push("queue.offer");
    assertThat(again.getString("contactId")).isEqualTo(contactId);
    assertThat(clerkOnB.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId"))).getString("code"))
        .as("the declined offer is over").isEqualTo("offer_expired");

    JsonObject accepted = clerkOnB.request("queue.offer.accept", new JsonObject().put("offerId", again.getString("offerId")));

    assertThat(accepted.getString("type")).isEqualTo("queue.offer.accepted");
    assertThat(clerkOnB.request("queue.offer.accept", new JsonObject().put("offerId", again.getString("offerId"))).getString("code"))
        .isEqualTo("already_accepted");
    String callId = accepted.getString("callId");
    JsonObject citizenCall = citizen.push("call.started");
    JsonObject clerkCall = clerkOnB.push("call.started");
    assertThat(citizenCall.getString("callId")).isEqualTo(callId);
    assertThat(citizenCall.getString("role")).isEqualTo("citizen");
    assertThat(citizenCall.getString("caseId")).isEqualTo(draft.getJsonObject("caseView").getString("id"));
    assertThat(citizenCall.getBoolean("videoIdentification")).as("address registration needs no video identification").isFalse();
    assertThat(citizenCall.getJsonObject("media").getString("whipUrl")).isEqualTo(nodeB.baseUrl() + "/whip/calls/" + callId);
    assertThat(clerkCall.getString("role")).isEqualTo("clerk");
    assertThat(clerkCall.getString("caseTypeId")).isEqualTo("address-registration");
    assertThat(clerkCall.getInteger("formVersion")).isEqualTo(2);

    // Media: the token admits its holder to this call only.
    String citizenMedia = citizenCall.getJsonObject("media").getString("token");
    HttpResponse<Buffer> published = whip(citizenCall.getJsonObject("media").getString("whipUrl"), citizenMedia);
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(201);
    assertThat(whip(nodeB.baseUrl() + "/whip/calls/another-call", citizenMedia).statusCode()).isEqualTo(403);
    assertThat(Await.result(web.deleteAbs(nodeB.baseUrl() + published.getHeader("Location"))
        .putHeader("Authorization", "Bearer " + citizenMedia).send()).statusCode()).isEqualTo(200);
    // Any node takes the media requests (a load balancer cannot know the call's node): A hands them to B.
    HttpResponse<Buffer> viaA = whip(nodeA.baseUrl() + "/whip/calls/" + callId, citizenMedia);
    assertThat(viaA.statusCode()).as(viaA.bodyAsString()).isEqualTo(201);
    assertThat(nodeA.sfu().findCall(callId)).as("the media stays on the call's node").isEmpty();
    assertThat(viaA.bodyAsString()).contains(" " + nodeB.sfu().addresses().get(0).getPort() + " typ host");
    assertThat(Await.result(web.deleteAbs(nodeA.baseUrl() + viaA.getHeader("Location"))
        .putHeader("Authorization", "Bearer " + citizenMedia).send()).statusCode()).isEqualTo(200);
    assertThat(Await.result(web.deleteAbs(nodeA.baseUrl() + viaA.getHeader("Location"))
        .putHeader("Authorization", "Bearer " + citizenMedia).send()).statusCode()).as("gone on B too").isEqualTo(404);

    // The clerk handles the case; chat and review cross the nodes.
    assertThat(Await.result(web.getAbs(nodeA.baseUrl() + "/api/cases?limit=10").putHeader("Cookie", clerkCookie)
        .putHeader("Access-Reason", "call " + callId).send()).bodyAsJsonArray().stream()
        .map(c -> ((JsonObject) c).getString("id"))).as("the clerk handles the case").contains(citizenCall.getString("caseId"));
    citizen.request("chat.text", new JsonObject().put("callId", callId).put("text", "Jó napot").put("final", true));
    JsonObject chat = clerkOnB.push("chat.text");
    assertThat(chat.getString("text")).isEqualTo("Jó napot");
    assertThat(chat.getString("from")).isEqualTo("citizen");
    assertThat(chat.getBoolean("final")).isTrue();
    clerkOnB.request("case.review", new JsonObject().put("callId", callId).put("caseId", citizenCall.getString("caseId")).put("version", 1));
    assertThat(citizen.push("case.review").getInteger("version")).isEqualTo(1);
    assertThat(clerkOnB.request("call.recording", new JsonObject().put("callId", callId).put("recording", true)).getString("code"))
        .isEqualTo("consent_missing");
    assertThat(clerk2OnA.request("call.end", new JsonObject().put("callId", callId)).getString("code"))
        .as("not a participant").isEqualTo("forbidden");

    JsonObject ended = clerkOnB.request("call.end", new JsonObject().put("callId", callId));

    assertThat(ended.getString("type")).isEqualTo("call.ended");
    assertThat(citizen.push("call.ended").getString("reason")).isEqualTo("ended_by_clerk");
    assertThat(clerkOnB.push("call.ended").getLong("wrapUpSeconds")).isEqualTo(30L);
    clerkOnB.push("clerk.state", state -> state.getString("state").equals("wrapup"));
    assertThat(clerkOnB.request("wrapup.done", new JsonObject().put("disposition", "went fishing")).getString("code"))
        .as("only the dispositions of docs/protocol.md").isEqualTo("invalid_message");
    assertThat(clerkOnB.request("wrapup.done", new JsonObject().put("disposition", "follow-up")).getString("state")).isEqualTo("available");
    assertThat(clerkOnB.request("wrapup.done", new JsonObject().put("disposition", "resolved")).getString("code")).isEqualTo("invalid_state");

    // The disposition is on the case's audit trail, with the call it closed; only auditors read it.
    String caseId = citizenCall.getString("caseId");
    String admin = apiA.login("admin", password("admin"));
    String auditorName = "auditor-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String auditorPassword = apiA.post("/api/admin/staff", admin,
        new JsonObject().put("username", auditorName).put("name", "Audit Or").put("role", "auditor")).bodyAsJsonObject().getString("password");
    String auditor = apiA.login(auditorName, auditorPassword);
    JsonObject wrapUp = apiA.get("/api/audit/events?subjectKind=case&subjectId=" + caseId, auditor).bodyAsJsonArray().stream()
        .map(JsonObject.class::cast).map(e -> e.getJsonObject("entry")).filter(e -> e.getString("action").equals("call.wrapup"))
        .findFirst().orElseThrow();
    assertThat(wrapUp.getString("reason")).isEqualTo("follow-up");
    assertThat(wrapUp.getString("actorRole")).isEqualTo("CLERK");
    assertThat(wrapUp.getString("detail")).isEqualTo("call=" + callId + " queue=address-registration ended=ended_by_clerk");
    assertThat(apiA.get("/api/audit/events?subjectKind=case&subjectId=" + caseId, clerkCookie).statusCode()).isEqualTo(403);
    assertThat(apiA.get("/api/audit/events?subjectKind=dragon&subjectId=" + caseId, auditor).bodyAsJsonObject().getString("code"))
        .isEqualTo("invalid_message");
    assertThat(apiA.get("/api/audit/events?subjectKind=case", auditor).statusCode()).isEqualTo(400);
    assertThat(citizen.request("call.end", new JsonObject().put("callId", callId)).getString("code")).isEqualTo("unknown_call");
    citizen.close();
  }

  @Test
  void whenTheNodeHostingACallsMediaStopsTheParticipantsMediaMovesToALiveNode() {
    AblakServer nodeC = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), stores.environment(Map.of())));
    WsClient citizen = citizen(nodeA);
    JsonObject joined = citizen.request("queue.join", Api.joinMessage(apiA.addressRegistrationDraft(citizenToken)));
    assertThat(joined.getString("type")).isEqualTo("queue.joined");
    WsClient clerkOnC = WsClient.connect(vertx, nodeC.baseUrl(), new Api(vertx, nodeC.baseUrl()).login("clerk", password("clerk")));
    clerkOnC.request("hello");
    clerkOnC.request("clerk.state", new JsonObject().put("state", "available"));
    JsonObject offer = clerkOnC.push("queue.offer");
    clerkOnC.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId")));
    JsonObject started = citizen.push("call.started");
    String callId = started.getString("callId");
    assertThat(started.getJsonObject("media").getString("whipUrl")).as("the accepting node hosts the media").startsWith(nodeC.baseUrl());
    JsonObject grant = citizen.request("call.media", new JsonObject().put("callId", callId));
    String whipUrl = grant.getJsonObject("media").getString("whipUrl");
    assertThat(whipUrl).as("the answering node's public URL").isEqualTo(nodeA.baseUrl() + "/whip/calls/" + callId);
    assertThat(whip(whipUrl, grant.getJsonObject("media").getString("token")).statusCode()).isEqualTo(201);
    assertThat(nodeC.sfu().findCall(callId)).as("a live media node keeps its calls").isPresent();
    assertThat(nodeA.sfu().findCall(callId)).isEmpty();

    nodeC.close();

    // The citizen's connection fails with node C; the fresh grant it asks for points at a live node, which takes the media.
    JsonObject moved = citizen.request("call.media", new JsonObject().put("callId", callId));
    assertThat(moved.getJsonObject("media").getString("whipUrl")).isEqualTo(whipUrl);
    HttpResponse<Buffer> published = whip(whipUrl, moved.getJsonObject("media").getString("token"));
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(201);
    assertThat(nodeA.sfu().findCall(callId)).as("node A took the media over").isPresent();
    // The clerk, back on a live node, is sent to the same place.
    JsonObject clerkGrant = clerkOnB.request("call.media", new JsonObject().put("callId", callId));
    HttpResponse<Buffer> clerkPublished = whip(clerkGrant.getJsonObject("media").getString("whipUrl"),
        clerkGrant.getJsonObject("media").getString("token"));
    assertThat(clerkPublished.statusCode()).as("node B hands it to node A").isEqualTo(201);
    assertThat(nodeB.sfu().findCall(callId)).isEmpty();

    assertThat(citizen.request("call.end", new JsonObject().put("callId", callId)).getString("type")).isEqualTo("call.ended");
    clerkOnB.push("clerk.state", state -> state.getString("state").equals("wrapup"));
    clerkOnB.request("wrapup.done", new JsonObject().put("disposition", "technical"));
    citizen.close();
  }

  @Test
  void everyBadRequestIsRefusedWithATypedErrorAndChangesNothing() {
    WsClient citizen = citizen(nodeA);
    JsonObject draft = apiA.addressRegistrationDraft(citizenToken);
    JsonObject join = Api.joinMessage(draft);

    assertThat(citizen.request("queue.join", join.copy().put("caseTypeId", "dragon-licence")).getString("code")).isEqualTo("unknown_case_type");
    assertThat(citizen.request("queue.join", join.copy().put("caseId", "not-a-uuid")).getString("code")).isEqualTo("invalid_message");
    assertThat(citizen.request("queue.join", join.copy().put("language", 7)).getString("code")).isEqualTo("invalid_message");
    assertThat(citizen.request("queue.join", join.copy().put("language", "de")).getString("code"))
        .as("address registration is not served in German").isEqualTo("invalid_message");
    assertThat(citizen.request("queue.join", join.copy().put("caseToken", "someone-elses")).getString("code")).isEqualTo("forbidden");
    assertThat(citizen.request("queue.join", join.copy().put("caseTypeId", "passport-renewal")).getString("code"))
        .as("the case is of another type").isEqualTo("invalid_message");
    assertThat(citizen.request("queue.join", join.copy().put("appointmentId", "a-1").put("appointmentToken", "t")).getString("code"))
        .isEqualTo("unknown_appointment");
    assertThat(clerkOnB.request("queue.join", join).getString("code")).isEqualTo("forbidden");
    assertThat(citizen.request("clerk.state", new JsonObject().put("state", "available")).getString("code")).isEqualTo("forbidden");
    assertThat(clerkOnB.request("clerk.state", new JsonObject().put("state", "dancing")).getString("code")).isEqualTo("invalid_message");
    assertThat(clerkOnB.request("queue.offer.accept", new JsonObject().put("offerId", "x.1")).getString("code")).isEqualTo("invalid_message");
    assertThat(clerkOnB.request("wallboard.subscribe").getString("code")).isEqualTo("forbidden");
    assertThat(citizen.request("queue.leave").getString("code")).as("none of the above joined").isEqualTo("invalid_state");

    assertThat(citizen.request("queue.join", join).getString("type")).isEqualTo("queue.joined");
    assertThat(citizen.request("queue.join", join).getString("code")).isEqualTo("already_queued");
    String contactId = citizen.request("queue.leave").getString("contactId");
    assertThat(citizen.request("queue.leave").getString("code")).isEqualTo("invalid_state");
    Await.until(() -> stores.logged("ABANDON", contactId), "leaving is logged as an abandon");
    assertThat(clerkOnB.request("clerk.state", new JsonObject().put("state", "available")).getString("state"))
        .as("the citizen who left is offered to nobody").isEqualTo("available");
    citizen.close();
  }

  @Test
  void theWallboardIsPushedWhenAClerkChangesStateOnAnotherNode() {
    WsClient supervisor = WsClient.connect(vertx, nodeA.baseUrl(), apiA.login("supervisor", password("supervisor")));
    supervisor.request("hello");

    JsonObject snapshot = supervisor.request("wallboard.subscribe");

    assertThat(snapshot.getString("type")).isEqualTo("wallboard.snapshot");
    assertThat(snapshot.getJsonArray("queues")).hasSize(7);
    JsonObject queue = snapshot.getJsonArray("queues").getJsonObject(0);
    assertThat(queue.getJsonObject("name").getString("en")).isEqualTo("Address registration");
    assertThat(queue.fieldNames()).contains("waiting", "longestWaitSeconds", "estimatedWaitSeconds", "serviceLevel", "abandonedToday");
    assertThat(snapshot.getJsonArray("clerks")).as("the clerks and the interpreter").hasSize(3);
    clerkOnB.request("clerk.state", new JsonObject().put("state", "break").put("reason", "lunch"));
    JsonObject pushed = supervisor.push("wallboard.snapshot", board -> board.getJsonArray("clerks").stream()
        .map(JsonObject.class::cast).anyMatch(row -> row.getString("state").equals("break")));
    JsonObject row = pushed.getJsonArray("clerks").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("state").equals("break")).findFirst().orElseThrow();
    assertThat(row.getString("name")).isEqualTo("Demo Clerk");
    assertThat(row.getString("reason")).isEqualTo("lunch");
    supervisor.close();
  }

  @Test
  void aCitizenWhoseConnectionStaysLostIsAbandonedAndMayJoinAgain() {
    WsClient citizen = citizen(nodeA);
    JsonObject join = Api.joinMessage(apiA.addressRegistrationDraft(citizenToken));
    String contactId = citizen.request("queue.join", join).getString("contactId");

    citizen.close();

    Await.until(() -> stores.logged("ABANDON", contactId), "the lost contact is abandoned after the resume time");
    WsClient back = WsClient.connect(vertx, nodeB.baseUrl(), null);
    back.request("hello", new JsonObject().put("token", citizenToken));
    assertThat(back.request("queue.join", join).getString("type")).isEqualTo("queue.joined");
    assertThat(back.request("queue.leave").getString("type")).isEqualTo("queue.left");
    back.close();
  }

  @Test
  void aCitizenLostWithTheNodeTheyWaitedOnIsAbandonedByAnotherNode() {
    AblakServer nodeC = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(),
        stores.environment(Map.of("ABLAK_PROTOCOL_HEARTBEAT_SECONDS", "1", "ABLAK_PROTOCOL_RESUME_TTL_SECONDS", "2"))));
    WsClient citizen = citizen(nodeC);
    String contactId = citizen.request("queue.join", Api.joinMessage(apiA.addressRegistrationDraft(citizenToken))).getString("contactId");

    // The node goes away with the citizen's connection; its own check of the loss goes with it.
    nodeC.close();

    Await.until(() -> stores.logged("ABANDON", contactId), "a surviving node abandons the contact after the resume time");
    citizen.close();
  }

  @Test
  void aCitizenWaitingOnANodeThatCrashedIsAbandonedByAnotherNode() {
    AblakServer nodeC = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), stores.environment(Map.of())));
    WsClient citizen = citizen(nodeC);
    String contactId = citizen.request("queue.join", Api.joinMessage(apiA.addressRegistrationDraft(citizenToken))).getString("contactId");
    CountDownLatch thaw = NodeCrash.crash(nodeC);
    try {
      // Node C closes nothing and notes nothing: only its presence lapsing tells the others.
      Await.until(() -> stores.logged("ABANDON", contactId), "a surviving node abandons the contact after the presence and resume times",
          NodeCrash.NOTICED);
    } finally {
      thaw.countDown();
      nodeC.close();
      citizen.close();
    }
  }

  @Test
  void aCitizenWhoResumesOnAnotherNodeAfterTheirNodeCrashedKeepsTheirPlace() {
    AblakServer nodeC = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), stores.environment(Map.of())));
    WsClient citizen = WsClient.connect(vertx, nodeC.baseUrl(), null);
    String visitToken = new Api(vertx, nodeC.baseUrl()).visitToken();
    String resumeToken = citizen.request("hello", new JsonObject().put("token", visitToken)).getString("resumeToken");
    String contactId = citizen.request("queue.join", Api.joinMessage(apiA.addressRegistrationDraft(visitToken))).getString("contactId");
    // A second citizen on node C who never comes back: their abandon shows that the check has run.
    WsClient gone = citizen(nodeC);
    String goneContactId = gone.request("queue.join", Api.joinMessage(apiA.addressRegistrationDraft(citizenToken))).getString("contactId");
    CountDownLatch thaw = NodeCrash.crash(nodeC);
    try {
      WsClient back = WsClient.connect(vertx, nodeA.baseUrl(), null);
      assertThat(back.request("resume", new JsonObject().put("token", resumeToken)).getString("type")).isEqualTo("resumed");

      Await.until(() -> stores.logged("ABANDON", goneContactId), "the citizen who did not come back is abandoned", NodeCrash.NOTICED);

      clerkOnB.request("clerk.state", new JsonObject().put("state", "available"));
      JsonObject offer = clerkOnB.push("queue.offer");
      assertThat(offer.getString("contactId")).as("the citizen who resumed is still waiting, first").isEqualTo(contactId);
      clerkOnB.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId")));
      String callId = back.push("call.started").getString("callId");
      assertThat(stores.logged("ABANDON", contactId)).isFalse();
      assertThat(back.request("call.end", new JsonObject().put("callId", callId)).getString("type")).isEqualTo("call.ended");
      clerkOnB.push("clerk.state", state -> state.getString("state").equals("wrapup"));
      clerkOnB.request("wrapup.done", new JsonObject().put("disposition", "technical"));
      back.close();
    } finally {
      thaw.countDown();
      nodeC.close();
      citizen.close();
      gone.close();
    }
  }

  private String citizenToken;

  private WsClient citizen(AblakServer node) {
    citizenToken = new Api(vertx, node.baseUrl()).visitToken();
    WsClient citizen = WsClient.connect(vertx, node.baseUrl(), null);
    citizen.request("hello", new JsonObject().put("token", citizenToken));
    return citizen;
  }

  private HttpResponse<Buffer> whip(String url, String token) {
    return Await.result(web.postAbs(url).putHeader("Content-Type", "application/sdp").putHeader("Authorization", "Bearer " + token)
        .sendBuffer(Buffer.buffer(OFFER)));
  }

  private static String password(String username) {
    return nodeA.demoCredentials().stream().filter(c -> c.username().equals(username)).map(DemoAccounts.Credential::password)
        .findFirst().orElseThrow();
  }
}
