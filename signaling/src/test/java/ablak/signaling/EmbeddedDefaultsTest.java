package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class EmbeddedDefaultsTest {

  private AblakServer node;
  private Api api;

  @BeforeEach
  void connect(Vertx vertx) {
    node = TestNodes.shared();
    api = new Api(vertx, node.baseUrl());
  }

  @Test
  void startsWithEmbeddedStoresAndIsReady() {
    HttpResponse<Buffer> ready = api.get("/health/ready", null);

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getJsonObject("checks"))
        .isEqualTo(new JsonObject().put("redis", "up").put("postgres", "up"));
    assertThat(api.get("/health/live", null).statusCode()).isEqualTo(200);
  }

  @Test
  void servesOnPlainHttpOnlyBecauseItListensOnLoopback() {
    assertThat(node.baseUrl()).startsWith("http://127.0.0.1:");
    assertThat(node.tlsFingerprint()).isNull();
  }

  @Test
  void metricsIncludeHttpWebSocketJvmAndAblakMeters(Vertx vertx) {
    try (WsClient client = WsClient.connect(vertx, node.baseUrl(), null)) {
      client.request("ping");
      String metrics = api.get("/metrics", null).bodyAsString();

      assertThat(metrics)
          .contains("vertx_http_server_requests_total")
          .contains("vertx_http_server_active_ws_connections")
          .contains("jvm_memory_used_bytes")
          .contains("jvm_gc_")
          .contains("ablak_signaling_connections")
          .contains("ablak_signaling_message_duration_seconds_count{outcome=\"ok\",type=\"ping\"}");
    }
  }

  @Test
  void everyWebAppTheBannerPrintsIsServedWithAStrictContentSecurityPolicy() {
    for (String path : new String[] {"/", "/citizen/", "/clerk/", "/wallboard/"}) {
      HttpResponse<Buffer> page = api.get(path, null);

      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.bodyAsString()).containsAnyOf("<h1", "<script type=\"module\"");
      assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'none'").contains("script-src 'self'")
          .doesNotContain("unsafe-inline");
      assertThat(page.getHeader("X-Request-Id")).isNotBlank();
      assertThat(page.getHeader("Strict-Transport-Security")).as("no HSTS on plain http").isNull();
    }
  }

  @Test
  void unknownPathsGetATypedNotFound() {
    HttpResponse<Buffer> response = api.get("/api/no-such-thing", null);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("not_found");
  }

  @Test
  void seedsDemoAccountsOnceAndARestartOnTheSameDataKeepsThem(Vertx vertx) {
    Path dataDir = TestNodes.tempDataDir();
    String adminPassword;
    try (AblakServer first = AblakServer.start(TestNodes.embeddedSettings(dataDir, Map.of()))) {
      assertThat(first.demoCredentials()).extracting(c -> c.username()).containsExactly("clerk", "clerk2", "interpreter", "supervisor", "admin");
      adminPassword = first.demoCredentials().get(4).password();
    }

    try (AblakServer second = AblakServer.start(TestNodes.embeddedSettings(dataDir, Map.of()))) {
      assertThat(second.demoCredentials()).as("nothing new to print").isEmpty();
      assertThat(new Api(vertx, second.baseUrl()).login("admin", adminPassword)).startsWith("ablak_session=");
    } finally {
      TestNodes.delete(dataDir);
    }
  }
}
