package ablak.loadtests;

/**
 * Every WebSocket message type and REST path the simulations use, from docs/protocol.md and
 * docs/openapi.yaml, in one place so a renamed message is changed once.
 */
final class Messages {

  private Messages() {}

  // REST (docs/openapi.yaml)
  static final String VISITS = "/api/visits";
  static final String LOGIN = "/api/auth/login";
  static final String STAFF = "/api/admin/staff";
  static final String SESSION_COOKIE = "ablak_session";
  static final String WEBSOCKET = "/ws";

  // WebSocket (docs/protocol.md, "Message types of the foundation")
  static final String HELLO = "hello";
  static final String WELCOME = "welcome";
  static final String RESUME = "resume";
  static final String RESUMED = "resumed";
  static final String PING = "ping";
  static final String PONG = "pong";

  /** A citizen's {@code hello}, carrying the visit token saved as {@code visitToken}. */
  static String citizenHello(String id) {
    return "{\"type\":\"" + HELLO + "\",\"id\":\"" + id + "\",\"token\":\"#{visitToken}\"}";
  }

  /** A staff member's {@code hello}: no token, the session cookie sent with the upgrade identifies them. */
  static String staffHello(String id) {
    return request(HELLO, id);
  }

  static String resume(String id) {
    return "{\"type\":\"" + RESUME + "\",\"id\":\"" + id + "\",\"token\":\"#{resumeToken}\"}";
  }

  /** A request with no payload; {@code id} may be Gatling Expression Language. */
  static String request(String type, String id) {
    return "{\"type\":\"" + type + "\",\"id\":\"" + id + "\"}";
  }
}
