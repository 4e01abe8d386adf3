package ablak.signaling.protocol;

import ablak.signaling.ClientError;
import ablak.signaling.auth.Authenticator;
import ablak.signaling.config.ProtocolSettings;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint ({@code /ws}): upgrades the request, then for every message applies the
 * size limit and the connection's rate limit before the {@link MessageRegistry} sees it, and keeps
 * the connection alive with pings (RFC 6455 section 5.5.2) while refreshing its resume token.
 */
public final class ControlSocket implements Handler<RoutingContext> {

  /** RFC 6455 section 7.4.1 close codes, plus private-use 4000 (silent client), 4001 (no hello in time) and 4002 (session ended). */
  static final short CLOSE_GOING_AWAY = 1001;
  static final short CLOSE_POLICY_VIOLATION = 1008;
  static final short CLOSE_IDLE = 4000;
  static final short CLOSE_NO_HELLO = 4001;
  static final short CLOSE_SESSION_ENDED = 4002;

  private static final Logger LOG = LoggerFactory.getLogger(ControlSocket.class);

  private final Vertx vertx;
  private final MessageRegistry registry;
  private final Connections connections;
  private final ResumeTokens resumeTokens;
  private final ProtocolSettings settings;

  public ControlSocket(Vertx vertx, MessageRegistry registry, Connections connections, ResumeTokens resumeTokens, ProtocolSettings settings) {
    this.vertx = vertx;
    this.registry = registry;
    this.connections = connections;
    this.resumeTokens = resumeTokens;
    this.settings = settings;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!sameOrigin(request)) {
      // Browsers send Origin on every WebSocket upgrade (RFC 6455 section 10.2); a foreign one
      // would be another site riding on the user's cookie.
      ctx.fail(ClientError.forbidden("cross-origin WebSocket connections are not accepted"));
      return;
    }
    String sessionId = Authenticator.sessionId(request);
    request.toWebSocket().onSuccess(socket -> attach(socket, sessionId)).onFailure(ctx::fail);
  }

  private void attach(ServerWebSocket socket, String sessionId) {
    long now = System.nanoTime();
    Connection connection = new Connection(UUID.randomUUID().toString(), socket, sessionId,
        new RateLimiter(settings.rateLimitPerSecond(), settings.rateLimitBurst(), now), now);
    connections.opened(connection);
    LOG.atInfo().addKeyValue("connectionId", connection.id()).log("websocket opened");

    long heartbeat = vertx.setPeriodic(TimeUnit.SECONDS.toMillis(settings.heartbeatSeconds()), timer -> heartbeat(connection, socket));
    socket.textMessageHandler(text -> onMessage(connection, text));
    socket.binaryMessageHandler(binary -> onBinary(connection, binary));
    socket.pongHandler(pong -> connection.heard(System.nanoTime()));
    socket.exceptionHandler(error -> LOG.atDebug().addKeyValue("connectionId", connection.id()).setCause(error).log("websocket error"));
    socket.closeHandler(closed -> {
      vertx.cancelTimer(heartbeat);
      connections.closed(connection);
      LOG.atInfo().addKeyValue("connectionId", connection.id())
          .addKeyValue("userId", connection.principal() == null ? null : connection.principal().userId())
          .addKeyValue("closeCode", socket.closeStatusCode())
          .log("websocket closed");
    });
  }

  private void onMessage(Connection connection, String text) {
    long now = System.nanoTime();
    connection.heard(now);
    if (!admit(connection, now)) {
      return;
    }
    if (text.length() > settings.maxMessageBytes() || text.getBytes(StandardCharsets.UTF_8).length > settings.maxMessageBytes()) {
      registry.reject(connection, null, new ClientError(ClientError.FRAME_TOO_LARGE, 413,
          "messages are limited to " + settings.maxMessageBytes() + " bytes"));
      return;
    }
    registry.dispatch(connection, text);
  }

  private void onBinary(Connection connection, Buffer binary) {
    long now = System.nanoTime();
    connection.heard(now);
    if (admit(connection, now)) {
      registry.reject(connection, null, new ClientError(ClientError.UNSUPPORTED_FRAME, 400, "send JSON in text messages, not binary"));
    }
  }

  /**
   * Rejected messages are answered cheaply, without parsing; a client that keeps sending far past
   * its limit is disconnected, so that it cannot take event-loop time from others.
   */
  private boolean admit(Connection connection, long now) {
    if (connection.admit(now)) {
      return true;
    }
    registry.reject(connection, null, new ClientError(ClientError.RATE_LIMITED, 429,
        "more than " + settings.rateLimitPerSecond() + " messages per second; slow down"));
    if (connection.recentRejections() > settings.rateLimitBurst() * 2) {
      LOG.atWarn().addKeyValue("connectionId", connection.id()).log("websocket closed for flooding");
      connection.close(CLOSE_POLICY_VIOLATION, "rate limit exceeded");
    }
    return false;
  }

  private void heartbeat(Connection connection, ServerWebSocket socket) {
    long now = System.nanoTime();
    long idleTimeout = TimeUnit.SECONDS.toNanos(settings.idleTimeoutSeconds());
    if (now - connection.lastHeardNanos() > idleTimeout) {
      connection.close(CLOSE_IDLE, "idle timeout");
      return;
    }
    // An unauthenticated socket costs memory and a timer; it gets one idle period to say hello.
    if (connection.principal() == null && now - connection.openedNanos() > idleTimeout) {
      connection.close(CLOSE_NO_HELLO, "hello expected");
      return;
    }
    if (!socket.isClosed()) {
      socket.writePing(Buffer.buffer("hb"));
    }
    if (connection.resumeHash() != null) {
      resumeTokens.refresh(connection.resumeHash())
          .onFailure(error -> LOG.atWarn().addKeyValue("connectionId", connection.id()).setCause(error).log("could not refresh resume token"));
    }
    // Signing out on any node deletes the session in Redis; every node notices within a heartbeat.
    if (connection.sessionHash() != null) {
      resumeTokens.sessionExists(connection.sessionHash()).onSuccess(exists -> {
        if (!exists) {
          connection.close(CLOSE_SESSION_ENDED, "session ended");
        }
      });
    }
  }

  private static boolean sameOrigin(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return true;
    }
    String host = request.getHeader("Host");
    try {
      java.net.URI uri = java.net.URI.create(origin);
      String originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return host != null && (host.equalsIgnoreCase(originHost) || host.equalsIgnoreCase(uri.getHost() + defaultPort(uri)));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String defaultPort(java.net.URI uri) {
    return "https".equals(uri.getScheme()) ? ":443" : ":80";
  }
}
