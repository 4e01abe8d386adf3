package ablak.queue.log;

import static ablak.queue.routing.Fixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import ablak.queue.QueueMigrations;
import ablak.queue.routing.ClerkStatus;
import ablak.queue.routing.ContactRequest;
import ablak.queue.routing.Fixture;
import ablak.queue.routing.RoutingEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event stream reaches PostgreSQL exactly once per entry, even across consumer restarts. */
class QueueLogConsumerTest {
  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  private final String database = "t_" + UUID.randomUUID().toString().replace("-", "");
  private String url;

  @BeforeEach
  void createDatabase() throws Exception {
    try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "")) {
      admin.createStatement().execute("CREATE DATABASE " + database);
    }
    url = SERVER + database;
    QueueMigrations.migrate(url, "postgres", "");
  }

  @AfterEach
  void dropDatabase() throws Exception {
    try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "")) {
      admin.createStatement().execute("DROP DATABASE " + database + " WITH (FORCE)");
    }
  }

  @Test
  void everyRoutingEventIsCopiedOnceIntoTheQueueLogTable() throws Exception {
    try (Fixture fx = new Fixture()) {
      RoutingEngine engine = fx.engine("node-a");
      QueueLogConsumer first = new QueueLogConsumer(fx.client, fx.settings, "node-a", url, "postgres", "");
      await(engine.registerClerk(Fixture.clerk("anna", Map.of("general", 1))));
      await(engine.setStatus("anna", ClerkStatus.READY, null));
      var offer = await(engine.enqueue(ContactRequest.of("c1", "general", "hu"))).offer();
      await(engine.accept("anna", "c1", offer.seq()));
      first.close();
      QueueLogConsumer second = new QueueLogConsumer(fx.client, fx.settings, "node-b", url, "postgres", "");
      await(engine.complete("anna", "c1"));
      int expected = fx.events().size();

      long deadline = System.nanoTime() + 20_000_000_000L;
      while (rows("SELECT count(*) FROM queue.queue_log").get(0) < expected && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      second.close();
      engine.close();

      assertThat(rows("SELECT count(*) FROM queue.queue_log")).containsExactly((long) expected);
      assertThat(events()).containsSubsequence("ENTERQUEUE", "OFFER", "CONNECT", "COMPLETE");
    }
  }

  private List<Long> rows(String sql) throws Exception {
    try (Connection db = DriverManager.getConnection(url, "postgres", ""); ResultSet rs = db.createStatement().executeQuery(sql)) {
      List<Long> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
      return out;
    }
  }

  private List<String> events() throws Exception {
    try (Connection db = DriverManager.getConnection(url, "postgres", "");
        ResultSet rs = db.createStatement().executeQuery("SELECT event FROM queue.queue_log ORDER BY at, stream_id")) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }
}
