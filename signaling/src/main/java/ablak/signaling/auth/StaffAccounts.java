package ablak.signaling.auth;

import ablak.signaling.ClientError;
import ablak.queue.routing.ClerkProfile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/** Staff accounts in the {@code accounts} schema. Password hashing runs on worker threads. */
public final class StaffAccounts {

  /** Mirrors the CHECK constraint in V1__staff_accounts.sql, to answer with a clear message. */
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,62}");
  /** Mirrors the CHECK constraint in V3__staff_teams.sql. */
  private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  public static final int MIN_PASSWORD_LENGTH = 12;

  private final WorkerExecutor hashing;
  private final Pool pool;
  private final PasswordHasher hasher;
  private final List<Runnable> createdListeners = new CopyOnWriteArrayList<>();

  public StaffAccounts(Vertx vertx, Pool pool, PasswordHasher hasher) {
    // Argon2id is deliberately expensive: a few sign-ins at once on the shared worker pool took every
    // core from the event loops. Its own pool of cores - 1 threads always leaves one for them.
    this.hashing = vertx.createSharedWorkerExecutor("ablak-password-hashing",
        Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    this.pool = pool;
    this.hasher = hasher;
  }

  /**
   * Fails with {@code invalid_message} for bad fields and {@code conflict} for a taken username;
   * a null team is {@link StaffAccount#DEFAULT_TEAM}.
   */
  public Future<StaffAccount> create(String username, String name, Role role, String team, String password) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      return Future.failedFuture(ClientError.invalid("username must be 2-63 of a-z 0-9 . _ - starting with a letter or digit"));
    }
    if (name == null || name.isBlank() || name.length() > 200) {
      return Future.failedFuture(ClientError.invalid("name must be 1-200 characters"));
    }
    if (role == null || !Role.STAFF.contains(role)) {
      return Future.failedFuture(ClientError.invalid("role must be one of clerk, supervisor, auditor, admin"));
    }
    String teamName = team == null ? StaffAccount.DEFAULT_TEAM : team;
    if (!TEAM.matcher(teamName).matches()) {
      return Future.failedFuture(ClientError.invalid("team must be 1-63 of a-z 0-9 . _ - starting with a letter or digit"));
    }
    if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
      return Future.failedFuture(ClientError.invalid("password must have at least " + MIN_PASSWORD_LENGTH + " characters"));
    }
    StaffAccount account = new StaffAccount(UUID.randomUUID().toString(), username, name.strip(), role, teamName);
    return hashing.executeBlocking(() -> hasher.hash(password), false)
        .compose(hash -> pool.preparedQuery(
                "INSERT INTO accounts.staff (id, username, display_name, role, team, password_hash) VALUES ($1, $2, $3, $4, $5, $6)")
            .execute(Tuple.of(UUID.fromString(account.id()), username, account.name(), role.wireName(), teamName, hash)))
        .recover(error -> Future.failedFuture(isUniqueViolation(error)
            ? new ClientError(ClientError.CONFLICT, 409, "username " + username + " is taken")
            : error))
        .map(rows -> account)
        .onSuccess(created -> createdListeners.forEach(Runnable::run));
  }

  /** Runs {@code listener} after each account this node creates (on other nodes' creations it is not called). */
  public void onCreated(Runnable listener) {
    createdListeners.add(listener);
  }

  /** The account whose password this is, or a failed future with {@code invalid_credentials}. */
  public Future<StaffAccount> authenticate(String username, String password) {
    return pool.preparedQuery("SELECT id, username, display_name, role, team, password_hash FROM accounts.staff WHERE username = $1")
        .execute(Tuple.of(username))
        .compose(rows -> {
          Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
          return hashing.executeBlocking(() -> row == null
                  ? hasher.verifyNobody(password)
                  : hasher.verify(password, row.getString("password_hash")), false)
              .compose(valid -> valid
                  ? Future.succeededFuture(account(row))
                  : Future.failedFuture(new ClientError(ClientError.INVALID_CREDENTIALS, 401, "wrong username or password")));
        });
  }

  /**
   * The routing profile of a staff member: skills with proficiency, languages and capacity, as
   * stored with the account; a new account has no skills, so it is offered nothing until given some.
   */
  public Future<ClerkProfile> clerkProfile(String id) {
    return pool.preparedQuery("SELECT skills, languages, capacity FROM accounts.staff WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(id)))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.failedFuture(new ClientError(ClientError.NOT_FOUND, 404, "no staff account " + id));
          }
          Row row = rows.iterator().next();
          Map<String, Integer> skills = new LinkedHashMap<>();
          JsonObject stored = (JsonObject) row.getValue("skills");
          stored.forEach(skill -> skills.put(skill.getKey(), ((Number) skill.getValue()).intValue()));
          return Future.succeededFuture(new ClerkProfile(id, skills, Set.of(row.getArrayOfStrings("languages")),
              row.getInteger("capacity")));
        });
  }

  /** Replaces the routing profile of an account; the routing engine checks skills and languages when the clerk signs in. */
  public Future<Void> setClerkProfile(ClerkProfile profile) {
    JsonObject skills = new JsonObject();
    profile.skills().forEach(skills::put);
    return pool.preparedQuery("UPDATE accounts.staff SET skills = $2, languages = $3, capacity = $4 WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(profile.clerkId()), skills, profile.languages().toArray(String[]::new), profile.capacity()))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture()
            : Future.failedFuture(new ClientError(ClientError.NOT_FOUND, 404, "no staff account " + profile.clerkId())));
  }

  /** Moves an account to another team; a supervisor's or clerk's new team applies from their next sign-in. */
  public Future<StaffAccount> setTeam(String id, String team) {
    if (team == null || !TEAM.matcher(team).matches()) {
      return Future.failedFuture(ClientError.invalid("team must be 1-63 of a-z 0-9 . _ - starting with a letter or digit"));
    }
    return pool.preparedQuery("UPDATE accounts.staff SET team = $2 WHERE id = $1 RETURNING id, username, display_name, role, team")
        .execute(Tuple.of(UUID.fromString(id), team))
        .compose(rows -> rows.iterator().hasNext() ? Future.succeededFuture(account(rows.iterator().next()))
            : Future.failedFuture(new ClientError(ClientError.NOT_FOUND, 404, "no staff account " + id)));
  }

  /** Every account of one role, by username. */
  public Future<List<StaffAccount>> list(Role role) {
    return list().map(all -> all.stream().filter(account -> account.role() == role).toList());
  }

  public Future<List<StaffAccount>> list() {
    return pool.query("SELECT id, username, display_name, role, team FROM accounts.staff ORDER BY username")
        .execute()
        .map(rows -> {
          List<StaffAccount> accounts = new ArrayList<>();
          rows.forEach(row -> accounts.add(account(row)));
          return accounts;
        });
  }

  private static StaffAccount account(Row row) {
    return new StaffAccount(row.getUUID("id").toString(), row.getString("username"), row.getString("display_name"),
        Role.fromWireName(row.getString("role")), row.getString("team"));
  }

  private static boolean isUniqueViolation(Throwable error) {
    return error instanceof PgException pg && "23505".equals(pg.getSqlState());
  }
}
