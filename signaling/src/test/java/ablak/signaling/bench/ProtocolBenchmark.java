package ablak.signaling.bench;

import ablak.signaling.AblakServer;
import ablak.signaling.config.SettingsLoader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Round trips of the {@code ping} message through a whole node (rate limit, size check, JSON
 * parse, registry checks, payload binding, handler, reply encoding, metrics), beside the same
 * round trips against a bare Vert.x WebSocket server that parses the JSON and answers, measured in
 * the same run. The ratio is what the protocol layer costs.
 *
 * <p>Run: {@code mvn -B -q -pl signaling test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=ablak.signaling.bench.ProtocolBenchmark} (optional args: connections seconds).
 */
public final class ProtocolBenchmark {

  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("ABLAK_HTTP_PORT", "0");
    environment.put("ABLAK_STORES_DATA_DIR", Files.createTempDirectory("ablak-bench-").toString());
    environment.put("ABLAK_AUTH_SEED_DEMO_ACCOUNTS", "false");
    // The benchmark measures handling, not the flood protection.
    environment.put("ABLAK_PROTOCOL_RATE_LIMIT_PER_SECOND", "1000000");
    environment.put("ABLAK_PROTOCOL_RATE_LIMIT_BURST", "1000000");

    Vertx clients = Vertx.vertx();
    try (AblakServer node = AblakServer.start(SettingsLoader.load(null, environment))) {
      Vertx bareVertx = Vertx.vertx();
      HttpServer bare = await(bareVertx.createHttpServer().webSocketHandler(socket -> socket.textMessageHandler(text -> {
        JsonObject request = new JsonObject(text);
        socket.writeTextMessage(new JsonObject().put("type", "pong").put("ref", request.getString("id"))
            .put("time", System.currentTimeMillis()).encode());
      })).listen(0, "127.0.0.1"));
      URI nodeUri = URI.create(node.baseUrl());

      Result warmNode = run(clients, nodeUri.getPort(), connections, 2);
      Result warmBare = run(clients, bare.actualPort(), connections, 2);
      Result bareResult = run(clients, bare.actualPort(), connections, seconds);
      Result nodeResult = run(clients, nodeUri.getPort(), connections, seconds);

      System.out.printf("%n%d connections, %d s each, closed loop (one request in flight per connection)%n", connections, seconds);
      System.out.printf("baseline  bare Vert.x WebSocket JSON echo : %9.0f round trips/s  p50 %6.2f ms  p99 %6.2f ms%n",
          bareResult.perSecond(), bareResult.p50Ms(), bareResult.p99Ms());
      System.out.printf("ablak     ping through MessageRegistry    : %9.0f round trips/s  p50 %6.2f ms  p99 %6.2f ms%n",
          nodeResult.perSecond(), nodeResult.p50Ms(), nodeResult.p99Ms());
      System.out.printf("ratio     ablak / baseline                : %9.2f%n", nodeResult.perSecond() / bareResult.perSecond());
      if (warmNode.count() == 0 || warmBare.count() == 0) {
        throw new IllegalStateException("warm-up made no round trips");
      }
      await(bareVertx.close());
    } finally {
      await(clients.close());
    }
  }

  record Result(long count, double perSecond, double p50Ms, double p99Ms) {}

  private static Result run(Vertx vertx, int port, int connections, int seconds) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    List<WebSocket> sockets = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      WebSocket socket = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws")));
      sockets.add(socket);
    }
    AtomicBoolean running = new AtomicBoolean(true);
    long[][] latencies = new long[connections][];
    int[] counts = new int[connections];
    List<Future<Void>> done = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      int index = i;
      latencies[i] = new long[1 << 20];
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      WebSocket socket = sockets.get(i);
      long[] sentAt = new long[1];
      socket.textMessageHandler(text -> {
        long now = System.nanoTime();
        if (counts[index] < latencies[index].length) {
          latencies[index][counts[index]] = now - sentAt[0];
        }
        counts[index]++;
        if (running.get()) {
          sentAt[0] = System.nanoTime();
          socket.writeTextMessage("{\"type\":\"ping\",\"id\":\"" + counts[index] + "\"}");
        } else {
          finished.tryComplete();
        }
      });
      vertx.runOnContext(start -> {
        sentAt[0] = System.nanoTime();
        socket.writeTextMessage("{\"type\":\"ping\",\"id\":\"0\"}");
      });
    }
    long started = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    running.set(false);
    long elapsed = System.nanoTime() - started;
    await(Future.all(done));
    for (WebSocket socket : sockets) {
      await(socket.close());
    }
    await(client.close());
    long total = Arrays.stream(counts).asLongStream().sum();
    long[] all = new long[(int) Math.min(total, Integer.MAX_VALUE - 8)];
    int n = 0;
    for (int i = 0; i < connections; i++) {
      int recorded = Math.min(counts[i], latencies[i].length);
      System.arraycopy(latencies[i], 0, all, n, recorded);
      n += recorded;
    }
    long[] sorted = Arrays.copyOf(all, n);
    Arrays.sort(sorted);
    return new Result(total, total / (elapsed / 1e9),
        sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6,
        sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.99)] / 1e6);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
