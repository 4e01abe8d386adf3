package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.DemoAccounts;
import ablak.signaling.auth.Role;
import ablak.signaling.protocol.MessageRegistry;
import ablak.signaling.protocol.MessageType;
import ablak.signaling.protocol.Outbound;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ControlProtocolTest {

  /** State a test capability changes, so that tests can show a refused message changed nothing. */
  static final AtomicInteger COUNTER = new AtomicInteger();

  record Add(@JsonProperty(required = true) Integer amount) {}

  record Note(@JsonProperty(required = true) String toUser, @JsonProperty(required = true) String text) {}

  static class TestFailure extends RuntimeException {}

  private AblakServer node;
  private Api api;
  private Vertx vertx;

  /** A capability as another module would write it, registered on the running node. */
  @BeforeAll
  static void registerTestCapability() {
    AblakServer node = TestNodes.shared();
    MessageRegistry messages = node.messages();
    if (messages.contains("test.add")) {
      return;
    }
    messages.register(MessageType.of("test.add", Set.of(Role.CLERK), Add.class,
        (context, add) -> Future.succeededFuture(Outbound.of("test.added", new JsonObject().put("total", COUNTER.addAndGet(add.amount()))))));
    messages.register(MessageType.of("test.note", Set.of(Role.CLERK), Note.class,
        (context, note) -> Future.succeededFuture(Outbound.of("test.noted",
            new JsonObject().put("reached", node.connections().toUser(note.toUser(), Outbound.of("test.note", new JsonObject().put("text", note.text()))))))));
    messages.register(MessageType.of("test.fail", Set.of(Role.CLERK), JsonObject.class,
        (context, raw) -> raw.getBoolean("mapped", false) ? Future.failedFuture(new TestFailure()) : Future.failedFuture(new IllegalStateException("boom"))));
    messages.mapError(TestFailure.class, e -> new ClientError("test_failed", 409, "the test capability refused"));
  }

  @BeforeEach
  void connect(Vertx vertx) {
    this.vertx = vertx;
    node = TestNodes.shared();
    api = new Api(vertx, node.baseUrl());
  }

  private WsClient citizen() {
    WsClient client = WsClient.connect(vertx, node.baseUrl(), null);
    assertThat(client.request("hello", new JsonObject().put("token", api.visitToken())).getString("type")).isEqualTo("welcome");
    return client;
  }

  private WsClient clerk() {
    String password = node.demoCredentials().stream().filter(c -> c.username().equals("clerk"))
        .map(DemoAccounts.Credential::password).findFirst().orElseThrow();
    WsClient client = WsClient.connect(vertx, node.baseUrl(), api.login("clerk", password));
    assertThat(client.request("hello").getString("type")).isEqualTo("welcome");
    return client;
  }

  private static void assertError(JsonObject reply, String code) {
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("error");
    assertThat(reply.getString("code")).as(reply.encode()).isEqualTo(code);
    assertThat(reply.getString("message")).isNotBlank();
  }

  @Test
  void aCitizenSaysHelloWithItsVisitTokenAndIsWelcomed() {
    try (WsClient client = WsClient.connect(vertx, node.baseUrl(), null)) {
      JsonObject welcome = client.request("hello", new JsonObject().put("token", api.visitToken()));

      assertThat(welcome.getString("ref")).isEqualTo("r1");
      assertThat(welcome.getJsonObject("user").getString("role")).isEqualTo("citizen");
      assertThat(welcome.getString("connectionId")).isNotBlank();
      assertThat(welcome.getString("resumeToken")).hasSizeGreaterThan(40);
      assertThat(welcome.getInteger("maxMessageBytes")).isEqualTo(65536);
      assertThat(welcome.getInteger("heartbeatSeconds")).isEqualTo(20);
    }
  }

  @Test
  void staffAreKnownByTheirSessionCookie() {
    try (WsClient client = clerk()) {
      assertThat(client.request("test.add", new JsonObject().put("amount", 0)).getString("type")).isEqualTo("test.added");
    }
  }

  @Test
  void aWebSocketFromAForeignOriginIsRefused() {
    java.net.URI uri = java.net.URI.create(node.baseUrl());
    Future<io.vertx.core.http.WebSocket> connecting = vertx.createWebSocketClient().connect(new io.vertx.core.http.WebSocketConnectOptions()
        .setHost(uri.getHost()).setPort(uri.getPort()).setURI("/ws").addHeader("Origin", "https://attacker.example"));

    Throwable failure = connecting.toCompletionStage().toCompletableFuture().handle((socket, error) -> error).join();

    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("403");
  }

  @Test
  void helloWithoutAnyCredentialIsUnauthenticated() {
    try (WsClient client = WsClient.connect(vertx, node.baseUrl(), null)) {
      assertError(client.request("hello"), "unauthenticated");
    }
  }

  @Test
  void pingIsAnsweredWithPongEvenBeforeHello() {
    try (WsClient client = WsClient.connect(vertx, node.baseUrl(), null)) {
      JsonObject pong = client.request("ping");

      assertThat(pong.getString("type")).isEqualTo("pong");
      assertThat(pong.getLong("time")).isPositive();
    }
  }

  @Test
  void malformedJsonGetsATypedErrorAndTheConnectionStaysUsable() {
    try (WsClient client = citizen()) {
      client.sendText("{\"type\": \"ping\", ");
      assertError(client.next(), "malformed_json");
      client.sendText("[1, 2, 3]");
      assertError(client.next(), "malformed_json");

      assertThat(client.request("ping").getString("type")).isEqualTo("pong");
    }
  }

  @Test
  void aMessageWithoutAnIdIsInvalid() {
    try (WsClient client = citizen()) {
      client.sendText("{\"type\":\"ping\"}");
      assertError(client.next(), "invalid_message");
    }
  }

  @Test
  void anUnknownTypeIsAnsweredWithUnknownTypeAndTheRef() {
    try (WsClient client = citizen()) {
      JsonObject reply = client.request("queue.teleport");

      assertError(reply, "unknown_type");
      assertThat(reply.getString("ref")).isEqualTo("r2");
    }
  }

  @Test
  void anythingButHelloResumeOrPingBeforeHelloIsUnauthenticatedAndChangesNothing() {
    int before = COUNTER.get();
    try (WsClient client = WsClient.connect(vertx, node.baseUrl(), null)) {
      assertError(client.request("test.add", new JsonObject().put("amount", 5)), "unauthenticated");
    }
    assertThat(COUNTER.get()).isEqualTo(before);
  }

  @Test
  void aRoleThatMayNotSendATypeIsForbiddenAndChangesNothing() {
    int before = COUNTER.get();
    try (WsClient client = citizen()) {
      assertError(client.request("test.add", new JsonObject().put("amount", 5)), "forbidden");
    }
    assertThat(COUNTER.get()).isEqualTo(before);
  }

  @Test
  void missingOrMistypedFieldsAreInvalidAndChangeNothing() {
    int before = COUNTER.get();
    try (WsClient clerk = clerk(); WsClient citizen = WsClient.connect(vertx, node.baseUrl(), null)) {
      JsonObject missing = clerk.request("test.add");
      JsonObject mistyped = clerk.request("test.add", new JsonObject().put("amount", "five"));
      JsonObject resumeWithoutToken = citizen.request("resume");

      assertError(missing, "invalid_message");
      assertThat(missing.getString("message")).contains("amount");
      assertError(mistyped, "invalid_message");
      assertError(resumeWithoutToken, "invalid_message");
      assertThat(resumeWithoutToken.getString("message")).contains("token");
    }
    assertThat(COUNTER.get()).isEqualTo(before);
  }

  @Test
  void aForgedVisitTokenIsRejectedAndLeavesTheConnectionUnauthenticated() {
    String token = api.visitToken();
    String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    try (WsClient client = WsClient.connect(vertx, node.baseUrl(), null)) {
      assertError(client.request("hello", new JsonObject().put("token", forged)), "token_invalid");
      assertError(client.request("hello", new JsonObject().put("token", "not-a-token")), "token_invalid");
      assertError(client.request("test.add", new JsonObject().put("amount", 1)), "unauthenticated");
      assertThat(client.request("hello", new JsonObject().put("token", token)).getString("type"))
          .as("a failed hello leaves the connection free to try again").isEqualTo("welcome");
    }
  }

  @Test
  void aSecondHelloOnTheSameConnectionIsRefused() {
    try (WsClient client = citizen()) {
      assertError(client.request("hello", new JsonObject().put("token", api.visitToken())), "invalid_state");
    }
  }

  @Test
  void twoHellosSentTogetherAuthenticateTheConnectionOnce() {
    String token = api.visitToken();
    try (WsClient client = WsClient.connect(vertx, node.baseUrl(), null)) {
      client.sendText(new JsonObject().put("type", "hello").put("id", "h1").put("token", token).encode());
      client.sendText(new JsonObject().put("type", "hello").put("id", "h2").put("token", token).encode());

      List<String> types = List.of(client.replyTo("h1").getString("type"), client.replyTo("h2").getString("type"));
      assertThat(types).containsExactlyInAnyOrder("welcome", "error");
    }
  }

  @Test
  void aMessageOverTheSizeLimitGetsFrameTooLargeAndTheConnectionStaysUsable() {
    try (WsClient client = citizen()) {
      client.sendText(new JsonObject().put("type", "ping").put("id", "big").put("padding", "x".repeat(65536)).encode());
      JsonObject reply = client.next();

      assertError(reply, "frame_too_large");
      assertThat(reply.getString("message")).contains("65536");
      assertThat(client.request("ping").getString("type")).isEqualTo("pong");
    }
  }

  @Test
  void aMessageFarBeyondTheLimitClosesTheSocket() {
    try (WsClient client = citizen()) {
      client.trySend("x".repeat(4 * 65536 + 1));

      // Netty sends 1009 and drops the connection; the client may see only the drop (1006).
      assertThat(client.awaitClose()).isIn((short) 1009, (short) 1006);
    }
  }

  @Test
  void binaryFramesAreRefused() {
    try (WsClient client = citizen()) {
      client.sendBinary(new byte[] {1, 2, 3});
      assertError(client.next(), "unsupported_frame");
    }
  }

  @Test
  void failuresOfAHandlerAreMappedToTypedErrors() {
    try (WsClient client = clerk()) {
      assertError(client.request("test.fail", new JsonObject().put("mapped", true)), "test_failed");
      assertError(client.request("test.fail", new JsonObject().put("mapped", false)), "internal");
    }
  }

  @Test
  void everyRefusalIsCountedByCode() {
    double malformed = api.metric("ablak_signaling_protocol_errors_total", "code=\"malformed_json\"");
    double unknown = api.metric("ablak_signaling_protocol_errors_total", "code=\"unknown_type\"");
    double forbidden = api.metric("ablak_signaling_protocol_errors_total", "code=\"forbidden\"");
    try (WsClient client = citizen()) {
      client.sendText("nonsense");
      client.next();
      client.request("no.such.type");
      client.request("test.add", new JsonObject().put("amount", 1));
    }
    assertThat(api.metric("ablak_signaling_protocol_errors_total", "code=\"malformed_json\"")).isEqualTo(malformed + 1);
    assertThat(api.metric("ablak_signaling_protocol_errors_total", "code=\"unknown_type\"")).isEqualTo(unknown + 1);
    assertThat(api.metric("ablak_signaling_protocol_errors_total", "code=\"forbidden\"")).isEqualTo(forbidden + 1);
  }

  @Test
  void aFloodingClientIsRateLimitedWhileOthersAreServed() {
    try (WsClient flooder = citizen(); WsClient neighbour = citizen()) {
      for (int i = 0; i < 100; i++) {
        flooder.sendText("{\"type\":\"ping\",\"id\":\"f" + i + "\"}");
      }
      List<JsonObject> replies = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        replies.add(flooder.next());
      }

      long limited = replies.stream().filter(r -> "rate_limited".equals(r.getString("code"))).count();
      long served = replies.stream().filter(r -> "pong".equals(r.getString("type"))).count();
      assertThat(limited).isPositive();
      assertThat(served).isGreaterThanOrEqualTo(40).isEqualTo(100 - limited);
      assertThat(neighbour.request("ping").getString("type")).isEqualTo("pong");
    }
  }

  @Test
  void aClientThatKeepsFloodingIsDisconnected() {
    try (WsClient flooder = citizen()) {
      for (int i = 0; i < 400 && flooder.trySend("{\"type\":\"ping\",\"id\":\"f" + i + "\"}"); i++) {
        // keep flooding until the server hangs up
      }

      assertThat(flooder.awaitClose()).isEqualTo((short) 1008);
    }
  }

  @Test
  void serverCodePushesToAConnectedUser() {
    try (WsClient clerk = clerk(); WsClient citizen = WsClient.connect(vertx, node.baseUrl(), null)) {
      JsonObject welcome = citizen.request("hello", new JsonObject().put("token", api.visitToken()));
      String citizenId = welcome.getJsonObject("user").getString("id");

      JsonObject noted = clerk.request("test.note", new JsonObject().put("toUser", citizenId).put("text", "your turn"));
      JsonObject push = citizen.next();

      assertThat(noted.getInteger("reached")).isEqualTo(1);
      assertThat(push.getString("type")).isEqualTo("test.note");
      assertThat(push.getString("text")).isEqualTo("your turn");
      assertThat(push.containsKey("ref")).isFalse();
    }
  }

  @Test
  void aCitizenResumesAfterReconnectingAndTheTokenWorksOnlyOnce() {
    String token = api.visitToken();
    JsonObject welcome;
    try (WsClient first = WsClient.connect(vertx, node.baseUrl(), null)) {
      welcome = first.request("hello", new JsonObject().put("token", token));
    }
    String resumeToken = welcome.getString("resumeToken");

    try (WsClient second = WsClient.connect(vertx, node.baseUrl(), null);
        WsClient third = WsClient.connect(vertx, node.baseUrl(), null)) {
      JsonObject resumed = second.request("resume", new JsonObject().put("token", resumeToken));
      JsonObject again = third.request("resume", new JsonObject().put("token", resumeToken));

      assertThat(resumed.getString("type")).isEqualTo("resumed");
      assertThat(resumed.getJsonObject("user").getString("id")).isEqualTo(welcome.getJsonObject("user").getString("id"));
      assertThat(resumed.getString("previousConnectionId")).isEqualTo(welcome.getString("connectionId"));
      assertThat(resumed.getString("resumeToken")).isNotEqualTo(resumeToken);
      assertError(again, "resume_failed");
    }
  }

  @Test
  void listenersHearWhenAUserConnectsResumesAndDisconnects() {
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    String token = api.visitToken();
    node.connections().addListener(new ablak.signaling.protocol.ConnectionListener() {
      @Override
      public void connected(ablak.signaling.protocol.Connection connection, boolean resumed) {
        events.add((resumed ? "resumed " : "connected ") + connection.principal().userId());
      }

      @Override
      public void disconnected(ablak.signaling.protocol.Connection connection) {
        events.add("disconnected " + connection.principal().userId());
      }
    });
    String user;
    String resumeToken;
    try (WsClient first = WsClient.connect(vertx, node.baseUrl(), null)) {
      JsonObject welcome = first.request("hello", new JsonObject().put("token", token));
      user = welcome.getJsonObject("user").getString("id");
      resumeToken = welcome.getString("resumeToken");
    }
    Await.until(() -> events.contains("disconnected " + user), "the first connection is gone");
    try (WsClient second = WsClient.connect(vertx, node.baseUrl(), null)) {
      second.request("resume", new JsonObject().put("token", resumeToken));
    }

    Await.until(() -> events.stream().filter(e -> e.endsWith(user)).count() == 4, "four events for the user");
    assertThat(events.stream().filter(e -> e.endsWith(user)).toList())
        .containsExactly("connected " + user, "disconnected " + user, "resumed " + user, "disconnected " + user);
  }

  @Test
  void anUnknownResumeTokenFails() {
    try (WsClient client = WsClient.connect(vertx, node.baseUrl(), null)) {
      assertError(client.request("resume", new JsonObject().put("token", "made-up")), "resume_failed");
    }
  }
}
