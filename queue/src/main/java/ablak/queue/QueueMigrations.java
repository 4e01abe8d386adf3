package ablak.queue;

import org.flywaydb.core.Flyway;

/** Creates and upgrades the queue module's own PostgreSQL schema, "queue". */
public final class QueueMigrations {
  private QueueMigrations() {}

  public static void migrate(String jdbcUrl, String user, String password) {
    Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .schemas("queue")
        .locations("classpath:db/queue")
        .table("flyway_history")
        .load()
        .migrate();
  }
}
