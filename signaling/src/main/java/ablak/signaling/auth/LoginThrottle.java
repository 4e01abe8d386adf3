package ablak.signaling.auth;

import ablak.signaling.ClientError;
import ablak.signaling.store.RedisKeys;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Limits password guessing: after {@link #MAX_FAILURES} failed sign-ins for one username within
 * {@link #WINDOW_SECONDS}, further attempts for it are refused until the window ends. Counted in
 * Redis, so the limit holds across all nodes.
 */
public final class LoginThrottle {

  public static final int MAX_FAILURES = 10;
  public static final int WINDOW_SECONDS = 15 * 60;

  private final Vertx vertx;
  private final RedisAsyncCommands<String, String> redis;
  private final RedisKeys keys;

  public LoginThrottle(Vertx vertx, RedisAsyncCommands<String, String> redis, RedisKeys keys) {
    this.vertx = vertx;
    this.redis = redis;
    this.keys = keys;
  }

  /** Fails with {@code rate_limited} while the username is locked. */
  public Future<Void> check(String username) {
    return Future.fromCompletionStage(redis.get(keys.loginFailures(username)), vertx.getOrCreateContext())
        .compose(count -> count != null && Integer.parseInt(count) >= MAX_FAILURES
            ? Future.failedFuture(new ClientError(ClientError.RATE_LIMITED, 429,
                "too many failed sign-ins for this username; try again in 15 minutes"))
            : Future.succeededFuture());
  }

  public Future<Void> recordFailure(String username) {
    String key = keys.loginFailures(username);
    return Future.fromCompletionStage(redis.incr(key), vertx.getOrCreateContext())
        .compose(count -> count == 1
            ? Future.fromCompletionStage(redis.expire(key, WINDOW_SECONDS), vertx.getOrCreateContext()).mapEmpty()
            : Future.<Void>succeededFuture());
  }
}
