package ablak.proactive.registry;

import ablak.proactive.reminder.ReminderPlanner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The document registry: imports from the authority's files and the current document per citizen
 * and type. Imports are idempotent: a row equal to the stored one changes nothing, a row with a
 * new number or expiry replaces the stored document and plans its reminders.
 */
public final class DocumentRegistry {

  /** Reads the stored row and writes the new one in one statement; the write happens only on a difference. */
  private static final String UPSERT = """
      WITH old AS (
        SELECT document_number, expiry_date FROM proactive.document
         WHERE citizen_id = $1 AND document_type = $2
           FOR UPDATE),
      written AS (
        INSERT INTO proactive.document AS d
               (citizen_id, document_type, document_number, name, birth_date, email, expiry_date, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (citizen_id, document_type) DO UPDATE
           SET document_number = EXCLUDED.document_number, name = EXCLUDED.name,
               birth_date = EXCLUDED.birth_date, email = EXCLUDED.email,
               expiry_date = EXCLUDED.expiry_date, updated_at = EXCLUDED.updated_at
         WHERE (d.document_number, d.name, d.birth_date, d.email, d.expiry_date)
               IS DISTINCT FROM (EXCLUDED.document_number, EXCLUDED.name, EXCLUDED.birth_date,
                                 EXCLUDED.email, EXCLUDED.expiry_date)
        RETURNING 1)
      SELECT (SELECT document_number FROM old) AS old_number,
             (SELECT expiry_date FROM old) AS old_expiry,
             (SELECT count(*) FROM written) AS written""";

  private static final String FIND = """
      SELECT citizen_id, name, birth_date, email, document_type, document_number, expiry_date
        FROM proactive.document WHERE citizen_id = $1 AND document_type = $2""";

  private enum Outcome { ADDED, RENEWED, CORRECTED, UPDATED, UNCHANGED }

  private final Vertx vertx;
  private final Pool pool;
  private final ReminderPlanner planner;
  private final Clock clock;

  public DocumentRegistry(Vertx vertx, Pool pool, ReminderPlanner planner, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.planner = planner;
    this.clock = clock;
  }

  /**
   * Imports a CSV file; fails with {@code INVALID_INPUT} only when the file as a whole is unreadable.
   * Parsing a national registry's file takes a while: it runs on a worker thread, not the event loop.
   */
  public Future<ImportReport> importCsv(String text) {
    return vertx.executeBlocking(() -> RegistryRows.csv(text), false).compose(this::store);
  }

  /** Imports a JSON array of objects with the CSV's column names as keys. */
  public Future<ImportReport> importJson(String text) {
    return vertx.executeBlocking(() -> RegistryRows.json(text), false).compose(this::store);
  }

  public Future<Optional<RegistryRecord>> find(String citizenId, DocumentType type) {
    return pool.preparedQuery(FIND).execute(Tuple.of(citizenId, type.code()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(record(rows.iterator().next())));
  }

  /** Rows are stored one after another, each in its own transaction, so one failure never undoes another. */
  private Future<ImportReport> store(RegistryRows.Parsed parsed) {
    List<Outcome> outcomes = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (RegistryRows.Numbered numbered : parsed.records()) {
      chain = chain.compose(ignored -> pool.withTransaction(connection -> store(connection, numbered.record()))
          .map(outcome -> {
            outcomes.add(outcome);
            return null;
          }));
    }
    return chain.map(ignored -> new ImportReport(
        parsed.rows(),
        count(outcomes, Outcome.ADDED),
        count(outcomes, Outcome.RENEWED) + count(outcomes, Outcome.CORRECTED),
        count(outcomes, Outcome.UPDATED),
        count(outcomes, Outcome.UNCHANGED),
        parsed.errors()));
  }

  private Future<Outcome> store(SqlConnection connection, RegistryRecord record) {
    Tuple values = Tuple.of(record.citizenId(), record.documentType().code(), record.documentNumber(), record.name(),
        record.birthDate(), record.email(), record.expiryDate(), OffsetDateTime.now(clock));
    return connection.preparedQuery(UPSERT).execute(values).compose(rows -> {
      Row row = rows.iterator().next();
      String oldNumber = row.getString("old_number");
      LocalDate oldExpiry = row.getLocalDate("old_expiry");
      if (row.getLong("written") == 0) {
        return Future.succeededFuture(Outcome.UNCHANGED);
      }
      if (oldNumber == null) {
        return planner.plan(connection, record).map(Outcome.ADDED);
      }
      if (!oldNumber.equals(record.documentNumber())) {
        return planner.plan(connection, record).map(Outcome.RENEWED);
      }
      if (!oldExpiry.equals(record.expiryDate())) {
        return planner.replan(connection, record).map(Outcome.CORRECTED);
      }
      return Future.succeededFuture(Outcome.UPDATED);
    });
  }

  private static int count(List<Outcome> outcomes, Outcome outcome) {
    return (int) outcomes.stream().filter(outcome::equals).count();
  }

  static RegistryRecord record(Row row) {
    return new RegistryRecord(row.getString("citizen_id"), row.getString("name"), row.getLocalDate("birth_date"),
        row.getString("email"), DocumentType.fromCode(row.getString("document_type")).orElseThrow(),
        row.getString("document_number"), row.getLocalDate("expiry_date"));
  }
}
