package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.embedded.RedisServer;

/** What a node does when its Redis goes away and comes back. */
@ExtendWith(VertxExtension.class)
class StoreFailureTest {

  @Test
  void losingRedisMakesTheNodeUnreadyAndRefusesWorkUntilRedisIsBack(Vertx vertx) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").build();
    redis.start();
    try (MachineStores stores = new MachineStores();
        AblakServer node = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), stores.environment(Map.of(
            "REDIS_URL", "redis://127.0.0.1:" + port, "ABLAK_AUTH_SEED_DEMO_ACCOUNTS", "false"))))) {
      Api api = new Api(vertx, node.baseUrl());
      assertThat(api.get("/health/ready", null).statusCode()).isEqualTo(200);
      WsClient client = WsClient.connect(vertx, node.baseUrl(), null);

      redis.stop();

      Await.until(() -> api.get("/health/ready", null).statusCode() == 503, "readiness reports Redis down");
      assertThat(api.get("/health/ready", null).bodyAsJsonObject().getJsonObject("checks").getString("redis")).isEqualTo("down");
      assertThat(api.get("/health/live", null).statusCode()).isEqualTo(200);
      JsonObject refused = client.request("hello", new JsonObject().put("token", api.visitToken()));
      assertThat(refused.getString("code")).isEqualTo("unavailable");

      redis.start();

      Await.until(() -> api.get("/health/ready", null).statusCode() == 200, "readiness recovers");
      assertThat(client.request("hello", new JsonObject().put("token", api.visitToken())).getString("type"))
          .as("the refused hello changed nothing: the connection can still say hello").isEqualTo("welcome");
      client.close();
    } finally {
      redis.stop();
    }
  }
}
