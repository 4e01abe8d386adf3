package ablak.identification;

import org.flywaydb.core.Flyway;

/** Creates and upgrades the {@code identification} schema; the server runs it once at start. */
public final class IdentificationMigrations {

  private IdentificationMigrations() {}

  public static void migrate(String jdbcUrl, String user, String password) {
    Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .schemas("identification")
        .locations("classpath:db/identification")
        .table("flyway_history")
        .load()
        .migrate();
  }
}
