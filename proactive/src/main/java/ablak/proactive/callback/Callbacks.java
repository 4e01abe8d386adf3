package ablak.proactive.callback;

import ablak.proactive.ProactiveError;
import ablak.proactive.ProactiveSettings;
import ablak.proactive.delivery.Templates;
import ablak.mail.Email;
import ablak.mail.Mailer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Kept places of citizens who left the queue to be called back, in PostgreSQL so that every node
 * sees them. Whether a citizen's turn is near is for the caller to decide (it knows the queues);
 * this class makes sure each call-back is e-mailed once however many nodes decide it at the same
 * time, lets the e-mailed link be used once, and expires links not used in time.
 *
 * <p>The rejoin token is made when the e-mail goes out and only its SHA-256 is stored. That is why
 * these e-mails are sent here, with the shared {@link Mailer}, and not through the delivery
 * ledger, which keeps every body it sent: a retried send makes a new token.
 */
public final class Callbacks {

  /** Rough, as everywhere: the relay has the final word. Refuses what cannot be an address at all. */
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
  private static final int MAX_EMAIL = 254;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String COLUMNS = "id, queue, language, case_id, case_token, original_arrival, email, status";

  private static final String INSERT = """
      INSERT INTO proactive.callback (id, queue, language, case_id, case_token, original_arrival, email, status, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 'waiting', $8)""";

  private static final String OPEN = "SELECT " + COLUMNS + " FROM proactive.callback"
      + " WHERE status IN ('waiting', 'notifying', 'notified') ORDER BY queue, original_arrival, id";

  /** Takes a call-back for sending: only one node's statement matches the row. */
  private static final String CLAIM = """
      UPDATE proactive.callback SET status = 'notifying', token_hash = $2, lease_until = $3, attempts = attempts + 1
       WHERE id = $1 AND (status = 'waiting' OR (status = 'notifying' AND lease_until <= $4))
      RETURNING""" + " " + COLUMNS + ", attempts";

  private static final String SENT = """
      UPDATE proactive.callback SET status = 'notified', notified_at = $3, lease_until = NULL, last_error = NULL
       WHERE id = $1 AND token_hash = $2 AND status = 'notifying'""";

  private static final String NOT_SENT = """
      UPDATE proactive.callback SET status = $3, token_hash = NULL, lease_until = NULL, last_error = $4,
             closed_at = CASE WHEN $3 = 'undeliverable' THEN $5 END
       WHERE id = $1 AND token_hash = $2 AND status = 'notifying'""";

  private static final String FIND = "SELECT " + COLUMNS + ", token_hash FROM proactive.callback WHERE id = $1";

  private static final String REJOIN = """
      UPDATE proactive.callback SET status = 'rejoined', closed_at = $3
       WHERE id = $1 AND token_hash = $2 AND status IN ('notifying', 'notified')""";

  private static final String REOPEN = """
      UPDATE proactive.callback SET status = 'notified', closed_at = NULL WHERE id = $1 AND status = 'rejoined'""";

  private static final String DISCARD = "DELETE FROM proactive.callback WHERE id = $1 AND status = 'waiting'";

  private static final String EXPIRE = """
      UPDATE proactive.callback SET status = 'expired', closed_at = $1
       WHERE status = 'notified' AND notified_at <= $2 RETURNING id""";

  private final Pool pool;
  private final Mailer mailer;
  private final Templates templates;
  private final ProactiveSettings settings;
  private final Clock clock;
  private final Counter expired;
  private final Counter notified;

  public Callbacks(Pool pool, Mailer mailer, Templates templates, ProactiveSettings settings, Clock clock, MeterRegistry meters) {
    this.pool = pool;
    this.mailer = mailer;
    this.templates = templates;
    this.settings = settings;
    this.clock = clock;
    this.expired = meters.counter("ablak.callbacks", "outcome", "expired");
    this.notified = meters.counter("ablak.callbacks", "outcome", "notified");
  }

  /** Whether call-backs can be offered at all: without an SMTP relay nobody would be told. */
  public boolean available() {
    return mailer.relayConfigured();
  }

  /** Keeps the place; refuses a malformed e-mail address with {@code INVALID_INPUT} and stores nothing. */
  public Future<Callback> create(NewCallback request) {
    String email = request.email() == null ? "" : request.email().trim();
    if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
      return Future.failedFuture(new ProactiveError(ProactiveError.Code.INVALID_INPUT, "not an e-mail address"));
    }
    if (!available()) {
      return Future.failedFuture(new ProactiveError(ProactiveError.Code.CALLBACK_UNAVAILABLE, "no SMTP relay is configured"));
    }
    Callback callback = new Callback(UUID.randomUUID(), request.queue(), request.language(), request.caseId(), request.caseToken(),
        request.originalArrival(), email, "waiting");
    return pool.preparedQuery(INSERT).execute(Tuple.from(new Object[] {callback.id(), callback.queue(), callback.language(),
        callback.caseId(), callback.caseToken(), at(callback.originalArrival()), email, now()})).map(callback);
  }

  /** Every call-back still open (waiting, being e-mailed, or e-mailed and not yet used), by queue and place. */
  public Future<List<Callback>> open() {
    return pool.query(OPEN).execute().map(rows -> {
      List<Callback> out = new ArrayList<>();
      rows.forEach(row -> out.add(callback(row)));
      return out;
    });
  }

  /**
   * E-mails the citizen the link back, {@code <rejoinUrl>?callback=<id>&token=<token>&lang=<language>}, if no node
   * has done so; true when this call sent it. A failed send returns the call-back to waiting (the
   * next run tries again) or, when the address is refused for good, closes it as undeliverable.
   */
  public Future<Boolean> notifyOnce(UUID id, String rejoinUrl) {
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
    byte[] hash = sha256(token);
    OffsetDateTime now = now();
    return pool.preparedQuery(CLAIM).execute(Tuple.of(id, hash, now.plusSeconds(settings.leaseSeconds()), now)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(false);
      }
      Callback callback = callback(rows.iterator().next());
      String link = rejoinUrl + "?callback=" + callback.id() + "&token=" + token + "&lang=" + callback.language();
      String language = templates.hasLanguage(callback.language()) ? callback.language() : "en";
      Templates.Rendered rendered = templates.render("callback_due", language, Map.of(
          "rejoin_link", link, "grace_minutes", String.valueOf(settings.callbackGraceMinutes())));
      return mailer.send(new Email(callback.email(), rendered.subject(), rendered.body(), null, null))
          .compose(sent -> pool.preparedQuery(SENT).execute(Tuple.of(id, hash, now())).map(done -> {
            notified.increment();
            return true;
          }))
          .recover(failure -> {
            boolean permanent = failure instanceof Mailer.SendFailure send && send.permanent();
            boolean last = permanent || callbackAttempts(rows.iterator().next()) >= settings.maxAttempts();
            return pool.preparedQuery(NOT_SENT).execute(Tuple.of(id, hash, last ? "undeliverable" : "waiting",
                String.valueOf(failure.getMessage()), now())).map(false);
          });
    });
  }

  /**
   * Uses the e-mailed link: the call-back is closed as rejoined and returned, so that the caller
   * can put the citizen back at their place. {@code CALLBACK_NOT_FOUND} for an unknown id or a
   * token that does not match (the same answer, so that ids cannot be probed), {@code
   * CALLBACK_CLOSED} when it was used or has expired.
   */
  public Future<Callback> rejoin(UUID id, String token) {
    if (token == null || token.isBlank() || token.length() > 100) {
      return Future.failedFuture(notFound());
    }
    byte[] hash = sha256(token);
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).compose(rows -> {
      Row row = rows.size() == 0 ? null : rows.iterator().next();
      if (row == null) {
        return Future.failedFuture(notFound());
      }
      byte[] stored = row.getBuffer("token_hash") == null ? null : row.getBuffer("token_hash").getBytes();
      if (stored == null || !MessageDigest.isEqual(stored, hash)) {
        return Future.failedFuture(notFound());
      }
      return pool.preparedQuery(REJOIN).execute(Tuple.of(id, hash, now())).compose(updated -> updated.rowCount() == 1
          ? Future.succeededFuture(callback(row))
          : Future.failedFuture(new ProactiveError(ProactiveError.Code.CALLBACK_CLOSED, "this call-back link was used or has expired")));
    });
  }

  /** Undoes {@link #rejoin} when the citizen could not be put back in the queue after all: the link works again. */
  public Future<Void> reopen(UUID id) {
    return pool.preparedQuery(REOPEN).execute(Tuple.of(id)).mapEmpty();
  }

  /** Forgets a call-back just created, when the citizen could not be taken out of the queue after all. */
  public Future<Void> discard(UUID id) {
    return pool.preparedQuery(DISCARD).execute(Tuple.of(id)).mapEmpty();
  }

  /** Closes the call-backs e-mailed longer than the grace ago and not used; counted as expired. */
  public Future<Integer> expire() {
    OffsetDateTime now = now();
    return pool.preparedQuery(EXPIRE).execute(Tuple.of(now, now.minusMinutes(settings.callbackGraceMinutes()))).map(rows -> {
      expired.increment(rows.size());
      return rows.size();
    });
  }

  private static int callbackAttempts(Row row) {
    return row.getInteger("attempts") == null ? 1 : row.getInteger("attempts");
  }

  private static Callback callback(Row row) {
    return new Callback(row.getUUID("id"), row.getString("queue"), row.getString("language"), row.getUUID("case_id"),
        row.getString("case_token"), row.getOffsetDateTime("original_arrival").toInstant(), row.getString("email"), row.getString("status"));
  }

  private static ProactiveError notFound() {
    return new ProactiveError(ProactiveError.Code.CALLBACK_NOT_FOUND, "no call-back opens with this link");
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }

  private static OffsetDateTime at(java.time.Instant instant) {
    return instant.atOffset(java.time.ZoneOffset.UTC);
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
