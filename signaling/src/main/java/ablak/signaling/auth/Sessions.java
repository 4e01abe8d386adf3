package ablak.signaling.auth;

import ablak.signaling.store.RedisKeys;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * Staff sessions, kept in Redis so that any node can serve any signed-in user. The browser holds
 * the random session id in a cookie; Redis holds only its hash.
 */
public final class Sessions {

  private final Vertx vertx;
  private final RedisAsyncCommands<String, String> redis;
  private final RedisKeys keys;
  private final Clock clock;
  private final int ttlSeconds;

  public Sessions(Vertx vertx, RedisAsyncCommands<String, String> redis, RedisKeys keys, Clock clock, int ttlSeconds) {
    this.vertx = vertx;
    this.redis = redis;
    this.keys = keys;
    this.clock = clock;
    this.ttlSeconds = ttlSeconds;
  }

  public record Created(String sessionId, Principal principal) {}

  public Future<Created> create(StaffAccount account) {
    String sessionId = Tokens.random();
    Principal principal = new Principal(account.id(), account.name(), account.role(), account.team(), clock.instant().getEpochSecond() + ttlSeconds);
    JsonObject stored = new JsonObject()
        .put("userId", principal.userId())
        .put("name", principal.name())
        .put("role", principal.role().wireName())
        .put("team", principal.team())
        .put("expiresAt", principal.credentialExpiresAt());
    return Future.fromCompletionStage(redis.set(keys.session(Tokens.hash(sessionId)), stored.encode(), SetArgs.Builder.ex(ttlSeconds)),
            vertx.getOrCreateContext())
        .map(ok -> new Created(sessionId, principal));
  }

  /** The session's principal, or null when there is no such session (ended, expired, forged). */
  public Future<Principal> find(String sessionId) {
    return Future.fromCompletionStage(redis.get(keys.session(Tokens.hash(sessionId))), vertx.getOrCreateContext())
        .map(value -> {
          if (value == null) {
            return null;
          }
          JsonObject stored = new JsonObject(value);
          return new Principal(stored.getString("userId"), stored.getString("name"), Role.fromWireName(stored.getString("role")),
              stored.getString("team"), stored.getLong("expiresAt"));
        });
  }

  public Future<Void> delete(String sessionId) {
    return Future.fromCompletionStage(redis.del(keys.session(Tokens.hash(sessionId))), vertx.getOrCreateContext()).mapEmpty();
  }
}
