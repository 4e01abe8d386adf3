package ablak.signaling;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The machine's own Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432), which other test runs
 * share: isolated by a fresh database and a unique Redis key prefix, both removed by
 * {@link #close()}. Never FLUSHALL: only keys under our prefix are deleted.
 */
final class MachineStores implements AutoCloseable {

  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres";

  final String database = "t_ablak_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  final String prefix = "t-" + UUID.randomUUID() + ":";
  /** Routing keys live under their own hash tag, "{tag}:", not under the prefix. */
  final String queueTag = "t-" + UUID.randomUUID();

  MachineStores() {
    try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "")) {
      connection.createStatement().execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException("the machine's PostgreSQL on 127.0.0.1:5432 is needed", e);
    }
  }

  /** Environment for a node on these stores, plus extra settings. */
  Map<String, String> environment(Map<String, String> extra) {
    Map<String, String> environment = new HashMap<>(extra);
    environment.putIfAbsent("REDIS_URL", "redis://127.0.0.1:6379");
    environment.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/" + database);
    environment.put("ABLAK_STORES_REDIS_KEY_PREFIX", prefix);
    environment.put("ABLAK_QUEUE_HASH_TAG", queueTag);
    return environment;
  }

  Connection jdbc() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
  }

  /** Whether the routing event for the contact reached the queue log in PostgreSQL. */
  boolean logged(String event, String contactId) {
    try (Connection db = jdbc();
        java.sql.PreparedStatement query = db.prepareStatement("SELECT count(*) FROM queue.queue_log WHERE event = ? AND contact_id = ?")) {
      query.setString(1, event);
      query.setString(2, contactId);
      try (java.sql.ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1) > 0;
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() throws SQLException {
    try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "")) {
      connection.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
    RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      for (String pattern : new String[] {prefix + "*", "{" + queueTag + "}:*"}) {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
          KeyScanCursor<String> page = connection.sync().scan(cursor, ScanArgs.Builder.matches(pattern).limit(500));
          if (!page.getKeys().isEmpty()) {
            connection.sync().del(page.getKeys().toArray(String[]::new));
          }
          cursor = page;
        } while (!cursor.isFinished());
      }
    } finally {
      client.shutdown();
    }
  }
}
