package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A citizen waiting in a queue who opens a new connection is told their place at once (docs/protocol.md, "Resume"):
 * a reloaded page says {@code hello} with the visit token it kept and knows nothing of the queue until then; a
 * resumed one may have missed pushes. The place is pushed even when it is the one the old connection was last told.
 * No clerk is signed in on this node, so nobody takes the citizens while the test runs.
 */
@ExtendWith(VertxExtension.class)
class RejoinQueueTest {

  private static MachineStores stores;
  private static AblakServer node;

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

  @Test
  void aWaitingCitizenWhoSaysHelloOnANewConnectionIsToldTheirPlace(Vertx vertx) {
    Api api = new Api(vertx, node.baseUrl());
    Waiting first = join(vertx, api);
    Waiting second = join(vertx, api);
    int place = second.connection().push("queue.position").getInteger("position");
    assertThat(place).as("behind the first citizen").isEqualTo(first.position() + 1);

    // The reloaded page: the old connection is gone, the new one says hello with the visit token the page kept.
    second.connection().close();
    WsClient reloaded = WsClient.connect(vertx, node.baseUrl(), null);
    reloaded.request("hello", new JsonObject().put("token", second.token()));
    JsonObject told = reloaded.push("queue.position");

    assertThat(told.getString("contactId")).isEqualTo(second.contactId());
    assertThat(told.getInteger("position")).as("the same place the old connection was last told").isEqualTo(place);
    assertThat(told.containsKey("estimatedWaitSeconds")).isTrue();

    assertThat(reloaded.request("queue.leave").getString("type")).isEqualTo("queue.left");
    assertThat(first.connection().request("queue.leave").getString("type")).isEqualTo("queue.left");
    reloaded.close();
    first.connection().close();
  }

  @Test
  void aWaitingCitizenWhoResumesIsToldTheirPlaceAgain(Vertx vertx) {
    Api api = new Api(vertx, node.baseUrl());
    Waiting waiting = join(vertx, api);
    int place = waiting.connection().push("queue.position").getInteger("position");

    waiting.connection().close();
    WsClient back = WsClient.connect(vertx, node.baseUrl(), null);
    assertThat(back.request("resume", new JsonObject().put("token", waiting.resumeToken())).getString("type")).isEqualTo("resumed");
    JsonObject told = back.push("queue.position");

    assertThat(told.getString("contactId")).isEqualTo(waiting.contactId());
    assertThat(told.getInteger("position")).isEqualTo(place);

    assertThat(back.request("queue.leave").getString("type")).isEqualTo("queue.left");
    back.close();
  }

  private record Waiting(WsClient connection, String token, String resumeToken, String contactId, int position) {}

  /** A new visit that says hello and joins the address registration queue. */
  private static Waiting join(Vertx vertx, Api api) {
    String token = api.visitToken();
    WsClient citizen = WsClient.connect(vertx, node.baseUrl(), null);
    String resumeToken = citizen.request("hello", new JsonObject().put("token", token)).getString("resumeToken");
    JsonObject joined = citizen.request("queue.join", Api.joinMessage(api.addressRegistrationDraft(token)));
    assertThat(joined.getString("type")).isEqualTo("queue.joined");
    return new Waiting(citizen, token, resumeToken, joined.getString("contactId"), joined.getInteger("position"));
  }
}
