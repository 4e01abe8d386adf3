package ablak.cases;

import org.flywaydb.core.Flyway;

/** Creates and upgrades the {@code cases} schema; the server runs it once at start, before {@link Cases#start}. */
public final class CasesMigrations {

    private CasesMigrations() {
    }

    public static void migrate(String jdbcUrl, String user, String password) {
        Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .schemas("cases")
                .locations("classpath:db/cases")
                .table("flyway_history")
                .load()
                .migrate();
    }
}
