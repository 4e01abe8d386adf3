package ablak.signaling.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * The stores a single node starts for itself when no REDIS_URL / DATABASE_URL is given: a Redis
 * and a PostgreSQL from Maven artifacts, on free ports (the machine may run its own on 6379 and
 * 5432), keeping their data under the data directory so a restart finds it again.
 */
final class EmbeddedStores {

  private EmbeddedStores() {}

  static RedisServer startRedis(Path dataDir) {
    try {
      Path dir = Files.createDirectories(dataDir.resolve("redis")).toAbsolutePath();
      int port = freePort();
      RedisServer server = RedisServer.newRedisServer()
          .port(port)
          .bind("127.0.0.1")
          .setting("dir " + dir)
          // The append-only file keeps queues and sessions across a restart of the node.
          .setting("appendonly yes")
          .setting("protected-mode yes")
          .build();
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded Redis", e);
    }
  }

  static EmbeddedPostgres startPostgres(Path dataDir) {
    try {
      Path dir = Files.createDirectories(dataDir.resolve("postgres")).toAbsolutePath();
      return EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(false)
          .setPort(freePort())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    }
  }

  static int port(RedisServer server) {
    return server.ports().get(0);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
