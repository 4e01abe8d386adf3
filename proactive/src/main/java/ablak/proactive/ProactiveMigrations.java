package ablak.proactive;

import org.flywaydb.core.Flyway;

/** Brings the {@code proactive} schema (registry, subscriptions, delivery ledger, appointments) up to date. */
public final class ProactiveMigrations {

  private ProactiveMigrations() {}

  public static void migrate(String jdbcUrl, String user, String password) {
    Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .schemas("proactive")
        .locations("classpath:db/proactive")
        .table("flyway_history")
        .load()
        .migrate();
  }
}
