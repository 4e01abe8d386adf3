package ablak.signaling.protocol;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes to a user wherever their WebSockets are. Each node subscribes to the Redis pub/sub
 * channel {@code <prefix>user:<userId>} of every user connected to it, for as long as they are;
 * a push is written to this node's connections of the user at once and published for the other
 * nodes, which skip what they published themselves. Pub/sub is fire-and-forget: a user with no
 * connection anywhere misses the push, and a client that resumes re-reads what it needs.
 */
public final class ClusterPush implements Push, ConnectionListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterPush.class);

  private final Connections connections;
  private final RedisAsyncCommands<String, String> redis;
  private final StatefulRedisPubSubConnection<String, String> subscriptions;
  private final String channelPrefix;
  private final String nodeId;
  /** Users with connections here -> how many; subscribed while positive. */
  private final Map<String, AtomicInteger> local = new ConcurrentHashMap<>();

  public ClusterPush(Connections connections, RedisClient client, RedisAsyncCommands<String, String> redis, String keyPrefix, String nodeId) {
    this.connections = connections;
    this.redis = redis;
    this.subscriptions = client.connectPubSub();
    this.channelPrefix = keyPrefix + "user:";
    this.nodeId = nodeId;
    subscriptions.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, String message) {
        int split = message.indexOf('\n');
        if (split > 0 && !message.substring(0, split).equals(nodeId)) {
          ClusterPush.this.connections.writeToUser(channel.substring(channelPrefix.length()), message.substring(split + 1));
        }
      }
    });
    connections.addListener(this);
  }

  /** Sends to every connection of the user, on this node and on all others; returns those reached here. */
  @Override
  public int toUser(String userId, Outbound message) {
    String text = message.encode(null);
    int here = connections.writeToUser(userId, text);
    redis.publish(channelPrefix + userId, nodeId + "\n" + text)
        .exceptionally(error -> {
          LOG.atWarn().addKeyValue("userId", userId).addKeyValue("type", message.type()).log("could not publish a push: {}", error.toString());
          return 0L;
        });
    return here;
  }

  @Override
  public boolean toConnection(String connectionId, Outbound message) {
    return connections.toConnection(connectionId, message);
  }

  /** Whether the user has a connection on this node. */
  public boolean isLocal(String userId) {
    AtomicInteger count = local.get(userId);
    return count != null && count.get() > 0;
  }

  @Override
  public void connected(Connection connection, boolean resumed) {
    String user = connection.principal().userId();
    local.compute(user, (id, count) -> {
      if (count == null) {
        subscriptions.async().subscribe(channelPrefix + id);
        return new AtomicInteger(1);
      }
      count.incrementAndGet();
      return count;
    });
  }

  @Override
  public void disconnected(Connection connection) {
    local.computeIfPresent(connection.principal().userId(), (id, count) -> {
      if (count.decrementAndGet() > 0) {
        return count;
      }
      subscriptions.async().unsubscribe(channelPrefix + id);
      return null;
    });
  }

  @Override
  public void close() {
    subscriptions.close();
  }
}
