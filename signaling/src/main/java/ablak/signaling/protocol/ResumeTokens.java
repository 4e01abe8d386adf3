package ablak.signaling.protocol;

import ablak.signaling.auth.Principal;
import ablak.signaling.auth.Role;
import ablak.signaling.auth.Tokens;
import ablak.signaling.store.RedisKeys;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Resume tokens live in Redis, so a client that lost its connection can resume on any node. A
 * token is single-use (taken with GETDEL, so two nodes cannot both resume it) and expires
 * {@code ttlSeconds} after the connection last refreshed it.
 */
public final class ResumeTokens {

  /** What a resume restores: who the user was and, for staff, which session must still exist. */
  record Resumable(Principal principal, String sessionHash, String previousConnectionId) {}

  private final Vertx vertx;
  private final RedisAsyncCommands<String, String> redis;
  private final RedisKeys keys;
  private final int ttlSeconds;

  public ResumeTokens(Vertx vertx, RedisAsyncCommands<String, String> redis, RedisKeys keys, int ttlSeconds) {
    this.vertx = vertx;
    this.redis = redis;
    this.keys = keys;
    this.ttlSeconds = ttlSeconds;
  }

  record Opened(String token, String hash) {}

  Future<Opened> open(Resumable resumable) {
    String token = Tokens.random();
    String hash = Tokens.hash(token);
    Principal principal = resumable.principal();
    JsonObject stored = new JsonObject()
        .put("userId", principal.userId())
        .put("name", principal.name())
        .put("role", principal.role().wireName())
        .put("team", principal.team())
        .put("expiresAt", principal.credentialExpiresAt())
        .put("sessionHash", resumable.sessionHash())
        .put("connectionId", resumable.previousConnectionId());
    return Future.fromCompletionStage(redis.set(keys.resume(hash), stored.encode(), SetArgs.Builder.ex(ttlSeconds)), vertx.getOrCreateContext())
        .map(ok -> new Opened(token, hash));
  }

  /** The stored state, deleted in the same step; null for an unknown, used or expired token. */
  Future<Resumable> take(String token) {
    return Future.fromCompletionStage(redis.getdel(keys.resume(Tokens.hash(token))), vertx.getOrCreateContext())
        .map(value -> {
          if (value == null) {
            return null;
          }
          JsonObject stored = new JsonObject(value);
          Principal principal = new Principal(stored.getString("userId"), stored.getString("name"),
              Role.fromWireName(stored.getString("role")), stored.getString("team"), stored.getLong("expiresAt"));
          return new Resumable(principal, stored.getString("sessionHash"), stored.getString("connectionId"));
        });
  }

  /** Keeps a live connection's token from expiring; called on every heartbeat. */
  Future<Void> refresh(String hash) {
    return Future.fromCompletionStage(redis.expire(keys.resume(hash), ttlSeconds), vertx.getOrCreateContext()).mapEmpty();
  }

  Future<Boolean> sessionExists(String sessionHash) {
    return Future.fromCompletionStage(redis.exists(keys.session(sessionHash)), vertx.getOrCreateContext()).map(count -> count > 0);
  }
}
