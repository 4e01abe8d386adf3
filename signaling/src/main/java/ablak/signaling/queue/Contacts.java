package ablak.signaling.queue;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * What the server knows about a citizen's contact beyond routing's own record: whose it is, for
 * which case, and the consent given when joining. In Redis, so any node can offer, accept or end
 * it: {@code <prefix>contact:<contactId>} (hash) and {@code <prefix>citizen-contact:<userId>}
 * (the one contact a citizen may hold at a time).
 */
public final class Contacts {

  /** Longer than any wait plus call; only guards against keys outliving a node that died. */
  private static final long KEY_TTL_SECONDS = Duration.ofHours(12).toSeconds();

  /**
   * @param caseToken the case's citizen token, kept so that a citizen who leaves to be called back
   *     can be given their case again
   * @param orderedAt the contact's place in the queue: when it arrived, or the place it kept
   */
  public record Contact(String contactId, String citizenId, UUID caseId, String caseTypeId, String language,
      boolean kiosk, boolean recordingConsent, String caseToken, Instant orderedAt) {}

  private final Vertx vertx;
  private final RedisAsyncCommands<String, String> redis;
  private final String prefix;

  public Contacts(Vertx vertx, RedisAsyncCommands<String, String> redis, String prefix) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = prefix;
  }

  /** Reserves the citizen's one contact; false when they already hold one. */
  Future<Boolean> claim(String citizenId, String contactId) {
    return future(redis.set(citizenKey(citizenId), contactId, SetArgs.Builder.nx().ex(KEY_TTL_SECONDS))).map("OK"::equals);
  }

  Future<Void> save(Contact contact) {
    String key = contactKey(contact.contactId());
    Map<String, String> fields = Map.of("citizenId", contact.citizenId(), "caseId", contact.caseId().toString(),
        "caseTypeId", contact.caseTypeId(), "language", contact.language(), "kiosk", String.valueOf(contact.kiosk()),
        "recordingConsent", String.valueOf(contact.recordingConsent()), "caseToken", contact.caseToken(),
        "orderedAt", String.valueOf(contact.orderedAt().toEpochMilli()));
    return Future.all(future(redis.hset(key, fields)), future(redis.expire(key, KEY_TTL_SECONDS))).mapEmpty();
  }

  /** The contact, or null when unknown or finished. */
  public Future<Contact> get(String contactId) {
    return future(redis.hgetall(contactKey(contactId))).map(f -> f.isEmpty() ? null : new Contact(contactId, f.get("citizenId"),
        UUID.fromString(f.get("caseId")), f.get("caseTypeId"), f.get("language"), Boolean.parseBoolean(f.get("kiosk")),
        Boolean.parseBoolean(f.get("recordingConsent")), f.getOrDefault("caseToken", ""),
        Instant.ofEpochMilli(Long.parseLong(f.getOrDefault("orderedAt", "0")))));
  }

  /** The contact the citizen holds, or null. */
  public Future<String> contactOf(String citizenId) {
    return future(redis.get(citizenKey(citizenId)));
  }

  /** Forgets a finished contact (left, abandoned, or its call ended): the citizen may join again. */
  public Future<Void> remove(String contactId, String citizenId) {
    return Future.all(future(redis.del(contactKey(contactId))), release(citizenId, contactId)).mapEmpty();
  }

  /** Frees the citizen's reservation only if it is still this contact's. */
  Future<Void> release(String citizenId, String contactId) {
    return future(redis.<Long>eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
        io.lettuce.core.ScriptOutputType.INTEGER, new String[] {citizenKey(citizenId)}, contactId)).mapEmpty();
  }

  private String contactKey(String contactId) {
    return prefix + "contact:" + contactId;
  }

  private String citizenKey(String citizenId) {
    return prefix + "citizen-contact:" + citizenId;
  }

  private <T> Future<T> future(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
  }
}
