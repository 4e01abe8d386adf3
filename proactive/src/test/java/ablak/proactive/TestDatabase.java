package ablak.proactive;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A fresh database on the machine's PostgreSQL (127.0.0.1:5432, shared with other test runs),
 * migrated, and dropped by {@link #close()}.
 */
public final class TestDatabase implements AutoCloseable {

  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres";

  public final String name = "t_proactive_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  public TestDatabase() {
    try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "")) {
      connection.createStatement().execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("the machine's PostgreSQL on 127.0.0.1:5432 is needed", e);
    }
    ProactiveMigrations.migrate(jdbcUrl(), "postgres", "");
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:5432/" + name;
  }

  public Pool pool(Vertx vertx, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size))
        .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(5432).setDatabase(name).setUser("postgres"))
        .using(vertx)
        .build();
  }

  /** Empties every table between tests of one class. */
  public void clear() {
    update("TRUNCATE proactive.document, proactive.subscription, proactive.delivery, proactive.appointment, "
        + "proactive.slot, proactive.clerk_shift, proactive.callback");
  }

  public void update(String sql) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", "")) {
      connection.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of the first row, as text. */
  public String value(String sql) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", "");
         ResultSet rows = connection.createStatement().executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public long count(String where) {
    return Long.parseLong(value("SELECT count(*) FROM proactive.delivery WHERE " + where));
  }

  @Override
  public void close() {
    try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "")) {
      connection.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
