package ablak.proactive.reminder;

import ablak.proactive.registry.DocumentType;
import ablak.proactive.registry.RegistryRecord;
import ablak.proactive.subscription.Subscription;
import ablak.proactive.subscription.Subscriptions;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The check made at the moment of sending, never earlier: consent and the registry may have
 * changed since the reminder was planned.
 */
public final class ReminderCheck {

  private static final String CURRENT = """
      SELECT d.citizen_id, d.name, d.birth_date, d.email, d.document_type, d.document_number, d.expiry_date,
             s.name AS s_name, s.birth_date AS s_birth_date, s.email AS s_email, s.language AS s_language,
             s.opted_in AS s_opted_in
        FROM proactive.document d
        LEFT JOIN proactive.subscription s ON s.citizen_id = d.citizen_id
       WHERE d.citizen_id = $1 AND d.document_type = $2""";

  /** Either a reason not to send, or the registry record and the subscription to send with. */
  public record Decision(Optional<SkipReason> skip, RegistryRecord record, Subscription subscription) {
    static Decision skip(SkipReason reason) {
      return new Decision(Optional.of(reason), null, null);
    }
  }

  private ReminderCheck() {}

  public static Future<Decision> decide(
      SqlClient client, String citizenId, DocumentType type, String documentNumber, LocalDate expiryDate) {
    return client.preparedQuery(CURRENT).execute(Tuple.of(citizenId, type.code())).map(rows -> {
      if (rows.size() == 0) {
        return Decision.skip(SkipReason.DOCUMENT_REMOVED);
      }
      Row row = rows.iterator().next();
      RegistryRecord record = new RegistryRecord(row.getString("citizen_id"), row.getString("name"),
          row.getLocalDate("birth_date"), row.getString("email"), type, row.getString("document_number"),
          row.getLocalDate("expiry_date"));
      if (!record.documentNumber().equals(documentNumber) || !record.expiryDate().equals(expiryDate)) {
        return Decision.skip(SkipReason.DOCUMENT_RENEWED);
      }
      if (row.getString("s_name") == null) {
        return Decision.skip(SkipReason.NOT_SUBSCRIBED);
      }
      Subscription subscription = new Subscription(citizenId, row.getString("s_name"), row.getLocalDate("s_birth_date"),
          row.getString("s_email"), row.getString("s_language"), row.getBoolean("s_opted_in"));
      if (!subscription.optedIn()) {
        return Decision.skip(SkipReason.OPTED_OUT);
      }
      if (!Subscriptions.matches(subscription, record.name(), record.birthDate(), record.email())) {
        return Decision.skip(SkipReason.DATA_MISMATCH);
      }
      return new Decision(Optional.empty(), record, subscription);
    });
  }
}
