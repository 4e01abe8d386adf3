package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.DemoAccounts;
import ablak.signaling.auth.VisitTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes on the machine's own Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432), as in a
 * deployment behind a load balancer. Isolated from other users of those servers by a fresh
 * database and a unique Redis key prefix, both removed afterwards.
 */
@ExtendWith(VertxExtension.class)
class SharedStoresTest {

  private static MachineStores stores;
  private static Map<String, String> environment;

  private static Path dataDir;
  private static AblakServer nodeA;
  private static AblakServer nodeB;

  private Vertx vertx;
  private Api apiA;
  private Api apiB;

  @BeforeAll
  static void startTwoNodes() {
    stores = new MachineStores();
    environment = stores.environment(Map.of());
    dataDir = TestNodes.tempDataDir();
    nodeA = AblakServer.start(TestNodes.embeddedSettings(dataDir, environment));
    nodeB = AblakServer.start(TestNodes.embeddedSettings(dataDir, environment));
  }

  @AfterAll
  static void stopAndCleanUp() throws SQLException {
    nodeA.close();
    nodeB.close();
    stores.close();
  }

  @BeforeEach
  void clients(Vertx vertx) {
    this.vertx = vertx;
    apiA = new Api(vertx, nodeA.baseUrl());
    apiB = new Api(vertx, nodeB.baseUrl());
  }

  private static String password(String username) {
    return nodeA.demoCredentials().stream().filter(c -> c.username().equals(username)).map(DemoAccounts.Credential::password)
        .findFirst().orElseThrow();
  }

  @Test
  void bothNodesUseTheGivenServersAndStartNoEmbeddedOnes() throws Exception {
    assertThat(apiA.get("/health/ready", null).statusCode()).isEqualTo(200);
    assertThat(apiB.get("/health/ready", null).statusCode()).isEqualTo(200);
    assertThat(Files.exists(dataDir.resolve("postgres"))).isFalse();
    assertThat(Files.exists(dataDir.resolve("redis"))).isFalse();
    try (Connection connection = stores.jdbc();
        ResultSet rows = connection.createStatement().executeQuery("SELECT count(*) FROM accounts.staff")) {
      rows.next();
      assertThat(rows.getInt(1)).as("demo accounts seeded once, by the first node").isEqualTo(5);
    }
    assertThat(nodeB.demoCredentials()).isEmpty();
  }

  @Test
  void aSessionStartedOnOneNodeIsValidOnTheOther() {
    String cookie = apiA.login("supervisor", password("supervisor"));

    assertThat(apiB.get("/api/auth/me", cookie).bodyAsJsonObject().getString("role")).isEqualTo("supervisor");
  }

  @Test
  void aCitizenWhoLostTheConnectionResumesOnTheOtherNode() {
    JsonObject welcome;
    try (WsClient onA = WsClient.connect(vertx, nodeA.baseUrl(), null)) {
      welcome = onA.request("hello", new JsonObject().put("token", apiA.visitToken()));
    }

    try (WsClient onB = WsClient.connect(vertx, nodeB.baseUrl(), null)) {
      JsonObject resumed = onB.request("resume", new JsonObject().put("token", welcome.getString("resumeToken")));

      assertThat(resumed.getString("type")).isEqualTo("resumed");
      assertThat(resumed.getJsonObject("user")).isEqualTo(welcome.getJsonObject("user"));
      assertThat(onB.request("ping").getString("type")).isEqualTo("pong");
    }
  }

  @Test
  void aClerkCannotResumeAfterSigningOut() {
    String cookie = apiA.login("clerk", password("clerk"));
    JsonObject welcome;
    try (WsClient onA = WsClient.connect(vertx, nodeA.baseUrl(), cookie)) {
      welcome = onA.request("hello");
    }
    apiA.post("/api/auth/logout", cookie, null);

    try (WsClient onB = WsClient.connect(vertx, nodeB.baseUrl(), null)) {
      JsonObject reply = onB.request("resume", new JsonObject().put("token", welcome.getString("resumeToken")));

      assertThat(reply.getString("code")).isEqualTo("resume_failed");
    }
  }

  @Test
  void anExpiredVisitTokenIsRefusedOnRestAndWebSocket() throws SQLException {
    byte[] signingKey;
    try (Connection connection = stores.jdbc();
        ResultSet rows = connection.createStatement().executeQuery("SELECT secret FROM accounts.signing_key")) {
      rows.next();
      signingKey = rows.getBytes(1);
    }
    Clock threeHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC);
    String expired = new VisitTokens(signingKey, threeHoursAgo, 3600).issue().token();

    try (WsClient client = WsClient.connect(vertx, nodeB.baseUrl(), null)) {
      assertThat(client.request("hello", new JsonObject().put("token", expired)).getString("code")).isEqualTo("token_expired");
    }
    assertThat(apiA.getAuthorized("/api/auth/me", "Bearer " + expired).bodyAsJsonObject().getString("code")).isEqualTo("token_expired");
  }

  @Test
  void aStoppingNodeSendsItsClientsAwayAndTheyResumeOnAnother() {
    AblakServer nodeC = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), environment));
    WsClient onC = WsClient.connect(vertx, nodeC.baseUrl(), null);
    JsonObject welcome = onC.request("hello", new JsonObject().put("token", apiA.visitToken()));

    nodeC.close();

    assertThat(onC.awaitClose()).isEqualTo((short) 1001);
    try (WsClient onA = WsClient.connect(vertx, nodeA.baseUrl(), null)) {
      JsonObject resumed = onA.request("resume", new JsonObject().put("token", welcome.getString("resumeToken")));
      assertThat(resumed.getJsonObject("user").getString("id")).isEqualTo(welcome.getJsonObject("user").getString("id"));
    }
  }
}
