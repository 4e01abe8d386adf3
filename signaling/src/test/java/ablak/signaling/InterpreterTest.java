package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.DemoAccounts;
import ablak.signaling.media.SdpOffers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An interpreter joins a call as its third participant: the clerk asks with {@code call.invite},
 * routing offers the request to a clerk with the interpreting skill and the language (here on the
 * other node), and on accept everyone sees three participants. Refusals are typed and change nothing.
 */
@ExtendWith(VertxExtension.class)
class InterpreterTest {

  private static final String OFFER = SdpOffers.audioVideo("sendrecv");

  private static MachineStores stores;
  private static AblakServer nodeA;
  private static AblakServer nodeB;

  @BeforeAll
  static void startTwoNodes() {
    stores = new MachineStores();
    Map<String, String> environment = stores.environment(Map.of());
    nodeA = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), environment));
    nodeB = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), environment));
  }

  @AfterAll
  static void stop() throws SQLException {
    nodeA.close();
    nodeB.close();
    stores.close();
  }

  @Test
  void anInvitedInterpreterJoinsTheCallAsItsThirdParticipant(Vertx vertx) {
    Api apiA = new Api(vertx, nodeA.baseUrl());
    WsClient clerk = staff(vertx, nodeA, "clerk");
    WsClient interpreter = staff(vertx, nodeB, "interpreter");
    String citizenToken = apiA.visitToken();
    WsClient citizen = WsClient.connect(vertx, nodeA.baseUrl(), null);
    citizen.request("hello", new JsonObject().put("token", citizenToken));
    HttpResponse<Buffer> draft = apiA.postAuthorized("/api/cases", "Bearer " + citizenToken,
        new JsonObject().put("caseType", "address-registration").put("language", "en").put("answers", new JsonObject()));
    citizen.request("queue.join", new JsonObject().put("caseTypeId", "address-registration").put("language", "en")
        .put("caseId", draft.bodyAsJsonObject().getJsonObject("caseView").getString("id"))
        .put("caseToken", draft.bodyAsJsonObject().getString("citizenToken")));
    clerk.request("clerk.state", new JsonObject().put("state", "available"));
    JsonObject offer = clerk.push("queue.offer");
    assertThat(offer.getString("kind")).isEqualTo("citizen");
    String callId = clerk.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId"))).getString("callId");
    citizen.push("call.started");
    JsonObject invite = new JsonObject().put("callId", callId).put("kind", "interpreter").put("language", "de");

    // Nobody who interprets is signed in: refused, and nothing is asked for.
    assertThat(clerk.request("call.invite", invite).getString("code")).isEqualTo("no_interpreter");
    assertThat(clerk.request("call.invite", invite.copy().put("kind", "dancer")).getString("code")).isEqualTo("invalid_message");
    assertThat(clerk.request("call.invite", invite.copy().put("language", "fr")).getString("code")).isEqualTo("invalid_message");
    assertThat(clerk.request("call.invite", invite.copy().put("callId", "no-such-call")).getString("code")).isEqualTo("unknown_call");
    assertThat(citizen.request("call.invite", invite).getString("code")).isEqualTo("forbidden");
    assertThat(interpreter.request("clerk.state", new JsonObject().put("state", "available")).getString("state")).isEqualTo("available");
    JsonObject invited = clerk.request("call.invite", invite.copy().put("kind", "sign-language"));
    assertThat(invited.getString("type")).as("the refused invites recorded nothing").isEqualTo("call.invited");
    assertThat(invited.getString("kind")).isEqualTo("sign-language");
    assertThat(clerk.request("call.invite", invite).getString("code")).as("one request at a time").isEqualTo("invalid_state");

    JsonObject rings = interpreter.push("queue.offer");
    assertThat(rings.getString("kind")).isEqualTo("sign-language");
    assertThat(rings.getString("callId")).isEqualTo(callId);
    assertThat(rings.getString("language")).isEqualTo("de");
    assertThat(rings.getString("caseTypeName")).isEqualTo("Address registration");
    assertThat(citizen.request("queue.offer.accept", new JsonObject().put("offerId", rings.getString("offerId"))).getString("code"))
        .isEqualTo("forbidden");
    assertThat(clerk.request("queue.offer.accept", new JsonObject().put("offerId", rings.getString("offerId"))).getString("code"))
        .isEqualTo("not_your_offer");

    JsonObject accepted = interpreter.request("queue.offer.accept", new JsonObject().put("offerId", rings.getString("offerId")));

    assertThat(accepted.getString("callId")).as(accepted.encode()).isEqualTo(callId);
    JsonObject started = interpreter.push("call.started");
    assertThat(started.getString("role")).isEqualTo("interpreter");
    assertThat(started.getString("kind")).isEqualTo("sign-language");
    // On the public origin of the interpreter's node (B); B hands the POST to A, which hosts the call's media.
    assertThat(started.getJsonObject("media").getString("whipUrl")).isEqualTo(nodeB.baseUrl() + "/whip/calls/" + callId);
    for (WsClient everyone : new WsClient[] {citizen, clerk, interpreter}) {
      JsonArray participants = everyone.push("call.participants", p -> p.getJsonArray("participants").size() == 3).getJsonArray("participants");
      assertThat(participants.stream().map(p -> ((JsonObject) p).getString("role"))).containsExactly("citizen", "clerk", "interpreter");
    }
    HttpResponse<Buffer> published = Await.result(WebClient.create(vertx).postAbs(started.getJsonObject("media").getString("whipUrl"))
        .putHeader("Content-Type", "application/sdp").putHeader("Authorization", "Bearer " + started.getJsonObject("media").getString("token"))
        .sendBuffer(Buffer.buffer(OFFER)));
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(201);
    assertThat(nodeA.meters().find("ablak.media.participant.packets").tag("role", "interpreter").meters())
        .as("the SFU holds the interpreter in the interpreter role").isNotEmpty();

    interpreter.request("chat.text", new JsonObject().put("callId", callId).put("text", "Guten Tag").put("final", true));
    assertThat(citizen.push("chat.text").getString("from")).isEqualTo("interpreter");
    assertThat(interpreter.request("call.recording", new JsonObject().put("callId", callId).put("recording", false)).getString("code"))
        .as("only the call's clerk").isEqualTo("forbidden");
    Await.until(() -> logged("CONFERENCE"), "routing logs the conference");

    // The interpreter leaves; the call goes on between the other two.
    assertThat(interpreter.request("call.end", new JsonObject().put("callId", callId)).getString("reason")).isEqualTo("ended_by_interpreter");
    assertThat(clerk.push("call.participants", p -> p.getJsonArray("participants").size() == 2).getJsonArray("participants")).hasSize(2);
    assertThat(interpreter.request("chat.text", new JsonObject().put("callId", callId).put("text", "x").put("final", true)).getString("code"))
        .isEqualTo("forbidden");
    assertThat(clerk.request("chat.text", new JsonObject().put("callId", callId).put("text", "Still here").put("final", true)).getString("type"))
        .isEqualTo("chat.sent");
    interpreter.push("clerk.state", state -> state.getString("state").equals("available"));
    clerk.request("call.end", new JsonObject().put("callId", callId));
    assertThat(citizen.push("call.ended").getString("reason")).isEqualTo("ended_by_clerk");
    clerk.push("clerk.state", state -> state.getString("state").equals("wrapup"));
    clerk.request("wrapup.done", new JsonObject().put("disposition", "resolved"));
    clerk.request("clerk.state", new JsonObject().put("state", "offline"));
    interpreter.request("clerk.state", new JsonObject().put("state", "offline"));
  }

  private static WsClient staff(Vertx vertx, AblakServer node, String username) {
    WsClient client = WsClient.connect(vertx, node.baseUrl(), new Api(vertx, node.baseUrl()).login(username, password(username)));
    client.request("hello");
    return client;
  }

  private static boolean logged(String event) {
    try (var db = stores.jdbc(); var rows = db.createStatement().executeQuery("SELECT count(*) FROM queue.queue_log WHERE event = '" + event + "'")) {
      rows.next();
      return rows.getInt(1) > 0;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static String password(String username) {
    return nodeA.demoCredentials().stream().filter(c -> c.username().equals(username)).map(DemoAccounts.Credential::password)
        .findFirst().orElseThrow();
  }
}
