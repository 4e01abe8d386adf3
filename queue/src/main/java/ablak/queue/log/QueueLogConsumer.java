package ablak.queue.log;

import ablak.queue.QueueSettings;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the routing event stream into PostgreSQL table {@code queue.queue_log} for reports.
 * All nodes run one; the Redis consumer group gives each entry to one of them. An entry is
 * acknowledged only after its row is committed, and the stream id is the row's key, so a node
 * that dies mid-batch loses nothing and a retried batch adds no duplicates: on start a consumer
 * first re-reads its own unacknowledged entries, and it claims entries another consumer left
 * pending longer than a minute. Runs on its own thread because JDBC blocks.
 */
public final class QueueLogConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueLogConsumer.class);
  private static final String GROUP = "queue_log";

  private final StatefulRedisConnection<String, String> redisConnection;
  private final RedisCommands<String, String> redis;
  private final String stream;
  private final Consumer<String> consumer;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final Thread thread;
  private volatile boolean open = true;

  public QueueLogConsumer(RedisClient client, QueueSettings settings, String nodeId, String jdbcUrl,
      String user, String password) {
    this.redisConnection = client.connect();
    this.redis = redisConnection.sync();
    this.stream = settings.keyPrefix() + "events";
    this.consumer = Consumer.from(GROUP, nodeId);
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    try {
      redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0-0"), GROUP, XGroupCreateArgs.Builder.mkstream());
    } catch (RedisBusyException alreadyThere) {
      // another node created the group first
    }
    this.thread = new Thread(this::run, "queue-log-consumer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void run() {
    String own = "0-0";
    while (open) {
      try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
        while (open) {
          List<StreamMessage<String, String>> batch;
          if (own != null) {
            batch = redis.xreadgroup(consumer, XReadArgs.Builder.count(500), XReadArgs.StreamOffset.from(stream, own));
            own = batch.isEmpty() ? null : batch.get(batch.size() - 1).getId();
          } else {
            batch = redis.xautoclaim(stream, io.lettuce.core.XAutoClaimArgs.Builder
                .xautoclaim(consumer, java.time.Duration.ofMinutes(1), "0-0").count(500)).getMessages();
            if (batch.isEmpty()) {
              batch = redis.xreadgroup(consumer, XReadArgs.Builder.block(1000).count(500),
                  XReadArgs.StreamOffset.lastConsumed(stream));
            }
          }
          store(db, batch);
        }
      } catch (RuntimeException | SQLException e) {
        if (open) {
          LOG.warn("copying the queue log failed, retrying: {}", e.toString());
          own = "0-0";
          pause();
        }
      }
    }
  }

  private void store(Connection db, List<StreamMessage<String, String>> batch) throws SQLException {
    if (batch.isEmpty()) {
      return;
    }
    db.setAutoCommit(false);
    try (PreparedStatement insert = db.prepareStatement(
        "INSERT INTO queue.queue_log (stream_id, at, event, queue, contact_id, clerk_id, data1, data2, data3)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (stream_id) DO NOTHING")) {
      for (StreamMessage<String, String> m : batch) {
        Map<String, String> b = m.getBody();
        if (b.isEmpty()) {
          continue; // trimmed from the stream before it was copied
        }
        insert.setString(1, m.getId());
        insert.setTimestamp(2, new Timestamp(Long.parseLong(b.get("ts"))));
        insert.setString(3, b.get("event"));
        insert.setString(4, b.get("queue"));
        insert.setString(5, b.get("contact"));
        insert.setString(6, b.get("clerk"));
        insert.setString(7, b.get("d1"));
        insert.setString(8, b.get("d2"));
        insert.setString(9, b.get("d3"));
        insert.addBatch();
      }
      insert.executeBatch();
    }
    db.commit();
    redis.xack(stream, GROUP, batch.stream().map(StreamMessage::getId).toArray(String[]::new));
  }

  private void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    open = false;
    try {
      thread.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    redisConnection.close();
  }
}
