package ablak.signaling;

import org.flywaydb.core.Flyway;

/** Brings the {@code accounts} schema (staff accounts, token signing key) up to date. */
public final class AccountsMigrations {

  private AccountsMigrations() {}

  public static void migrate(String jdbcUrl, String user, String password) {
    Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .schemas("accounts")
        .locations("classpath:db/accounts")
        .table("flyway_history")
        .load()
        .migrate();
  }
}
