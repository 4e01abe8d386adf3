package ablak.signaling.config;

/**
 * The WebSocket control protocol (docs/protocol.md).
 *
 * @param maxMessageBytes largest message answered with {@code frame_too_large} instead of being
 *     handled; four times this closes the socket with 1009
 * @param heartbeatSeconds interval of server pings and of resume-token refreshes
 * @param idleTimeoutSeconds a socket silent this long (no message, no pong) is closed
 * @param rateLimitPerSecond messages a connection may send per second, sustained
 * @param rateLimitBurst messages a connection may send at once after being quiet
 * @param resumeTtlSeconds how long after a connection is lost its resume token still works
 */
public record ProtocolSettings(
    int maxMessageBytes,
    int heartbeatSeconds,
    int idleTimeoutSeconds,
    int rateLimitPerSecond,
    int rateLimitBurst,
    int resumeTtlSeconds) {

  public static ProtocolSettings defaults() {
    return new ProtocolSettings(64 * 1024, 20, 60, 20, 40, 120);
  }
}
