package ablak.identification.retention;

import ablak.cases.audit.AuditEntry;
import ablak.cases.audit.AuditTrail;
import ablak.identification.IdentificationSettings;
import ablak.identification.evidence.EvidenceFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes identifications whose retention period has passed: completed ones after
 * {@code retention}, aborted or unfinished ones after {@code abortedRetention}. Files go first
 * (stills, and the call's recording when no other identification of that call remains), then the
 * rows, with an {@code identification.deleted} entry carrying the record's seal in the same
 * transaction: the audit trail shows what was deleted and when, and that it was sealed. Any node
 * may run it; a row another node deleted meanwhile is simply gone.
 */
public final class Retention {

  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  private static final int BATCH = 100;

  private final Vertx vertx;
  private final Pool pool;
  private final AuditTrail audit;
  private final EvidenceFiles files;
  private final IdentificationSettings settings;
  private final Clock clock;
  private long timer = -1;

  public Retention(Vertx vertx, Pool pool, AuditTrail audit, EvidenceFiles files, IdentificationSettings settings, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.audit = audit;
    this.files = files;
    this.settings = settings;
    this.clock = clock;
  }

  public void start() {
    timer = vertx.setPeriodic(settings.retentionInterval().toMillis(), id -> runOnce()
        .onFailure(failure -> LOG.warn("identification retention run failed; the next run tries again", failure)));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private record Due(UUID id, String callId, String status, String seal) {}

  /** Deletes everything due now; completes with the number of identifications deleted. */
  public Future<Integer> runOnce() {
    Instant now = clock.instant();
    return pool.preparedQuery("""
            select id, call_id, status, seal from identification.identification
             where (status in ('VERIFIED', 'FAILED') and completed_at < $1)
                or (status in ('IN_PROGRESS', 'ABORTED') and updated_at < $2)
             order by updated_at limit $3""")
        .execute(Tuple.of(now.minus(settings.retention()).atOffset(ZoneOffset.UTC),
            now.minus(settings.abortedRetention()).atOffset(ZoneOffset.UTC), BATCH))
        .compose(rows -> {
          List<Due> due = new ArrayList<>();
          for (Row row : rows) {
            due.add(new Due(row.getUUID("id"), row.getString("call_id"), row.getString("status"), row.getString("seal")));
          }
          Future<Integer> chain = Future.succeededFuture(0);
          for (Due one : due) {
            chain = chain.compose(count -> delete(one).map(count + 1));
          }
          return chain.compose(count -> count == BATCH ? runOnce().map(more -> count + more) : Future.succeededFuture(count));
        });
  }

  private Future<Void> delete(Due due) {
    return pool.preparedQuery("select count(*) as others from identification.identification where call_id = $1 and id <> $2")
        .execute(Tuple.of(due.callId(), due.id()))
        .compose(others -> {
          boolean lastOfCall = others.iterator().next().getLong("others") == 0;
          return vertx.executeBlocking(() -> {
            files.deleteStills(due.id());
            if (lastOfCall) {
              files.deleteRecording(due.callId());
            }
            return null;
          }, false);
        })
        .compose(v -> pool.withTransaction(connection -> connection
            .preparedQuery("delete from identification.identification where id = $1").execute(Tuple.of(due.id()))
            .compose(deleted -> deleted.rowCount() == 0 ? Future.<Void>succeededFuture()
                : audit.append(connection, new AuditEntry("retention", "SYSTEM", "identification.deleted", "identification",
                    due.id().toString(), "retention period over (" + due.status() + ")",
                    due.seal() == null ? "unsealed" : due.seal())))));
  }
}
