package ablak.proactive.reminder;

import ablak.proactive.ProactiveSettings;
import ablak.proactive.registry.RegistryRecord;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a document's reminders into the delivery ledger. Only stages whose day is today or later
 * are planned, so a document imported late gets only the reminders still ahead; the ledger's
 * unique (document, stage) key makes planning twice a no-op.
 */
public final class ReminderPlanner {

  private static final String PLAN = """
      INSERT INTO proactive.delivery (kind, citizen_id, document_type, document_number, expiry_date, stage,
                                      status, next_attempt_at, created_at, updated_at)
      VALUES ('reminder', $1, $2, $3, $4, $5, 'created', $6, $7, $7)
      ON CONFLICT (document_type, document_number, stage) DO NOTHING""";

  /** A corrected expiry date moves the reminders not yet sent. */
  private static final String FORGET_UNSENT = """
      DELETE FROM proactive.delivery
       WHERE document_type = $1 AND document_number = $2 AND status = 'created'""";

  private final Clock clock;
  private final ZoneId zone;
  private final int sendHour;

  public ReminderPlanner(ProactiveSettings settings, Clock clock) {
    this.clock = clock;
    this.zone = settings.zoneId();
    this.sendHour = settings.sendHour();
  }

  /** Plans the stages still ahead for a new or renewed document. */
  public Future<Integer> plan(SqlClient client, RegistryRecord record) {
    LocalDate today = LocalDate.now(clock.withZone(zone));
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<Tuple> rows = new ArrayList<>();
    for (Stage stage : Stage.values()) {
      LocalDate day = stage.dueOn(record.documentType(), record.expiryDate());
      if (!day.isBefore(today)) {
        OffsetDateTime due = day.atTime(sendHour, 0).atZone(zone).toOffsetDateTime();
        rows.add(Tuple.of(record.citizenId(), record.documentType().code(), record.documentNumber(),
            record.expiryDate(), stage.code(), due, now));
      }
    }
    if (rows.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return client.preparedQuery(PLAN).executeBatch(rows).map(rows.size());
  }

  /** Re-plans a document whose expiry date was corrected under the same number. */
  public Future<Integer> replan(SqlClient client, RegistryRecord record) {
    return client.preparedQuery(FORGET_UNSENT)
        .execute(Tuple.of(record.documentType().code(), record.documentNumber()))
        .compose(deleted -> plan(client, record));
  }
}
