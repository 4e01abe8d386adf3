package ablak.signaling.protocol;

import ablak.signaling.ClientError;
import ablak.signaling.auth.Authenticator;
import ablak.signaling.auth.Principal;
import ablak.signaling.auth.Tokens;
import ablak.signaling.config.ProtocolSettings;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * The foundation's own message types: {@code hello} (authenticate the connection), {@code resume}
 * (take over a lost connection's identity with its resume token, on any node) and {@code ping}.
 */
public final class SessionMessages implements MessageGroup {

  private final Authenticator authenticator;
  private final ResumeTokens resumeTokens;
  private final Connections connections;
  private final ProtocolSettings settings;
  private final Clock clock;

  public SessionMessages(Authenticator authenticator, ResumeTokens resumeTokens, Connections connections, ProtocolSettings settings, Clock clock) {
    this.authenticator = authenticator;
    this.resumeTokens = resumeTokens;
    this.connections = connections;
    this.settings = settings;
    this.clock = clock;
  }

  /** A citizen sends its visit token; staff send nothing and are known by their session cookie. */
  record Hello(String token) {}

  record Resume(@JsonProperty(required = true) String token) {}

  record Ping() {}

  @Override
  public void register(MessageRegistry registry) {
    registry.register(MessageType.beforeHello("hello", Hello.class, this::hello));
    registry.register(MessageType.beforeHello("resume", Resume.class, this::resume));
    registry.register(MessageType.beforeHello("ping", Ping.class,
        (context, ping) -> Future.succeededFuture(Outbound.of("pong", new JsonObject().put("time", clock.millis())))));
  }

  private Future<Outbound> hello(MessageContext context, Hello hello) {
    Connection connection = context.connection();
    if (!connection.greet()) {
      return Future.failedFuture(alreadyGreeted());
    }
    return authenticate(connection, hello).onFailure(error -> connection.greetingFailed());
  }

  private Future<Outbound> authenticate(Connection connection, Hello hello) {
    Future<Principal> principal;
    String sessionHash = null;
    if (hello.token() != null) {
      try {
        principal = Future.succeededFuture(authenticator.visitTokens().verify(hello.token()));
      } catch (ClientError e) {
        return Future.failedFuture(e);
      }
    } else if (connection.sessionId() != null) {
      sessionHash = Tokens.hash(connection.sessionId());
      principal = authenticator.sessions().find(connection.sessionId()).compose(found -> found != null
          ? Future.succeededFuture(found)
          : Future.failedFuture(ClientError.unauthenticated("the session has ended; sign in again")));
    } else {
      return Future.failedFuture(ClientError.unauthenticated("send a visit token, or sign in before connecting"));
    }
    String session = sessionHash;
    return principal.compose(user -> start(connection, user, session, false, null));
  }

  private Future<Outbound> resume(MessageContext context, Resume resume) {
    Connection connection = context.connection();
    if (!connection.greet()) {
      return Future.failedFuture(alreadyGreeted());
    }
    return resume(connection, resume).onFailure(error -> connection.greetingFailed());
  }

  private Future<Outbound> resume(Connection connection, Resume resume) {
    ClientError failed = new ClientError(ClientError.RESUME_FAILED, 401, "the resume token is unknown, used or expired; send hello");
    return resumeTokens.take(resume.token()).compose(resumable -> {
      if (resumable == null || resumable.principal().expired(clock.instant().getEpochSecond())) {
        return Future.failedFuture(failed);
      }
      Future<Boolean> stillValid = resumable.sessionHash() == null
          ? Future.succeededFuture(true)
          : resumeTokens.sessionExists(resumable.sessionHash());
      return stillValid.compose(valid -> valid
          ? start(connection, resumable.principal(), resumable.sessionHash(), true, resumable.previousConnectionId())
          : Future.failedFuture(failed));
    });
  }

  private static ClientError alreadyGreeted() {
    return new ClientError(ClientError.INVALID_STATE, 409, "this connection has already said hello");
  }

  private Future<Outbound> start(Connection connection, Principal principal, String sessionHash, boolean resumed, String previousConnectionId) {
    return resumeTokens.open(new ResumeTokens.Resumable(principal, sessionHash, connection.id())).map(opened -> {
      connection.authenticate(principal, opened.hash(), sessionHash);
      connections.authenticated(connection, resumed);
      JsonObject body = new JsonObject()
          .put("connectionId", connection.id())
          .put("user", new JsonObject()
              .put("id", principal.userId())
              .put("name", principal.name())
              .put("role", principal.role().wireName())
              .put("expiresAt", principal.credentialExpiresAt()))
          .put("resumeToken", opened.token())
          .put("resumeTtlSeconds", settings.resumeTtlSeconds())
          .put("heartbeatSeconds", settings.heartbeatSeconds())
          .put("maxMessageBytes", settings.maxMessageBytes());
      if (resumed) {
        body.put("previousConnectionId", previousConnectionId);
      }
      return Outbound.of(resumed ? "resumed" : "welcome", body);
    });
  }
}
