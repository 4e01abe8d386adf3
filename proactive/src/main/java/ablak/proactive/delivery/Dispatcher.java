package ablak.proactive.delivery;

import ablak.mail.Email;
import ablak.mail.Mailer;
import ablak.proactive.ProactiveSettings;
import ablak.proactive.registry.DocumentType;
import ablak.proactive.reminder.ReminderCheck;
import ablak.proactive.reminder.Stage;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scheduler's hot path: claims due deliveries from the ledger and sends them.
 *
 * <p>Claiming is one statement: {@code FOR UPDATE SKIP LOCKED} lets any number of nodes claim
 * side by side without waiting on or taking each other's rows, and the claim writes a lease
 * ({@code lease_owner}, {@code lease_until}). Every later write is conditional on still holding the
 * lease, so a node that comes back after its lease ran out cannot overwrite another's outcome. A
 * node that dies mid-batch leaves rows in {@code sending} whose lease runs out; the next run on
 * any node claims them again. Nothing is lost; the price is that an e-mail whose SMTP
 * acceptance was not yet recorded when the node died is sent a second time (at least once).
 *
 * <p>A reminder is checked against consent and the registry at claim time ({@link ReminderCheck});
 * appointment e-mails were rendered when booked and are sent as they are.
 */
public final class Dispatcher {

  private static final String CLAIM = """
      WITH due AS (
        SELECT id FROM proactive.delivery
         WHERE next_attempt_at <= $1
           AND (status IN ('created', 'temporary_failure') OR (status = 'sending' AND lease_until <= $1))
         ORDER BY next_attempt_at
         LIMIT $2
           FOR UPDATE SKIP LOCKED)
      UPDATE proactive.delivery d
         SET status = 'sending', lease_owner = $3, lease_until = $4, attempts = d.attempts + 1, updated_at = $1
        FROM due
       WHERE d.id = due.id
      RETURNING d.id, d.kind, d.citizen_id, d.document_type, d.document_number, d.expiry_date, d.stage,
                d.recipient, d.language, d.subject, d.body, d.calendar, d.attempts""";

  /** Records an outcome only while the lease is still ours. */
  private static final String FINISH = """
      UPDATE proactive.delivery
         SET status = $3, skip_reason = $4, last_error = $5, next_attempt_at = COALESCE($6, next_attempt_at),
             recipient = COALESCE($7, recipient), language = COALESCE($8, language),
             subject = COALESCE($9, subject), body = COALESCE($10, body),
             lease_owner = NULL, lease_until = NULL, updated_at = $11
       WHERE id = $1 AND lease_owner = $2 AND status = 'sending'""";

  private static final DateTimeFormatter HUNGARIAN_DATE = DateTimeFormatter.ofPattern("yyyy. MM. dd.");
  private static final DateTimeFormatter ENGLISH_DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);

  private record Outcome(String status, String skipReason, String error, OffsetDateTime retryAt,
                         String recipient, String language, String subject, String body) {}

  private final Pool pool;
  private final Mailer mailer;
  private final Templates templates;
  private final ProactiveSettings settings;
  private final Clock clock;
  private final String node;
  private final RateLimiter rateLimiter;
  private final MeterRegistry meters;

  /** @param node this node's name in leases; any string unique among the running nodes */
  public Dispatcher(Pool pool, Mailer mailer, Templates templates, ProactiveSettings settings, Clock clock,
                    String node, MeterRegistry meters) {
    this.pool = pool;
    this.mailer = mailer;
    this.templates = templates;
    this.settings = settings;
    this.clock = clock;
    this.node = node;
    this.meters = meters;
    this.rateLimiter = new RateLimiter(clock, settings.sendsPerSecond());
  }

  /** Claims one batch (at most the batch size, at most the rate limit allows) and sends it. */
  public Future<DispatchRun> runOnce() {
    int allowed = rateLimiter.take(settings.batchSize());
    if (allowed == 0) {
      return Future.succeededFuture(new DispatchRun(0, 0, 0, 0, 0));
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    OffsetDateTime leaseUntil = now.plusSeconds(settings.leaseSeconds());
    return pool.preparedQuery(CLAIM).execute(Tuple.of(now, allowed, node, leaseUntil)).compose(rows -> {
      rateLimiter.giveBack(allowed - rows.size());
      List<Future<Outcome>> outcomes = new ArrayList<>();
      for (Row row : rows) {
        // A failure before SMTP (the check's query, rendering) is retried like a temporary SMTP failure.
        Future<Outcome> outcome = deliver(row).recover(failure -> Future.succeededFuture(failed(row, failure, null, null)));
        outcomes.add(outcome.compose(done -> record(row.getLong("id"), done).map(done)));
      }
      return Future.join(outcomes).map(all -> summary(outcomes));
    });
  }

  private Future<Outcome> deliver(Row row) {
    if ("appointment".equals(row.getString("kind"))) {
      String language = row.getString("language");
      Email email = new Email(row.getString("recipient"), row.getString("subject"), row.getString("body"),
          row.getString("calendar"), row.getString("calendar") == null ? null : calendarMethod(row.getString("calendar")));
      return send(row, email, language);
    }
    DocumentType type = DocumentType.fromCode(row.getString("document_type")).orElseThrow();
    return ReminderCheck.decide(pool, row.getString("citizen_id"), type, row.getString("document_number"),
        row.getLocalDate("expiry_date")).compose(decision -> {
          if (decision.skip().isPresent()) {
            return Future.succeededFuture(new Outcome("skipped", decision.skip().get().code(), null, null,
                null, null, null, null));
          }
          String language = decision.subscription().language();
          Stage stage = Stage.fromCode(row.getString("stage"));
          Templates.Rendered rendered = templates.render(
              stage == Stage.EXPIRY_DAY ? "reminder_expiry_day" : "reminder_before", language, Map.of(
                  "name", decision.record().name(),
                  "document", type.label(language),
                  "document_number", decision.record().documentNumber(),
                  "expiry_date", date(decision.record().expiryDate(), language),
                  "booking_link", bookingLink(type, language)));
          return send(row, new Email(decision.record().email(), rendered.subject(), rendered.body(), null, null), language);
        });
  }

  private Future<Outcome> send(Row row, Email email, String language) {
    return mailer.send(email).map(sent -> new Outcome("delivered", null, null, null,
            email.recipient(), language, email.subject(), email.body()))
        .recover(failure -> Future.succeededFuture(failed(row, failure, email, language)));
  }

  /** 5xx or attempts used up: permanent; anything else: retried after the backoff. */
  private Outcome failed(Row row, Throwable failure, Email email, String language) {
    boolean permanent = failure instanceof Mailer.SendFailure sendFailure && sendFailure.permanent();
    int attempts = row.getInteger("attempts");
    String recipient = email == null ? null : email.recipient();
    String subject = email == null ? null : email.subject();
    String body = email == null ? null : email.body();
    if (permanent || attempts >= settings.maxAttempts()) {
      return new Outcome("permanent_failure", null, String.valueOf(failure.getMessage()), null, recipient, language, subject, body);
    }
    return new Outcome("temporary_failure", null, String.valueOf(failure.getMessage()),
        OffsetDateTime.now(clock).plus(backoff(attempts)), recipient, language, subject, body);
  }

  /** Exponential backoff: base, 2 x base, 4 x base, ... up to the maximum. */
  private Duration backoff(int attempts) {
    long seconds = settings.retryBaseSeconds() * (1L << Math.min(attempts - 1, 30));
    return Duration.ofSeconds(Math.min(seconds, settings.retryMaxSeconds()));
  }

  private Future<Void> record(long id, Outcome outcome) {
    meters.counter("ablak.proactive.deliveries", "outcome", outcome.status()).increment();
    return pool.preparedQuery(FINISH).execute(Tuple.from(new Object[] {
        id, node, outcome.status(), outcome.skipReason(), outcome.error(), outcome.retryAt(), outcome.recipient(),
        outcome.language(), outcome.subject(), outcome.body(), OffsetDateTime.now(clock)})).mapEmpty();
  }

  private static DispatchRun summary(List<Future<Outcome>> outcomes) {
    int delivered = 0;
    int temporary = 0;
    int permanent = 0;
    int skipped = 0;
    for (Future<Outcome> future : outcomes) {
      if (future.failed()) {
        continue;
      }
      switch (future.result().status()) {
        case "delivered" -> delivered++;
        case "temporary_failure" -> temporary++;
        case "permanent_failure" -> permanent++;
        default -> skipped++;
      }
    }
    return new DispatchRun(outcomes.size(), delivered, temporary, permanent, skipped);
  }

  private String bookingLink(DocumentType type, String language) {
    return settings.bookingUrl() + "?caseType=" + URLEncoder.encode(type.renewalCaseType(), StandardCharsets.UTF_8)
        + "&lang=" + language;
  }

  static String date(LocalDate date, String language) {
    return "hu".equals(language) ? HUNGARIAN_DATE.format(date) : ENGLISH_DATE.format(date);
  }

  private static String calendarMethod(String calendar) {
    return calendar.contains("\r\nMETHOD:CANCEL\r\n") ? "CANCEL" : "REQUEST";
  }
}
