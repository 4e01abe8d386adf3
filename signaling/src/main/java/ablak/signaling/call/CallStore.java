package ablak.signaling.call;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Calls in progress, in Redis so that every node knows them: {@code <prefix>call:<callId>} (a hash
 * of the {@link Call}) and {@code <prefix>user-call:<userId>} (the call a participant is in).
 */
public final class CallStore {

  /** Longer than any call; only guards against keys outliving a node that died mid-call. */
  private static final long KEY_TTL_SECONDS = Duration.ofHours(12).toSeconds();

  /**
   * One call between a citizen and a clerk.
   *
   * @param nodeUrl the base URL of the node whose SFU carries the call's media
   */
  public record Call(String callId, String nodeUrl, String contactId, String queue, String clerkId, String citizenId,
      UUID caseId, String caseTypeId, String language, boolean recordingConsent, boolean recording) {

    public boolean hasParticipant(String userId) {
      return clerkId.equals(userId) || citizenId.equals(userId);
    }

    public List<String> participants() {
      return List.of(clerkId, citizenId);
    }
  }

  private final Vertx vertx;
  private final RedisAsyncCommands<String, String> redis;
  private final String prefix;

  public CallStore(Vertx vertx, RedisAsyncCommands<String, String> redis, String prefix) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = prefix;
  }

  Future<Void> create(Call call) {
    Map<String, String> fields = new HashMap<>();
    fields.put("nodeUrl", call.nodeUrl());
    fields.put("contactId", call.contactId());
    fields.put("queue", call.queue());
    fields.put("clerkId", call.clerkId());
    fields.put("citizenId", call.citizenId());
    fields.put("caseId", call.caseId().toString());
    fields.put("caseTypeId", call.caseTypeId());
    fields.put("language", call.language());
    fields.put("recordingConsent", String.valueOf(call.recordingConsent()));
    fields.put("recording", String.valueOf(call.recording()));
    String key = callKey(call.callId());
    return Future.all(
            future(redis.hset(key, fields)),
            future(redis.expire(key, KEY_TTL_SECONDS)),
            future(redis.setex(userKey(call.clerkId()), KEY_TTL_SECONDS, call.callId())),
            future(redis.setex(userKey(call.citizenId()), KEY_TTL_SECONDS, call.callId())))
        .mapEmpty();
  }

  /** The call, or null when there is no such call (or it has ended). */
  public Future<Call> get(String callId) {
    return future(redis.hgetall(callKey(callId))).map(fields -> fields.isEmpty() ? null : new Call(callId, fields.get("nodeUrl"),
        fields.get("contactId"), fields.get("queue"), fields.get("clerkId"), fields.get("citizenId"),
        UUID.fromString(fields.get("caseId")), fields.get("caseTypeId"), fields.get("language"),
        Boolean.parseBoolean(fields.get("recordingConsent")), Boolean.parseBoolean(fields.get("recording"))));
  }

  /** The id of the call the user is in, or null. */
  public Future<String> callOf(String userId) {
    return future(redis.get(userKey(userId)));
  }

  public Future<Void> setRecording(String callId, boolean recording) {
    return future(redis.hset(callKey(callId), "recording", String.valueOf(recording))).mapEmpty();
  }

  /**
   * Removes the call; true for exactly one caller however many nodes end it at once, so that it is
   * completed in routing and announced once.
   */
  Future<Boolean> remove(Call call) {
    return future(redis.del(callKey(call.callId()))).compose(deleted -> {
      if (deleted == 0) {
        return Future.succeededFuture(false);
      }
      return Future.all(future(redis.del(userKey(call.clerkId()))), future(redis.del(userKey(call.citizenId()))))
          .map(done -> true);
    });
  }

  private String callKey(String callId) {
    return prefix + "call:" + callId;
  }

  private String userKey(String userId) {
    return prefix + "user-call:" + userId;
  }

  private <T> Future<T> future(java.util.concurrent.CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
  }
}
