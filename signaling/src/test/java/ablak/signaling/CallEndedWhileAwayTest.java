package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.DemoAccounts;
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
 * A participant whose connection was lost while their call ended: the {@code call.ended} pushed meanwhile
 * reached nobody, and pushes are not replayed after {@code resume}. What a client back from the loss relies
 * on (docs/protocol.md, "Resume" and "A call that ended while the client was away"): a clerk is pushed their
 * current {@code clerk.state} on the new connection, and {@code call.media} for the old call answers
 * {@code unknown_call}, which tells a citizen whether they wait in a queue again. The resume time is a minute,
 * so that nobody is taken out as lost while the test runs.
 */
@ExtendWith(VertxExtension.class)
class CallEndedWhileAwayTest {

  private static MachineStores stores;
  private static AblakServer node;

  private Vertx vertx;
  private Api api;
  private String citizenToken;

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
  }

  @Test
  void aClerkBackAfterTheCitizenEndedTheCallIsToldTheCallIsOverAndThatTheyAreInWrapUp() {
    WsClient clerk = clerk(node, "clerk");
    String resumeToken = clerk.request("hello").getString("resumeToken");
    WsClient citizen = citizen();
    String callId = callBetween(clerk, citizen);

    clerk.close();
    assertThat(citizen.request("call.end", new JsonObject().put("callId", callId)).getString("type")).isEqualTo("call.ended");

    WsClient back = WsClient.connect(vertx, node.baseUrl(), null);
    assertThat(back.request("resume", new JsonObject().put("token", resumeToken)).getString("type")).isEqualTo("resumed");
    // The read on connection carries the wrap-up time: a late routing event would not.
    JsonObject state = back.push("clerk.state", pushed -> pushed.containsKey("wrapUpSeconds"));
    assertThat(state.getString("state")).isEqualTo("wrapup");
    assertThat(state.getLong("wrapUpSeconds")).isPositive();
    assertThat(state.getLong("since")).isPositive();
    JsonObject media = back.request("call.media", new JsonObject().put("callId", callId));
    assertThat(media.getString("type")).isEqualTo("error");
    assertThat(media.getString("code")).isEqualTo("unknown_call");
    assertThat(media.containsKey("waiting")).as("only a citizen is told whether they wait").isFalse();

    back.request("wrapup.done", new JsonObject().put("disposition", "technical"));
    back.request("clerk.state", new JsonObject().put("state", "offline"));
    back.close();
    citizen.close();
  }

  @Test
  void aCitizenBackAfterTheClerkEndedTheCallIsToldItIsOverAndThatTheyWaitNowhere() {
    WsClient clerk = clerk(node, "clerk2");
    clerk.request("hello");
    WsClient citizen = citizen();
    String resumeToken = citizenResumeToken;
    String callId = callBetween(clerk, citizen);

    citizen.close();
    assertThat(clerk.request("call.end", new JsonObject().put("callId", callId)).getString("type")).isEqualTo("call.ended");

    WsClient back = WsClient.connect(vertx, node.baseUrl(), null);
    assertThat(back.request("resume", new JsonObject().put("token", resumeToken)).getString("type")).isEqualTo("resumed");
    JsonObject media = back.request("call.media", new JsonObject().put("callId", callId));
    assertThat(media.getString("code")).isEqualTo("unknown_call");
    assertThat(media.getBoolean("waiting")).isFalse();
    assertThat(back.request("queue.leave").getString("code")).as("in no queue").isEqualTo("invalid_state");

    offDuty(clerk);
    back.close();
  }

  @Test
  void aCitizenBackAfterTheirCallWasTransferredIsToldItIsOverAndThatTheyWaitAgain() {
    WsClient clerk = clerk(node, "clerk2");
    clerk.request("hello");
    WsClient citizen = citizen();
    String resumeToken = citizenResumeToken;
    String callId = callBetween(clerk, citizen);

    citizen.close();
    assertThat(clerk.request("call.transfer", new JsonObject().put("callId", callId).put("queueId", "passport-renewal")).getString("type"))
        .isEqualTo("call.transferred");

    WsClient back = WsClient.connect(vertx, node.baseUrl(), null);
    assertThat(back.request("resume", new JsonObject().put("token", resumeToken)).getString("type")).isEqualTo("resumed");
    JsonObject media = back.request("call.media", new JsonObject().put("callId", callId));
    assertThat(media.getString("code")).isEqualTo("unknown_call");
    assertThat(media.getBoolean("waiting")).isTrue();
    assertThat(back.push("queue.position").getInteger("position")).as("first in the queue it was passed on to").isEqualTo(1);
    assertThat(back.request("queue.leave").getString("type")).as("waiting in a queue").isEqualTo("queue.left");

    offDuty(clerk);
    back.close();
  }

  @Test
  void aClerkLostWithTheirNodeWhoComesBackAfterRoutingSignedThemOutIsToldTheCallIsOverAndThatTheyAreOffline() {
    // The clerk's node gives routing a two-second presence: once it dies, routing signs the clerk out
    // and ends the call (clerk_lost) long before the minute the clerk has to resume.
    AblakServer clerksNode = TestNodes.reconnecting(stores, Map.of("ABLAK_QUEUE_PRESENCE_TTL", "PT2S"));
    WsClient clerk = clerk(clerksNode, "clerk");
    String resumeToken = clerk.request("hello").getString("resumeToken");
    WsClient citizen = citizen();
    String callId = callBetween(clerk, citizen);
    CountDownLatch thaw = NodeCrash.crash(clerksNode);
    try {
      JsonObject ended = citizen.push("call.ended");
      assertThat(ended.getString("reason")).isEqualTo("clerk_lost");

      WsClient back = WsClient.connect(vertx, node.baseUrl(), null);
      assertThat(back.request("resume", new JsonObject().put("token", resumeToken)).getString("type")).isEqualTo("resumed");
      JsonObject state = back.push("clerk.state");
      assertThat(state.getString("state")).isEqualTo("offline");
      assertThat(back.request("call.media", new JsonObject().put("callId", callId)).getString("code")).isEqualTo("unknown_call");

      back.close();
      citizen.request("queue.leave");
      citizen.close();
    } finally {
      thaw.countDown();
      clerksNode.close();
      clerk.close();
    }
  }

  /** The clerk goes available and accepts the citizen, who joined the queue; returns the call's id. */
  private String callBetween(WsClient clerk, WsClient citizen) {
    citizen.request("queue.join", Api.joinMessage(api.addressRegistrationDraft(citizenToken)));
    clerk.request("clerk.state", new JsonObject().put("state", "available"));
    JsonObject offer = clerk.push("queue.offer");
    clerk.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId")));
    clerk.push("call.started");
    return citizen.push("call.started").getString("callId");
  }

  private static void offDuty(WsClient clerk) {
    clerk.push("clerk.state", state -> state.getString("state").equals("wrapup"));
    clerk.request("wrapup.done", new JsonObject().put("disposition", "technical"));
    clerk.request("clerk.state", new JsonObject().put("state", "offline"));
    clerk.close();
  }

  private String citizenResumeToken;

  private WsClient citizen() {
    citizenToken = api.visitToken();
    WsClient citizen = WsClient.connect(vertx, node.baseUrl(), null);
    citizenResumeToken = citizen.request("hello", new JsonObject().put("token", citizenToken)).getString("resumeToken");
    return citizen;
  }

  private WsClient clerk(AblakServer on, String username) {
    String password = node.demoCredentials().stream().filter(c -> c.username().equals(username)).map(DemoAccounts.Credential::password)
        .findFirst().orElseThrow();
    return WsClient.connect(vertx, on.baseUrl(), new Api(vertx, on.baseUrl()).login(username, password));
  }
}
