package ablak.cases.outbox;

import ablak.cases.CasesException;
import ablak.cases.CasesException.Kind;
import ablak.cases.access.Principal;
import ablak.cases.access.Role;
import ablak.cases.audit.AuditEntry;
import ablak.cases.audit.AuditTrail;
import ablak.cases.lifecycle.CaseChanges;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** The operator's view of the dead letter: list what could not be delivered, and send it again. */
public final class DeadLetters {

    private final Pool pool;
    private final AuditTrail audit;
    private final Runnable wakeRelay;

    public DeadLetters(Pool pool, AuditTrail audit, Runnable wakeRelay) {
        this.pool = pool;
        this.audit = audit;
        this.wakeRelay = wakeRelay;
    }

    public Future<List<DeadLetter>> list(Principal operator, int limit) {
        return requireOperator(operator)
                .compose(v -> pool.preparedQuery("""
                                select o.id, o.case_id, c.case_number, c.case_type, o.destination, o.attempts, o.last_error,
                                       o.created_at, o.finished_at
                                  from cases.outbox o join cases.case_file c on c.id = o.case_id
                                 where o.status = 'DEAD' order by o.id limit $1""")
                        .execute(Tuple.of(Math.max(1, Math.min(limit, 1000)))))
                .map(rows -> {
                    List<DeadLetter> letters = new ArrayList<>();
                    rows.forEach(row -> letters.add(new DeadLetter(row.getLong("id"), row.getUUID("case_id"),
                            row.getString("case_number"), row.getString("case_type"), row.getString("destination"),
                            row.getInteger("attempts"), row.getString("last_error"),
                            row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("finished_at").toInstant())));
                    return letters;
                });
    }

    /**
     * Puts a dead-lettered submission back in the outbox with a fresh attempt budget. It keeps its
     * Idempotency-Key, so a back office that did store it after all answers from its store.
     */
    public Future<Void> replay(Principal operator, long outboxId, String reason) {
        if (reason == null || reason.isBlank()) {
            return Future.failedFuture(new CasesException(Kind.REASON_REQUIRED, "say why the delivery is replayed"));
        }
        return requireOperator(operator).compose(v -> pool.withTransaction(connection -> connection.preparedQuery("""
                        update cases.outbox set status = 'PENDING', attempts = 0, next_attempt_at = now(),
                               lease_token = null, lease_until = null, finished_at = null
                         where id = $1 and status = 'DEAD' returning case_id""")
                .execute(Tuple.of(outboxId))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        throw new CasesException(Kind.NOT_IN_DEAD_LETTER, "outbox row " + outboxId + " is not in the dead letter");
                    }
                    String caseId = rows.iterator().next().getUUID("case_id").toString();
                    return connection.preparedQuery("update cases.case_file u set delivery_status = 'PENDING' where u.id = $1::uuid"
                                    + " returning " + CaseChanges.notifyExpression("$2"))
                            .execute(Tuple.of(caseId, "delivery-replayed"))
                            .compose(x -> audit.append(connection, new AuditEntry(operator.id(), operator.role().name(),
                                    "case.delivery.replay", "case", caseId, reason, "outbox=" + outboxId)));
                }))).onSuccess(v -> wakeRelay.run());
    }

    private static Future<Void> requireOperator(Principal who) {
        return who.role() == Role.OPERATOR ? Future.succeededFuture()
                : Future.failedFuture(new CasesException(Kind.FORBIDDEN, "only an operator handles the dead letter"));
    }
}
