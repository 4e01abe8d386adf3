package ablak.identification.review;

import ablak.cases.audit.AuditEntry;
import ablak.cases.audit.AuditTrail;
import ablak.identification.Actor;
import ablak.identification.IdentificationException;
import ablak.identification.IdentificationException.Kind;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Four-eyes review (BaFin circular 3/2017, ETSI TS 119 461 section 9.2.3.3): a supervisor or an
 * auditor other than the clerk who ran the identification confirms or rejects it. The decision is
 * audited in the same transaction; the sealed record itself is not touched.
 */
public final class ReviewQueue {

  private final Pool pool;
  private final AuditTrail audit;
  private final Clock clock;

  public ReviewQueue(Pool pool, AuditTrail audit, Clock clock) {
    this.pool = pool;
    this.audit = audit;
    this.clock = clock;
  }

  /** Pending reviews, oldest first. */
  public Future<List<ReviewItem>> pending(Actor who, int limit) {
    if (!who.isReviewer()) {
      return refusedRole();
    }
    if (limit < 1 || limit > 500) {
      return Future.failedFuture(new IdentificationException(Kind.INVALID_INPUT, "limit is 1-500"));
    }
    return pool.preparedQuery("""
            select i.*, r.queued_at from identification.review r
              join identification.identification i on i.id = r.identification_id
             where r.status = 'PENDING' order by r.queued_at, i.id limit $1""")
        .execute(Tuple.of(limit))
        .map(rows -> {
          List<ReviewItem> items = new ArrayList<>();
          for (Row row : rows) {
            items.add(new ReviewItem(row.getUUID("id"), row.getString("call_id"), row.getUUID("case_id"),
                row.getString("case_type"), row.getString("document_type"), row.getString("clerk_id"),
                row.getString("status"), row.getString("failure_reason"), row.getOffsetDateTime("completed_at").toInstant(),
                row.getOffsetDateTime("queued_at").toInstant()));
          }
          return items;
        });
  }

  /** Confirms or rejects a pending review; refused for the clerk who ran it and for decided ones. */
  public Future<Void> decide(Actor who, UUID identificationId, boolean confirm, String note) {
    if (!who.isReviewer()) {
      return refusedRole();
    }
    if (note != null && note.length() > 2000) {
      return Future.failedFuture(new IdentificationException(Kind.INVALID_INPUT, "a note is at most 2000 characters"));
    }
    if (!confirm && (note == null || note.isBlank())) {
      return Future.failedFuture(new IdentificationException(Kind.INVALID_INPUT, "say why the identification is rejected"));
    }
    return pool.withTransaction(connection -> connection.preparedQuery("""
            select r.status, i.clerk_id from identification.review r
              join identification.identification i on i.id = r.identification_id
             where r.identification_id = $1 for update of r""")
        .execute(Tuple.of(identificationId))
        .compose(rows -> {
          if (rows.size() == 0) {
            throw new IdentificationException(Kind.NOT_FOUND, "identification " + identificationId + " is not in the review queue");
          }
          Row row = rows.iterator().next();
          if (!row.getString("status").equals("PENDING")) {
            throw new IdentificationException(Kind.NOT_UNDER_REVIEW, "the review was already decided: " + row.getString("status"));
          }
          if (row.getString("clerk_id").equals(who.id())) {
            throw new IdentificationException(Kind.SAME_PERSON, "the clerk who ran an identification may not review it");
          }
          String status = confirm ? "CONFIRMED" : "REJECTED";
          return connection.preparedQuery("""
                  update identification.review set status = $2, reviewer_id = $3, reviewer_role = $4, reviewed_at = $5, note = $6
                   where identification_id = $1""")
              .execute(Tuple.from(new Object[] {identificationId, status, who.id(), who.role(),
                  clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC), note}))
              .compose(v -> audit.append(connection, new AuditEntry(who.id(), who.role(),
                  "identification.review." + status.toLowerCase(java.util.Locale.ROOT), "identification",
                  identificationId.toString(), note == null || note.isBlank() ? "four-eyes review" : note, status)));
        }));
  }

  private static <T> Future<T> refusedRole() {
    return Future.failedFuture(new IdentificationException(Kind.FORBIDDEN, "only a supervisor or an auditor reviews identifications"));
  }
}
