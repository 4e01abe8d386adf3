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
   * One call between a citizen and a clerk, and perhaps an interpreter.
   *
   * @param nodeUrl the base URL of the node whose SFU carries the call's media
   * @param formVersion the version of the case's form, which the clerk's desktop loads
   * @param interpreter the interpreter in the call, or null
   * @param invite the interpreter asked for and not yet joined, or null
   */
  public record Call(String callId, String nodeUrl, String contactId, String queue, String clerkId, String citizenId,
      UUID caseId, String caseTypeId, int formVersion, String language, boolean recordingConsent, boolean recording,
      ThirdParty interpreter, ThirdParty invite) {

    public boolean hasParticipant(String userId) {
      return clerkId.equals(userId) || citizenId.equals(userId) || isInterpreter(userId);
    }

    public boolean isInterpreter(String userId) {
      return interpreter != null && interpreter.userId().equals(userId);
    }

    public List<String> participants() {
      return interpreter == null ? List.of(clerkId, citizenId) : List.of(clerkId, citizenId, interpreter.userId());
    }
  }

  /**
   * An interpreter invited into a call: routing's contact for the request (in the interpreters' queue
   * of {@code kind}), and once someone took it, who.
   *
   * @param kind {@code interpreter} or {@code sign-language}
   * @param userId the interpreter's account, or null while nobody has taken the request
   */
  public record ThirdParty(String contactId, String kind, String language, String userId) {

    String wire() {
      return String.join("|", contactId, kind, language, userId == null ? "" : userId);
    }

    static ThirdParty parse(String wire) {
      if (wire == null || wire.isEmpty()) {
        return null;
      }
      String[] parts = wire.split("\\|", -1);
      return new ThirdParty(parts[0], parts[1], parts[2], parts[3].isEmpty() ? null : parts[3]);
    }
  }

  /**
   * The call a clerk is wrapping up: kept from the call's end until {@code wrapup.done} has put the
   * disposition on the case, so that a disposition is never recorded against the wrong call.
   *
   * @param endReason why the call ended ({@code call.ended}'s reason)
   */
  public record WrapUp(String callId, UUID caseId, String queue, String endReason) {

    String wire() {
      return String.join("|", callId, caseId.toString(), queue, endReason);
    }

    static WrapUp parse(String wire) {
      String[] parts = wire.split("\\|", 4);
      return new WrapUp(parts[0], UUID.fromString(parts[1]), parts[2], parts[3]);
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
    fields.put("formVersion", String.valueOf(call.formVersion()));
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
        UUID.fromString(fields.get("caseId")), fields.get("caseTypeId"), formVersion(fields.get("formVersion")), fields.get("language"),
        Boolean.parseBoolean(fields.get("recordingConsent")), Boolean.parseBoolean(fields.get("recording")),
        ThirdParty.parse(fields.get("interpreter")), ThirdParty.parse(fields.get("invite"))));
  }

  /** A call stored before the form version was kept has the first one, as the desktop assumed then. */
  private static int formVersion(String stored) {
    return stored == null ? 1 : Integer.parseInt(stored);
  }

  /** Records the request for an interpreter; false when the call has ended or already has one asked for or in it. */
  Future<Boolean> invite(String callId, ThirdParty invite) {
    String script = "if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'invite') == 1"
        + " or redis.call('HEXISTS', KEYS[1], 'interpreter') == 1 then return 0 end"
        + " redis.call('HSET', KEYS[1], 'invite', ARGV[1]) redis.call('SETEX', KEYS[2], ARGV[2], ARGV[3]) return 1";
    return future(redis.<Long>eval(script, io.lettuce.core.ScriptOutputType.INTEGER, new String[] {callKey(callId), inviteKey(invite.contactId())},
        invite.wire(), String.valueOf(KEY_TTL_SECONDS), callId)).map(set -> set == 1);
  }

  /** The call an interpreter request belongs to, or null: how an offer in the interpreters' queue finds its call. */
  public Future<String> callOfInvite(String inviteContactId) {
    return future(redis.get(inviteKey(inviteContactId)));
  }

  /** The invited interpreter joins: false when the call ended or the request is no longer this one. */
  Future<Boolean> interpreterJoined(String callId, ThirdParty interpreter) {
    String script = "local invite = redis.call('HGET', KEYS[1], 'invite')"
        + " if not invite or string.sub(invite, 1, string.len(ARGV[2])) ~= ARGV[2] then return 0 end"
        + " redis.call('HDEL', KEYS[1], 'invite') redis.call('HSET', KEYS[1], 'interpreter', ARGV[1])"
        + " redis.call('SETEX', KEYS[2], ARGV[3], ARGV[4]) return 1";
    return future(redis.<Long>eval(script, io.lettuce.core.ScriptOutputType.INTEGER,
        new String[] {callKey(callId), userKey(interpreter.userId())}, interpreter.wire(), interpreter.contactId() + "|",
        String.valueOf(KEY_TTL_SECONDS), callId)).map(set -> set == 1);
  }

  /** Takes the interpreter (or the open request) off the call; true for exactly one caller. */
  Future<Boolean> removeThirdParty(String callId, ThirdParty party) {
    String field = party.userId() == null ? "invite" : "interpreter";
    String script = "if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end redis.call('HDEL', KEYS[1], ARGV[1])"
        + " redis.call('DEL', KEYS[2]) if ARGV[3] ~= '' then redis.call('DEL', KEYS[3]) end return 1";
    return future(redis.<Long>eval(script, io.lettuce.core.ScriptOutputType.INTEGER,
        new String[] {callKey(callId), inviteKey(party.contactId()), userKey(party.userId() == null ? "" : party.userId())},
        field, party.wire(), party.userId() == null ? "" : party.userId())).map(removed -> removed == 1);
  }

  /** The id of the call the user is in, or null. */
  public Future<String> callOf(String userId) {
    return future(redis.get(userKey(userId)));
  }

  /**
   * Moves the call's media from the node at {@code from} to the one at {@code to}; false when the call
   * ended or another node moved it first. A recording on the old node ends with it.
   */
  Future<Boolean> moveMedia(String callId, String from, String to) {
    String script = "if redis.call('HGET', KEYS[1], 'nodeUrl') ~= ARGV[1] then return 0 end"
        + " redis.call('HSET', KEYS[1], 'nodeUrl', ARGV[2], 'recording', 'false') return 1";
    return future(redis.<Long>eval(script, io.lettuce.core.ScriptOutputType.INTEGER, new String[] {callKey(callId)}, from, to))
        .map(moved -> moved == 1);
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

  /** Notes the call the clerk goes on to wrap up, replacing any earlier one. */
  Future<Void> wrapUpStarted(Call call, String endReason) {
    WrapUp wrapUp = new WrapUp(call.callId(), call.caseId(), call.queue(), endReason);
    return future(redis.setex(wrapUpKey(call.clerkId()), KEY_TTL_SECONDS, wrapUp.wire())).mapEmpty();
  }

  /** The call the clerk is wrapping up, or null when there is none (or it was finished). */
  public Future<WrapUp> wrapUp(String clerkId) {
    return future(redis.get(wrapUpKey(clerkId))).map(wire -> wire == null ? null : WrapUp.parse(wire));
  }

  /** Forgets the clerk's wrap-up once its disposition is recorded. */
  public Future<Void> wrapUpDone(String clerkId) {
    return future(redis.del(wrapUpKey(clerkId))).mapEmpty();
  }

  private String wrapUpKey(String clerkId) {
    return prefix + "wrapup:" + clerkId;
  }

  private String callKey(String callId) {
    return prefix + "call:" + callId;
  }

  /** Forgets whatever keys a third party of an ended call still has. */
  Future<Void> forget(ThirdParty party) {
    return party.userId() == null ? future(redis.del(inviteKey(party.contactId()))).mapEmpty()
        : future(redis.del(inviteKey(party.contactId()), userKey(party.userId()))).mapEmpty();
  }

  private String inviteKey(String contactId) {
    return prefix + "invite:" + contactId;
  }

  private String userKey(String userId) {
    return prefix + "user-call:" + userId;
  }

  private <T> Future<T> future(java.util.concurrent.CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
  }
}
