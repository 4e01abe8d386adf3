package ablak.signaling.protocol;

import ablak.signaling.auth.Principal;
import io.vertx.core.http.ServerWebSocket;

/**
 * One client's WebSocket on this node. Unauthenticated until {@code hello} or {@code resume}
 * succeeds; then it has a principal and a resume token (stored in Redis as a hash).
 */
public final class Connection {

  static final long FLOOD_WINDOW_NANOS = 10_000_000_000L;

  private final String id;
  private final ServerWebSocket socket;
  private final String sessionId;
  private final RateLimiter rateLimiter;
  private volatile Principal principal;
  private volatile String resumeHash;
  private volatile String sessionHash;
  private boolean greeted;
  private final long openedNanos;
  private long lastHeardNanos;
  private long rejectionWindowStartNanos;
  private int rejectionsInWindow;

  Connection(String id, ServerWebSocket socket, String sessionId, RateLimiter rateLimiter, long nowNanos) {
    this.id = id;
    this.socket = socket;
    this.sessionId = sessionId;
    this.rateLimiter = rateLimiter;
    this.openedNanos = nowNanos;
    this.lastHeardNanos = nowNanos;
  }

  public String id() {
    return id;
  }

  /** Null until the connection is authenticated. */
  public Principal principal() {
    return principal;
  }

  /** The staff session cookie sent with the upgrade request, if any. */
  String sessionId() {
    return sessionId;
  }

  String resumeHash() {
    return resumeHash;
  }

  /** @param sessionHash the staff session this connection depends on; null for citizens */
  void authenticate(Principal principal, String resumeHash, String sessionHash) {
    this.principal = principal;
    this.resumeHash = resumeHash;
    this.sessionHash = sessionHash;
  }

  /**
   * True the first time only: a second {@code hello} or {@code resume}, even one sent before the
   * first was answered, must not authenticate the connection twice. Event-loop only.
   */
  boolean greet() {
    if (greeted) {
      return false;
    }
    greeted = true;
    return true;
  }

  /** Lets the client try again after a failed {@code hello} or {@code resume}. */
  void greetingFailed() {
    greeted = false;
  }

  String sessionHash() {
    return sessionHash;
  }

  /** Sends a push; safe from any thread. */
  public void send(Outbound message) {
    write(message.encode(null));
  }

  void write(String text) {
    if (!socket.isClosed()) {
      socket.writeTextMessage(text);
    }
  }

  void close(short code, String reason) {
    if (!socket.isClosed()) {
      socket.close(code, reason);
    }
  }

  void heard(long nowNanos) {
    lastHeardNanos = nowNanos;
  }

  long openedNanos() {
    return openedNanos;
  }

  long lastHeardNanos() {
    return lastHeardNanos;
  }

  /** False when the message must be rejected; rejections are counted per window for flood detection. */
  boolean admit(long nowNanos) {
    if (rateLimiter.tryAcquire(nowNanos)) {
      return true;
    }
    if (nowNanos - rejectionWindowStartNanos > FLOOD_WINDOW_NANOS) {
      rejectionWindowStartNanos = nowNanos;
      rejectionsInWindow = 0;
    }
    rejectionsInWindow++;
    return false;
  }

  /** Messages rejected by the rate limit in the current {@link #FLOOD_WINDOW_NANOS} window. */
  int recentRejections() {
    return rejectionsInWindow;
  }
}
