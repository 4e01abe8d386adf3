package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stalled cases pool, made on purpose: its one connection waits for a row lock that another
 * connection holds, and the one place in its wait queue is taken. A citizen's draft and join are
 * then refused at once with {@code busy}, change nothing, and go through once the pool is free again.
 */
@ExtendWith(VertxExtension.class)
class BusyCasesPoolTest {

  private static final JsonObject NEW_DRAFT =
      new JsonObject().put("caseType", "address-registration").put("language", "en").put("answers", new JsonObject());

  @Test
  void whileTheCasesPoolIsHeldADraftAndAJoinAreRefusedAsBusyAndSucceedOnceItIsFree(Vertx vertx) throws Exception {
    try (MachineStores stores = new MachineStores();
        AblakServer node = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), stores.environment(Map.of(
            "ABLAK_AUTH_SEED_DEMO_ACCOUNTS", "false",
            "ABLAK_CASES_POOL_SIZE", "1",
            "ABLAK_CASES_POOL_WAIT_QUEUE_SIZE", "1",
            // Nothing of the node's own takes the pool's connection during the test.
            "ABLAK_CASES_RELAY_ENABLED", "false",
            "ABLAK_CASES_AUDIT_CHAIN_INTERVAL", "PT1H"))));
        Connection locker = stores.jdbc()) {
      Api api = new Api(vertx, node.baseUrl());
      String visit = api.visitToken();
      JsonObject held = api.addressRegistrationDraft(visit);
      String joiningVisit = api.visitToken();
      JsonObject joining = api.addressRegistrationDraft(joiningVisit);
      WsClient citizen = WsClient.connect(vertx, node.baseUrl(), null);
      citizen.request("hello", new JsonObject().put("token", joiningVisit));
      Await.until(() -> count(stores, "select count(*) from cases.audit_unchained") == 0, "the node linked the drafts' audit events");

      locker.setAutoCommit(false);
      try (Statement lock = locker.createStatement()) {
        lock.execute("select 1 from cases.case_file where id = '" + held.getJsonObject("caseView").getString("id") + "' for update");
      }
      Future<HttpResponse<Buffer>> confirmation = WebClient.create(vertx)
          .postAbs(node.baseUrl() + "/api/cases/" + held.getJsonObject("caseView").getString("id") + "/confirmation")
          .putHeader("Authorization", "Bearer " + visit).putHeader("Case-Token", held.getString("citizenToken"))
          .sendJsonObject(new JsonObject().put("version", 1));
      Await.until(() -> count(stores, "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'") == 1,
          "the confirmation holds the pool's connection, waiting for the case's row lock");

      Future<HttpResponse<Buffer>> waiting = WebClient.create(vertx).postAbs(node.baseUrl() + "/api/cases")
          .putHeader("Authorization", "Bearer " + visit).sendJsonObject(NEW_DRAFT);
      Await.until(() -> api.metric("vertx_pool_queue_pending", "pool_name=\"cases\"") == 1, "a draft waits for the pool's connection");

      HttpResponse<Buffer> draftRefused = api.postAuthorized("/api/cases", "Bearer " + visit, NEW_DRAFT);
      JsonObject joinRefused = citizen.request("queue.join", Api.joinMessage(joining));

      assertThat(draftRefused.statusCode()).isEqualTo(503);
      assertThat(draftRefused.getHeader("Retry-After")).isEqualTo("5");
      assertThat(draftRefused.bodyAsJsonObject().getString("code")).isEqualTo("busy");
      assertThat(joinRefused.getString("type")).isEqualTo("error");
      assertThat(joinRefused.getString("code")).isEqualTo("busy");
      assertThat(joinRefused.getInteger("retryAfterSeconds")).isEqualTo(5);
      assertThat(confirmation.isComplete()).as("the held request still waits for the lock").isFalse();
      assertThat(waiting.isComplete()).as("the queued draft still waits for the connection").isFalse();
      assertThat(count(stores, "select count(*) from cases.case_file")).isEqualTo(2);

      locker.rollback();

      assertThat(Await.result(confirmation).statusCode()).as("the held request went on once the lock was free").isNotEqualTo(503);
      assertThat(Await.result(waiting).statusCode()).as("the queued draft was written").isEqualTo(201);
      assertThat(api.addressRegistrationDraft(visit).getJsonObject("caseView").getString("id")).isNotNull();
      assertThat(count(stores, "select count(*) from cases.case_file")).isEqualTo(4);
      assertThat(citizen.request("queue.join", Api.joinMessage(joining)).getString("type")).isEqualTo("queue.joined");
      citizen.close();
    }
  }

  private static long count(MachineStores stores, String query) {
    try (Connection db = stores.jdbc(); Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
