package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.DemoAccounts;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
 * A clerk in a call whose signaling node dies: routing signs the clerk out once their presence lapses
 * ({@code queue.presenceTtl}) and puts the contact back in the queue (CLERKLOST), while signaling's
 * lost-connection check of the clerk comes later ({@code protocol.resumeTtlSeconds} after the node's
 * death is noticed). The clerk's node here has a two-second presence, the citizen's node a two-second
 * resume time, so routing acts about three seconds after the crash and the lost-connection check
 * about seven seconds after it, the order they have with the defaults (30 s and 120 s).
 */
@ExtendWith(VertxExtension.class)
class ClerkLostTest {

  /** A dead node's presence lapses (5 s), then its users get the resume time (2 s) before the sweep takes them. */

  private static MachineStores stores;
  private static AblakServer nodeA;
  private static RedisClient redisClient;
  private static StatefulRedisConnection<String, String> redis;

  private Vertx vertx;
  private Api apiA;
  private AblakServer nodeC;
  private CountDownLatch thaw;
  private WsClient supervisor;
  /** Connections to node C, closed after it: closing one while the node is frozen would wait for nothing. */
  private final java.util.List<WsClient> onC = new java.util.ArrayList<>();

  @BeforeAll
  static void startNode() {
    stores = new MachineStores();
    nodeA = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), stores.environment(Map.of(
        "ABLAK_PROTOCOL_HEARTBEAT_SECONDS", "1", "ABLAK_PROTOCOL_RESUME_TTL_SECONDS", "2"))));
    redisClient = RedisClient.create("redis://127.0.0.1:6379");
    redis = redisClient.connect();
  }

  @AfterAll
  static void stop() throws SQLException {
    redis.close();
    redisClient.shutdown();
    nodeA.close();
    stores.close();
  }

  @BeforeEach
  void startTheClerksNode(Vertx vertx) {
    this.vertx = vertx;
    apiA = new Api(vertx, nodeA.baseUrl());
    nodeC = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), stores.environment(Map.of(
        "ABLAK_PROTOCOL_HEARTBEAT_SECONDS", "1", "ABLAK_PROTOCOL_RESUME_TTL_SECONDS", "2", "ABLAK_QUEUE_PRESENCE_TTL", "PT2S"))));
    supervisor = WsClient.connect(vertx, nodeA.baseUrl(), apiA.login("supervisor", password("supervisor")));
    supervisor.request("hello");
  }

  @AfterEach
  void stopTheClerksNode() {
    if (thaw != null) {
      thaw.countDown();
    }
    nodeC.close();
    onC.forEach(WsClient::close);
    supervisor.close();
  }

  @Test
  void aCitizenWhoseClerkIsLostWithTheirNodeWaitsAgainAtTheHeadAndIsServedByAnotherClerk() {
    WsClient citizen = citizen();
    String contactId = citizen.request("queue.join", Api.joinMessage(apiA.addressRegistrationDraft(citizenToken))).getString("contactId");
    WsClient lostClerk = clerk(nodeC, "clerk");
    String lostClerkId = lostClerk.request("hello").getJsonObject("user").getString("id");
    lostClerk.request("clerk.state", new JsonObject().put("state", "available"));
    JsonObject offer = lostClerk.push("queue.offer");
    lostClerk.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId")));
    String firstCallId = citizen.push("call.started").getString("callId");
    // Another citizen waits meanwhile: the one whose clerk was lost must come before them.
    WsClient later = citizen();
    String laterContactId = later.request("queue.join", Api.joinMessage(apiA.addressRegistrationDraft(citizenToken))).getString("contactId");
    WsClient clerk2 = clerk(nodeA, "clerk2");
    clerk2.request("hello");

    thaw = NodeCrash.crash(nodeC);

    Await.until(() -> stores.logged("CLERKLOST", contactId), "routing puts the contact back in the queue once the clerk's presence lapsed",
        NodeCrash.NOTICED);
    Await.until(() -> "connection lost".equals(routingClerk(lostClerkId, "reason")), "the clerk's lost-connection check has run",
        NodeCrash.NOTICED);

    // The next clerk is offered them first, and the call starts.
    clerk2.request("clerk.state", new JsonObject().put("state", "available"));
    JsonObject next = clerk2.push("queue.offer");
    assertThat(next.getString("contactId")).as("the citizen whose clerk was lost comes first").isEqualTo(contactId);
    assertThat(clerk2.request("queue.offer.accept", new JsonObject().put("offerId", next.getString("offerId"))).getString("type"))
        .isEqualTo("queue.offer.accepted");
    // Before that the citizen was told that their call ended and that they wait again, at their old place.
    JsonObject ended = citizen.push("call.ended");
    assertThat(ended.getString("callId")).isEqualTo(firstCallId);
    assertThat(ended.getString("reason")).isEqualTo("clerk_lost");
    assertThat(ended.getString("queueId")).isEqualTo("address-registration");
    assertThat(citizen.push("queue.position").getInteger("position")).isEqualTo(1);
    JsonObject lostRow = clerkRow(lostClerkId);
    assertThat(lostRow.getString("state")).isEqualTo("offline");
    assertThat(lostRow.getString("callId")).as("the lost clerk is in no call").isNull();

    JsonObject started = citizen.push("call.started");
    String secondCallId = started.getString("callId");
    assertThat(secondCallId).isNotEqualTo(firstCallId);
    assertThat(started.getString("caseId")).isNotNull();
    assertThat(citizen.request("queue.leave").getString("code")).as("in a call, not waiting").isEqualTo("invalid_state");
    assertThat(citizen.request("call.end", new JsonObject().put("callId", secondCallId)).getString("type")).isEqualTo("call.ended");
    assertThat(clerk2.push("call.ended", m -> m.getString("callId").equals(secondCallId)).getString("reason")).isEqualTo("ended_by_citizen");
    assertThat(stores.logged("ABANDON", contactId)).isFalse();
    assertThat(citizen.request("queue.leave").getString("code")).as("nothing of the visit is left in a queue").isEqualTo("invalid_state");
    later.request("queue.leave");
    clerk2.push("clerk.state", state -> state.getString("state").equals("wrapup"));
    clerk2.request("wrapup.done", new JsonObject().put("disposition", "technical"));
    clerk2.request("clerk.state", new JsonObject().put("state", "offline"));
    clerk2.close();
    later.close();
    citizen.close();
  }

  @Test
  void aClerkWhoResumesOnAnotherNodeKeepsTheirCallPastRoutingsPresenceTime() {
    WsClient citizen = citizen();
    WsClient clerk = clerk(nodeC, "clerk2");
    String resumeToken = clerk.request("hello").getString("resumeToken");
    clerk.request("clerk.state", new JsonObject().put("state", "available"));
    // Signed in after the clerk on the same node, and never back: once routing signs them out, the
    // clerk's own presence would have lapsed too, unless a live node heart-beats them.
    WsClient witness = clerk(nodeC, "interpreter");
    String witnessId = witness.request("hello").getJsonObject("user").getString("id");
    witness.request("clerk.state", new JsonObject().put("state", "break").put("reason", "witness"));
    String contactId = citizen.request("queue.join", Api.joinMessage(apiA.addressRegistrationDraft(citizenToken))).getString("contactId");
    JsonObject offer = clerk.push("queue.offer");
    clerk.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId")));
    String callId = citizen.push("call.started").getString("callId");

    thaw = NodeCrash.crash(nodeC);
    WsClient back = WsClient.connect(vertx, nodeA.baseUrl(), null);
    JsonObject resumed = back.request("resume", new JsonObject().put("token", resumeToken));
    assertThat(resumed.getString("type")).isEqualTo("resumed");
    String clerkId = resumed.getJsonObject("user").getString("id");

    Await.until(() -> "offline".equals(routingClerk(witnessId, "state")), "routing signs out the clerk who did not come back",
        NodeCrash.NOTICED);

    JsonObject row = clerkRow(clerkId);
    assertThat(row.getString("state")).as(row.encode()).isEqualTo("busy");
    assertThat(row.getString("callId")).isEqualTo(callId);
    assertThat(stores.logged("CLERKLOST", contactId)).isFalse();
    assertThat(back.request("chat.text", new JsonObject().put("callId", callId).put("text", "still here").put("final", true))
        .getString("code")).as("the call goes on").isNull();
    assertThat(citizen.push("chat.text").getString("text")).isEqualTo("still here");
    assertThat(back.request("call.end", new JsonObject().put("callId", callId)).getString("type")).isEqualTo("call.ended");
    assertThat(citizen.push("call.ended").getString("reason")).isEqualTo("ended_by_clerk");
    back.push("clerk.state", state -> state.getString("state").equals("wrapup"));
    back.request("wrapup.done", new JsonObject().put("disposition", "resolved"));
    back.request("clerk.state", new JsonObject().put("state", "offline"));
    back.close();
    citizen.close();
  }

  /** A field of routing's record of the clerk, read from Redis: polling the wallboard would be rate-limited. */
  private static String routingClerk(String clerkId, String field) {
    return redis.sync().hget("{" + stores.queueTag + "}:clerk:" + clerkId, field);
  }

  /** The clerk's row on a fresh wallboard snapshot. */
  private JsonObject clerkRow(String clerkId) {
    return supervisor.request("wallboard.subscribe").getJsonArray("clerks").stream().map(JsonObject.class::cast)
        .filter(row -> row.getString("clerkId").equals(clerkId)).findFirst().orElseThrow();
  }
  private String citizenToken;

  private WsClient citizen() {
    citizenToken = apiA.visitToken();
    WsClient citizen = WsClient.connect(vertx, nodeA.baseUrl(), null);
    citizen.request("hello", new JsonObject().put("token", citizenToken));
    return citizen;
  }

  private WsClient clerk(AblakServer node, String username) {
    WsClient clerk = WsClient.connect(vertx, node.baseUrl(), new Api(vertx, node.baseUrl()).login(username, password(username)));
    if (node == nodeC) {
      onC.add(clerk);
    }
    return clerk;
  }

  private static String password(String username) {
    return nodeA.demoCredentials().stream().filter(c -> c.username().equals(username)).map(DemoAccounts.Credential::password)
        .findFirst().orElseThrow();
  }
}
