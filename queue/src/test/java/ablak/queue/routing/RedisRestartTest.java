package ablak.queue.routing;

import static ablak.queue.routing.Fixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/** Redis with an append-only file is stopped and started again under a running engine. */
class RedisRestartTest {

  @Test
  void waitingContactsSurviveARedisRestartAndRoutingGoesOn() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("redis-aof");
    RedisServer redis = server(port, dir);
    redis.start();
    try (Fixture fx = new Fixture("redis://127.0.0.1:" + port)) {
      RoutingEngine engine = fx.engine("node-a");
      await(engine.enqueue(ContactRequest.of("c1", "general", "hu")));
      await(engine.enqueue(ContactRequest.of("c2", "general", "hu")));

      redis.stop();
      redis = server(port, dir);
      redis.start();

      // the script cache is gone after the restart: the engine loads it again on NOSCRIPT
      assertThat(await(engine.positions("general", List.of("c1", "c2"))).getKey()).containsExactly(1, 2);
      await(engine.registerClerk(Fixture.clerk("anna", Map.of("general", 1))));
      await(engine.setStatus("anna", ClerkStatus.READY, null));
      assertThat(fx.events("OFFER")).extracting(e -> e.contactId()).containsExactly("c1");
      engine.close();
    } finally {
      redis.stop();
    }
  }

  private static RedisServer server(int port, Path dir) throws Exception {
    return RedisServer.newRedisServer().port(port).bind("127.0.0.1")
        .setting("appendonly yes").setting("appendfsync always").setting("dir " + dir).build();
  }
}
