package ablak.cases.outbox;

import ablak.cases.schedule.BatchLoop;
import ablak.cases.CasesSettings;
import ablak.cases.audit.AuditEntry;
import ablak.cases.audit.AuditTrail;
import ablak.cases.lifecycle.CaseChanges;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers submitted cases from the outbox to their back offices, at least once.
 * <p>
 * Any number of nodes run a relay at once. A relay claims due rows with {@code FOR UPDATE SKIP
 * LOCKED} and stamps them with a lease (a token and an expiry) in the same statement, so two
 * relays never claim the same row while its lease runs. The claim commits before sending: if the
 * relay dies mid-send, the row becomes due again when the lease expires and another relay sends it
 * again with the same Idempotency-Key, which the back office uses to store it once. An answer is
 * recorded only by the relay still holding the lease, so a late answer cannot overwrite a newer one.
 * Failures are retried with exponential backoff (with jitter, so a recovering back office is not
 * hit by every row at once) until {@link CasesSettings#maxDeliveryAttempts()}, then dead-lettered.
 */
public final class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    private static final String CLAIM = """
            update cases.outbox o
               set lease_token = $1, lease_until = now() + make_interval(secs => $2), attempts = o.attempts + 1
             where o.id in (select id from cases.outbox
                             where status = 'PENDING' and next_attempt_at <= now()
                               and (lease_until is null or lease_until < now())
                             order by next_attempt_at, id
                             limit $3
                             for update skip locked)
            returning o.id, o.case_id, o.destination, o.idempotency_key, o.payload::text as payload, o.attempts""";

    // Records one answer: the outbox row only if this relay still holds its lease, and the case
    // only if the outbox row was updated; no row back means another relay owns it now.
    private static final String FINISH = """
            with o as (
                update cases.outbox
                   set status = $3, lease_token = null, lease_until = null, last_error = $4,
                       next_attempt_at = now() + make_interval(secs => $5),
                       finished_at = case when $3 = 'PENDING' then null else now() end
                 where id = $1 and lease_token = $2
                returning case_id)
            update cases.case_file u
               set delivery_status = $6, delivery_attempts = $7, delivery_problem = $4,
                   back_office_reference = coalesce($8, u.back_office_reference)
              from o
             where u.id = o.case_id
            """ + "returning " + CaseChanges.notifyExpression("$9");

    private final Pool pool;
    private final BackOfficeAdapter adapter;
    private final AuditTrail audit;
    private final CasesSettings settings;
    private final MeterRegistry meters;
    private final Timer deliveryTime;
    private final String actor;
    private final BatchLoop loop;

    public OutboxRelay(Vertx vertx, Pool pool, BackOfficeAdapter adapter, AuditTrail audit, CasesSettings settings,
                       MeterRegistry meters) {
        this.pool = pool;
        this.adapter = adapter;
        this.audit = audit;
        this.settings = settings;
        this.meters = meters;
        this.deliveryTime = meters.timer("ablak.cases.delivery.duration");
        this.actor = "relay:" + (settings.nodeId() != null ? settings.nodeId()
                : "node-" + UUID.randomUUID().toString().substring(0, 8));
        this.loop = new BatchLoop(vertx, "outbox delivery", settings.relayPollInterval(), settings.relayBatchSize(),
                this::runOnce, LOG);
    }

    /** Polls for due rows every {@link CasesSettings#relayPollInterval()} until {@link #stop()}. */
    public void start() {
        loop.start();
    }

    /** Looks for due rows now rather than at the next poll (after a local submit or replay). */
    public void wake() {
        loop.wake();
    }

    /** Stops polling; completes once the batch in flight, if any, is delivered and recorded. */
    public Future<Void> stop() {
        return loop.stop();
    }

    /** Claims one batch of due rows and delivers them; completes with the number claimed. */
    public Future<Integer> runOnce() {
        UUID lease = UUID.randomUUID();
        double leaseSeconds = settings.relayLease().toMillis() / 1000.0;
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(lease, leaseSeconds, settings.relayBatchSize()))
                .compose(rows -> {
                    List<Future<Outcome>> deliveries = new ArrayList<>();
                    for (Row row : rows) {
                        deliveries.add(deliver(lease, row));
                    }
                    return Future.all(deliveries)
                            .compose(all -> recordAll(all.list()))
                            .recover(failure -> {
                                // The answers could not be recorded (e.g. the database is restarting): the
                                // leases expire and the rows are sent again; the back office answers the
                                // repeats from its store.
                                LOG.warn("answers for {} outbox row(s) not recorded, they will be sent again: {}",
                                        rows.size(), failure.toString());
                                return Future.succeededFuture();
                            })
                            .map(rows.size());
                });
    }

    /** What to write back for one delivered row. */
    private record Outcome(UUID lease, long id, UUID caseId, int attempt, String outboxStatus, String deliveryStatus,
                           String problem, String reference, double retryInSeconds, String change, String auditAction) {
    }

    private Future<Outcome> deliver(UUID lease, Row row) {
        long id = row.getLong("id");
        UUID caseId = row.getUUID("case_id");
        int attempt = row.getInteger("attempts");
        OutboundSubmission submission = new OutboundSubmission(row.getString("destination"),
                row.getString("idempotency_key"), row.getString("payload"), attempt);
        Timer.Sample sample = Timer.start(meters);
        return adapter.deliver(submission)
                .otherwise(failure -> new BackOfficeAnswer.Failed("adapter failed: " + failure, true))
                .map(answer -> {
                    sample.stop(deliveryTime);
                    return outcome(lease, id, caseId, attempt, answer);
                });
    }

    private Outcome outcome(UUID lease, long id, UUID caseId, int attempt, BackOfficeAnswer answer) {
        if (answer instanceof BackOfficeAnswer.Accepted accepted) {
            count("accepted");
            return new Outcome(lease, id, caseId, attempt, "DONE", "ACCEPTED", null, accepted.reference(), 0,
                    "delivery-accepted", "case.delivery.accept");
        }
        if (answer instanceof BackOfficeAnswer.Rejected rejected) {
            count("rejected");
            return new Outcome(lease, id, caseId, attempt, "DONE", "REJECTED", String.join("; ", rejected.problems()),
                    null, 0, "delivery-rejected", "case.delivery.reject");
        }
        BackOfficeAnswer.Failed failed = (BackOfficeAnswer.Failed) answer;
        if (failed.retryable() && attempt < settings.maxDeliveryAttempts()) {
            count("retry");
            double delay = backoffSeconds(attempt);
            LOG.info("outbox row {} attempt {} failed, retrying in {} s: {}", id, attempt,
                    String.format("%.2f", delay), failed.reason());
            return new Outcome(lease, id, caseId, attempt, "PENDING", "PENDING", failed.reason(), null, delay,
                    "delivery-retrying", null);
        }
        count("dead-letter");
        LOG.warn("outbox row {} moved to the dead letter after {} attempt(s): {}", id, attempt, failed.reason());
        return new Outcome(lease, id, caseId, attempt, "DEAD", "DEAD_LETTER", failed.reason(), null, 0,
                "dead-lettered", "case.delivery.dead-letter");
    }

    /**
     * Records a whole batch's answers in one transaction: one commit and one turn at the audit
     * chain's head for the batch instead of one per row, which is what bounds relay throughput.
     */
    private Future<Void> recordAll(List<Outcome> outcomes) {
        return pool.withTransaction(connection -> {
            Future<Void> done = Future.succeededFuture();
            for (Outcome outcome : outcomes) {
                done = done.compose(v -> record(connection, outcome));
            }
            return done;
        });
    }

    private Future<Void> record(SqlConnection connection, Outcome o) {
        return connection.preparedQuery(FINISH)
                .execute(Tuple.of(o.id(), o.lease(), o.outboxStatus(), o.problem(), o.retryInSeconds(),
                        o.deliveryStatus(), o.attempt(), o.reference(), o.change()))
                .compose(updated -> updated.rowCount() == 0 || o.auditAction() == null
                        ? Future.<Void>succeededFuture()
                        : audit.append(connection, new AuditEntry(actor, "SYSTEM", o.auditAction(), "case",
                        o.caseId().toString(), "back-office delivery", "outbox=" + o.id() + " attempt=" + o.attempt())));
    }

    /** Exponential backoff with equal jitter: half the doubled delay fixed, half random. */
    private double backoffSeconds(int attempt) {
        double base = settings.retryInitialBackoff().toMillis() * Math.pow(2, Math.min(attempt - 1, 30));
        double capped = Math.min(base, settings.retryMaxBackoff().toMillis());
        return (capped / 2 + ThreadLocalRandom.current().nextDouble(capped / 2)) / 1000.0;
    }

    private void count(String outcome) {
        meters.counter("ablak.cases.deliveries", "outcome", outcome).increment();
    }
}
