package ablak.cases;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** Creates and upgrades the {@code cases} schema; the server runs it once at start, before {@link Cases#start}. */
public final class CasesMigrations {

    private CasesMigrations() {
    }

    public static void migrate(String jdbcUrl, String user, String password) {
        configure(jdbcUrl, user, password).load().migrate();
    }

    static FluentConfiguration configure(String jdbcUrl, String user, String password) {
        return Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .schemas("cases")
                .locations("classpath:db/cases")
                .table("flyway_history");
    }
}
