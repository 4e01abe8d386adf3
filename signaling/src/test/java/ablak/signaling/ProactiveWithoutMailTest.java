package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A node with no SMTP relay configured (the default) books, but says plainly that no e-mail will come. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProactiveWithoutMailTest {

  private final AblakServer node = TestNodes.shared();
  private final Vertx vertx = Vertx.vertx();
  private final WebClient web = WebClient.create(vertx);
  private final Api api = new Api(vertx, node.baseUrl());

  @AfterAll
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void aBookingSaysNoConfirmationWillBeSent() {
    String supervisor = api.login("supervisor", password("supervisor"));
    String clerkId = api.get("/api/auth/me", api.login("clerk", password("clerk"))).bodyAsJsonObject().getString("id");
    // A day of its own, so other tests on the shared node are not disturbed.
    LocalDate day = LocalDate.now(ProactiveNode.ZONE).plusDays(40 + (UUID.randomUUID().hashCode() & 7));
    Instant start = day.atTime(8, 0).atZone(ProactiveNode.ZONE).toInstant();
    api.post("/api/appointments/shifts", supervisor, new JsonObject().put("clerkId", clerkId).put("caseType", "driving-licence-renewal")
        .put("language", "hu").put("startsAt", start.toString()).put("endsAt", start.plusSeconds(1200).toString()));
    String visit = "Bearer " + api.visitToken();
    JsonArray slots = Await.result(web.getAbs(node.baseUrl() + "/api/appointments/slots?caseType=driving-licence-renewal&lang=hu&from="
        + day + "&to=" + day).putHeader("Authorization", visit).send()).bodyAsJsonArray();

    HttpResponse<Buffer> booked = Await.result(web.requestAbs(HttpMethod.POST, node.baseUrl() + "/api/appointments")
        .putHeader("Authorization", visit).sendJsonObject(new JsonObject().put("slotId", slots.getJsonObject(0).getLong("id"))
            .put("caseType", "driving-licence-renewal").put("language", "hu").put("name", "Kiss Anna").put("email", "anna@example.hu")));

    assertThat(booked.statusCode()).as(booked.bodyAsString()).isEqualTo(201);
    assertThat(booked.bodyAsJsonObject().getString("confirmationEmail")).isEqualTo("disabled");
    assertThat(booked.bodyAsJsonObject().getString("manageUrl")).startsWith(node.baseUrl() + "/appointments/?appointment=");
  }

  private String password(String username) {
    return node.demoCredentials().stream().filter(c -> c.username().equals(username))
        .map(ablak.signaling.auth.DemoAccounts.Credential::password).findFirst().orElseThrow();
  }
}
