package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.PasswordHasher;
import ablak.signaling.auth.Role;
import ablak.signaling.auth.StaffAccount;
import ablak.signaling.auth.StaffAccounts;
import ablak.signaling.queue.ClerkRoster;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wallboard's clerk names: read from PostgreSQL when accounts change, not at every push. */
class ClerkRosterTest {

  private static final String PASSWORD = "a long enough password";

  private final Vertx vertx = Vertx.vertx();
  private MachineStores stores;
  private Pool pool;
  private StaffAccounts accounts;

  @BeforeEach
  void start() {
    stores = new MachineStores();
    AccountsMigrations.migrate("jdbc:postgresql://127.0.0.1:5432/" + stores.database, "postgres", "");
    pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(5432)
        .setDatabase(stores.database).setUser("postgres")).using(vertx).build();
    accounts = new StaffAccounts(vertx, pool, new PasswordHasher());
  }

  @AfterEach
  void stop() throws SQLException {
    Await.result(pool.close());
    Await.result(vertx.close());
    stores.close();
  }

  @Test
  void namesComeFromMemoryUntilAnAccountIsCreatedOnThisNode() throws SQLException {
    StaffAccount eva = Await.result(accounts.create("eva", "Kovács Éva", Role.CLERK, null, PASSWORD));
    Await.result(accounts.create("sara", "Nagy Sára", Role.SUPERVISOR, null, PASSWORD));
    // Hours: only the creation below may reload it within this test.
    try (ClerkRoster roster = new ClerkRoster(vertx, accounts, Duration.ofHours(1))) {
      assertThat(Await.result(roster.names())).containsExactly(java.util.Map.entry(eva.id(), "Kovács Éva"));

      rename(eva.id(), "Kovács Éva Mária");
      assertThat(Await.result(roster.names())).as("a push does not read the accounts")
          .containsEntry(eva.id(), "Kovács Éva");

      StaffAccount ferenc = Await.result(accounts.create("ferenc", "Tóth Ferenc", Role.CLERK, null, PASSWORD));
      Await.until(() -> Await.result(roster.names()).containsKey(ferenc.id()), "the new clerk is on the roster");
      assertThat(Await.result(roster.names())).containsEntry(eva.id(), "Kovács Éva Mária")
          .containsEntry(ferenc.id(), "Tóth Ferenc").hasSize(2);
    }
  }

  @Test
  void accountsCreatedElsewhereAppearAtTheNextRefresh() throws SQLException {
    try (ClerkRoster roster = new ClerkRoster(vertx, accounts, Duration.ofMillis(100))) {
      assertThat(Await.result(roster.names())).isEmpty();
      StaffAccounts otherNode = new StaffAccounts(vertx, pool, new PasswordHasher());

      StaffAccount anna = Await.result(otherNode.create("anna", "Szabó Anna", Role.CLERK, null, PASSWORD));

      Await.until(() -> Await.result(roster.names()).containsKey(anna.id()), "the other node's clerk is on the roster");
    }
  }

  private void rename(String id, String name) throws SQLException {
    try (Connection db = stores.jdbc();
        var update = db.prepareStatement("UPDATE accounts.staff SET display_name = ? WHERE id = ?::uuid")) {
      update.setString(1, name);
      update.setString(2, id);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }
}
