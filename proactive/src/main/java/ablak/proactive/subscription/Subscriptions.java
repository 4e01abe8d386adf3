package ablak.proactive.subscription;

import ablak.proactive.ProactiveError;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Opt-in and opt-out. Consent is one row per citizen that flips; the identifying data of the last
 * opt-in is what reminders are matched against the registry with ({@link #matches}).
 */
public final class Subscriptions {

  public static final Set<String> LANGUAGES = Set.of("hu", "en");

  private static final String OPT_IN = """
      INSERT INTO proactive.subscription (citizen_id, name, birth_date, email, language, opted_in, updated_at)
      VALUES ($1, $2, $3, $4, $5, true, $6)
      ON CONFLICT (citizen_id) DO UPDATE
         SET name = EXCLUDED.name, birth_date = EXCLUDED.birth_date, email = EXCLUDED.email,
             language = EXCLUDED.language, opted_in = true, updated_at = EXCLUDED.updated_at""";

  private static final String OPT_OUT = """
      UPDATE proactive.subscription SET opted_in = false, updated_at = $2 WHERE citizen_id = $1""";

  private static final String FIND = """
      SELECT citizen_id, name, birth_date, email, language, opted_in
        FROM proactive.subscription WHERE citizen_id = $1""";

  private final Pool pool;
  private final Clock clock;

  public Subscriptions(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Opts in (again); fails with {@code INVALID_INPUT} on missing data or an unknown language. */
  public Future<Subscription> optIn(Subscription request) {
    if (blank(request.citizenId()) || blank(request.name()) || request.birthDate() == null
        || blank(request.email()) || !request.email().contains("@") || !LANGUAGES.contains(request.language())) {
      return Future.failedFuture(new ProactiveError(ProactiveError.Code.INVALID_INPUT,
          "opting in needs citizen id, name, birth date, an e-mail address and a language (hu or en)"));
    }
    Subscription subscription = new Subscription(request.citizenId().trim(), request.name().trim(),
        request.birthDate(), request.email().trim(), request.language(), true);
    return pool.preparedQuery(OPT_IN)
        .execute(Tuple.of(subscription.citizenId(), subscription.name(), subscription.birthDate(),
            subscription.email(), subscription.language(), OffsetDateTime.now(clock)))
        .map(subscription);
  }

  /** Opts out; reminders already planned are then skipped at send time. Unknown citizens are a no-op. */
  public Future<Void> optOut(String citizenId) {
    return pool.preparedQuery(OPT_OUT).execute(Tuple.of(citizenId, OffsetDateTime.now(clock))).mapEmpty();
  }

  public Future<Optional<Subscription>> find(String citizenId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(citizenId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(subscription(rows.iterator().next())));
  }

  /**
   * Whether the subscriber is the registry's holder: same name (ignoring case and runs of spaces),
   * same birth date, same e-mail address (ignoring case). A changed address means no match.
   */
  public static boolean matches(Subscription subscription, String name, java.time.LocalDate birthDate, String email) {
    return normalised(subscription.name()).equals(normalised(name))
        && subscription.birthDate().equals(birthDate)
        && subscription.email().trim().equalsIgnoreCase(email.trim());
  }

  static Subscription subscription(Row row) {
    return new Subscription(row.getString("citizen_id"), row.getString("name"), row.getLocalDate("birth_date"),
        row.getString("email"), row.getString("language"), row.getBoolean("opted_in"));
  }

  private static String normalised(String name) {
    return name.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
