package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.DemoAccounts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node stops while one of its clerks is being offered a citizen waiting on another node: the
 * offer returns to the queue with the citizen's place, and a clerk on the surviving node gets it.
 */
@ExtendWith(VertxExtension.class)
class NodeStopTest {

  private static MachineStores stores;
  private static AblakServer survivor;
  private static AblakServer stopping;
  private static boolean stopped;

  @BeforeAll
  static void startTwoNodes() {
    stores = new MachineStores();
    // Offers ring far longer than the test waits, so only the stopped node's clerk going away can return it.
    Map<String, String> environment = stores.environment(Map.of(
        "ABLAK_QUEUE_OFFER_TIMEOUT", "PT5M", "ABLAK_QUEUE_PRESENCE_TTL", "PT3S",
        "ABLAK_PROTOCOL_HEARTBEAT_SECONDS", "1", "ABLAK_PROTOCOL_RESUME_TTL_SECONDS", "2"));
    survivor = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), environment));
    stopping = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), environment));
  }

  @AfterAll
  static void stop() throws Exception {
    survivor.close();
    if (!stopped) {
      stopping.close();
    }
    stores.close();
  }

  @Test
  void anOfferRingingOnAStoppedNodeGoesBackToTheQueueAndToAClerkOnAnotherNode(Vertx vertx) {
    Api api = new Api(vertx, survivor.baseUrl());
    String visitToken = api.visitToken();
    WsClient citizen = WsClient.connect(vertx, survivor.baseUrl(), null);
    citizen.request("hello", new JsonObject().put("token", visitToken));
    HttpResponse<Buffer> draft = api.postAuthorized("/api/cases", "Bearer " + visitToken,
        new JsonObject().put("caseType", "address-registration").put("language", "en").put("answers", new JsonObject()));
    JsonObject joined = citizen.request("queue.join", new JsonObject().put("caseTypeId", "address-registration").put("language", "en")
        .put("caseId", draft.bodyAsJsonObject().getJsonObject("caseView").getString("id"))
        .put("caseToken", draft.bodyAsJsonObject().getString("citizenToken")));
    assertThat(joined.getString("type")).as(joined.encode()).isEqualTo("queue.joined");

    WsClient doomedClerk = WsClient.connect(vertx, stopping.baseUrl(), new Api(vertx, stopping.baseUrl()).login("clerk", password("clerk")));
    doomedClerk.request("hello");
    doomedClerk.request("clerk.state", new JsonObject().put("state", "available"));
    assertThat(doomedClerk.push("queue.offer").getString("contactId")).isEqualTo(joined.getString("contactId"));

    stopping.close();
    stopped = true;

    WsClient clerk = WsClient.connect(vertx, survivor.baseUrl(), api.login("clerk2", password("clerk2")));
    clerk.request("hello");
    clerk.request("clerk.state", new JsonObject().put("state", "available"));
    JsonObject offer = clerk.push("queue.offer");
    assertThat(offer.getString("contactId")).as("the citizen kept their place and is offered again").isEqualTo(joined.getString("contactId"));
    assertThat(clerk.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId"))).getString("type"))
        .isEqualTo("queue.offer.accepted");
    assertThat(citizen.push("call.started").getString("callId")).isNotBlank();
    citizen.close();
    clerk.close();
  }

  private static String password(String username) {
    return survivor.demoCredentials().stream().filter(c -> c.username().equals(username)).map(DemoAccounts.Credential::password)
        .findFirst().orElseThrow();
  }
}
