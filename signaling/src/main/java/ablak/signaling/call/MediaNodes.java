package ablak.signaling.call;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Which nodes' SFUs are alive: each node renews {@code <prefix>media-node:<baseUrl>} every second
 * with a few seconds' expiry, so a node that crashed or lost Redis is gone from here within
 * {@link #TTL}. A call whose media node is gone moves its media to a node that is alive
 * ({@link Calls#mediaHome}).
 */
public final class MediaNodes implements AutoCloseable {

  static final Duration TTL = Duration.ofSeconds(5);
  private static final long RENEW_MILLIS = 1000;

  private final Vertx vertx;
  private final RedisAsyncCommands<String, String> redis;
  private final String prefix;
  private final String self;
  private final long timer;

  /** Announces {@code baseUrl} as alive until closed. */
  public MediaNodes(Vertx vertx, RedisAsyncCommands<String, String> redis, String prefix, String baseUrl) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = prefix;
    this.self = baseUrl;
    renew();
    this.timer = vertx.setPeriodic(RENEW_MILLIS, id -> renew());
  }

  private void renew() {
    redis.setex(key(self), TTL.toSeconds(), "1");
  }

  public String self() {
    return self;
  }

  /** Whether the node at {@code baseUrl} renewed its presence within {@link #TTL}. */
  public Future<Boolean> isAlive(String baseUrl) {
    if (baseUrl.equals(self)) {
      return Future.succeededFuture(true);
    }
    return Future.fromCompletionStage(redis.exists(key(baseUrl)), vertx.getOrCreateContext()).map(count -> count > 0);
  }

  private String key(String baseUrl) {
    return prefix + "media-node:" + baseUrl;
  }

  /** A node stopping on purpose leaves at once rather than after the expiry. */
  @Override
  public void close() {
    vertx.cancelTimer(timer);
    redis.del(key(self));
  }
}
