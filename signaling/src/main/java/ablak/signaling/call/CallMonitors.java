package ablak.signaling.call;

import ablak.media.call.SupervisorMode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who monitors which call in which mode, for every node: the hash {@code <prefix>monitor:<callId>}
 * (supervisor's user id -> mode). A change is also published on {@code <prefix>monitor}, because
 * only the node whose SFU carries the call can apply it to the supervisor's media session, and
 * that is seldom the node the supervisor's WebSocket is on. Listeners on this node hear a change
 * before the future completes; other nodes a moment later.
 */
public final class CallMonitors implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CallMonitors.class);
  private static final long KEY_TTL_SECONDS = Duration.ofHours(12).toSeconds();
  private static final String ENDED = "ended";

  /** A supervisor's mode in a call changed; {@code mode} is null when they stopped monitoring it. */
  public interface Listener {
    void changed(String callId, String userId, SupervisorMode mode);
  }

  private final Vertx vertx;
  private final RedisAsyncCommands<String, String> redis;
  private final StatefulRedisPubSubConnection<String, String> subscription;
  private final String prefix;
  private final String channel;
  private final String nodeId;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  public CallMonitors(Vertx vertx, RedisClient client, RedisAsyncCommands<String, String> redis, String prefix, String nodeId) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = prefix;
    this.channel = prefix + "monitor";
    this.nodeId = nodeId;
    this.subscription = client.connectPubSub();
    subscription.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String from, String message) {
        String[] parts = message.split("\n", 4);
        if (parts.length == 4 && !parts[0].equals(nodeId)) {
          vertx.runOnContext(v -> tell(parts[1], parts[2], parts[3].equals(ENDED) ? null : parse(parts[3])));
        }
      }
    });
    subscription.async().subscribe(channel);
  }

  public void listen(Listener listener) {
    listeners.add(listener);
  }

  /** The supervisor's mode in the call, or null when they do not monitor it. */
  public Future<SupervisorMode> mode(String callId, String userId) {
    return future(redis.hget(key(callId), userId)).map(mode -> mode == null ? null : parse(mode));
  }

  /** Everyone monitoring the call, with their modes. */
  public Future<Map<String, SupervisorMode>> all(String callId) {
    return future(redis.hgetall(key(callId))).map(fields -> {
      Map<String, SupervisorMode> modes = new HashMap<>();
      fields.forEach((user, mode) -> modes.put(user, parse(mode)));
      return modes;
    });
  }

  Future<Void> set(String callId, String userId, SupervisorMode mode) {
    return Future.all(future(redis.hset(key(callId), userId, wire(mode))), future(redis.expire(key(callId), KEY_TTL_SECONDS)))
        .onSuccess(done -> announce(callId, userId, mode))
        .mapEmpty();
  }

  Future<Void> end(String callId, String userId) {
    return future(redis.hdel(key(callId), userId)).onSuccess(done -> announce(callId, userId, null)).mapEmpty();
  }

  /** Ends every monitor of a call that ended; returns who was monitoring it. */
  Future<Map<String, SupervisorMode>> endAll(String callId) {
    return all(callId).compose(modes -> future(redis.del(key(callId))).map(deleted -> {
      modes.keySet().forEach(user -> announce(callId, user, null));
      return modes;
    }));
  }

  public static String wire(SupervisorMode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  /** The mode named on the wire; IllegalArgumentException for anything else. */
  public static SupervisorMode parse(String wire) {
    for (SupervisorMode mode : SupervisorMode.values()) {
      if (wire(mode).equals(wire)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("mode must be listen, whisper or barge");
  }

  private void announce(String callId, String userId, SupervisorMode mode) {
    tell(callId, userId, mode);
    redis.publish(channel, String.join("\n", nodeId, callId, userId, mode == null ? ENDED : wire(mode)))
        .exceptionally(error -> {
          LOG.atWarn().addKeyValue("callId", callId).log("could not publish a monitor change: {}", error.toString());
          return 0L;
        });
  }

  private void tell(String callId, String userId, SupervisorMode mode) {
    for (Listener listener : listeners) {
      try {
        listener.changed(callId, userId, mode);
      } catch (RuntimeException e) {
        LOG.atWarn().addKeyValue("callId", callId).log("a monitor change was not applied: {}", e.toString());
      }
    }
  }

  private String key(String callId) {
    return prefix + "monitor:" + callId;
  }

  private <T> Future<T> future(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
  }

  @Override
  public void close() {
    subscription.close();
  }
}
