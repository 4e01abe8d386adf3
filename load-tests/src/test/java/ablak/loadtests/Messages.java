package ablak.loadtests;

/**
 * Every WebSocket message type and REST path the simulations use, from docs/protocol.md,
 * docs/openapi.yaml and docs/openapi-cases.yaml, in one place so a renamed message is changed once.
 */
final class Messages {

  private Messages() {}

  // REST (docs/openapi.yaml, docs/openapi-cases.yaml)
  static final String VISITS = "/api/visits";
  static final String LOGIN = "/api/auth/login";
  static final String STAFF = "/api/admin/staff";
  static final String CATALOGUE = "/api/catalogue?lang=en";
  static final String CASES = "/api/cases";
  static final String SESSION_COOKIE = "ablak_session";
  static final String WEBSOCKET = "/ws";

  // WebSocket (docs/protocol.md, "Message types of the foundation")
  static final String HELLO = "hello";
  static final String WELCOME = "welcome";
  static final String RESUME = "resume";
  static final String RESUMED = "resumed";
  static final String PING = "ping";
  static final String PONG = "pong";
  static final String ERROR = "error";

  // WebSocket (docs/protocol.md, "Message types of the queue", "of the call", "of the supervisor")
  static final String QUEUE_JOIN = "queue.join";
  static final String QUEUE_JOINED = "queue.joined";
  static final String QUEUE_POSITION = "queue.position";
  static final String QUEUE_LEAVE = "queue.leave";
  static final String QUEUE_LEFT = "queue.left";
  static final String CLERK_STATE = "clerk.state";
  static final String OFFER = "queue.offer";
  static final String OFFER_ACCEPT = "queue.offer.accept";
  static final String OFFER_ACCEPTED = "queue.offer.accepted";
  static final String OFFER_DECLINE = "queue.offer.decline";
  static final String OFFER_DECLINED = "queue.offer.declined";
  static final String OFFER_REVOKED = "queue.offer.revoked";
  static final String WRAPUP_DONE = "wrapup.done";
  static final String CALL_STARTED = "call.started";
  static final String CALL_END = "call.end";
  static final String CALL_ENDED = "call.ended";
  static final String CASE_CONFIRM = "case.confirm";
  static final String CASE_CONFIRMED = "case.confirmed";
  static final String WALLBOARD_SUBSCRIBE = "wallboard.subscribe";
  static final String WALLBOARD_SNAPSHOT = "wallboard.snapshot";

  /** The one case type every simulated citizen applies for, and the language of the call. */
  static final String CASE_TYPE = "address-registration";
  static final String LANGUAGE = "en";

  /**
   * A complete address registration (docs/cases.md): the pre-call answers plus the two the clerk
   * would otherwise ask, so the citizen can confirm version 1 in the call without an edit.
   */
  static final String CASE_ANSWERS = """
      {"caseType":"address-registration","language":"en","answers":{
        "applicant":{"personalId":"18503121232","familyName":"Kovács","givenNames":"Éva"},
        "newAddress":{"postcode":"1052","city":"Budapest","street":"Váci utca","houseNumber":"12"},
        "addressType":"permanent","moveInDate":"2026-11-01","ownsProperty":true}}""";

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

  /** {@code queue.join} for the case saved as {@code caseId} / {@code caseToken}. */
  static String join(String id) {
    return "{\"type\":\"" + QUEUE_JOIN + "\",\"id\":\"" + id + "\",\"caseTypeId\":\"" + CASE_TYPE + "\",\"language\":\"" + LANGUAGE
        + "\",\"caseId\":\"#{caseId}\",\"caseToken\":\"#{caseToken}\",\"consent\":{\"recording\":false}}";
  }

  static String confirm(String id) {
    return "{\"type\":\"" + CASE_CONFIRM + "\",\"id\":\"" + id + "\",\"caseId\":\"#{caseId}\",\"caseToken\":\"#{caseToken}\""
        + ",\"version\":#{caseVersion},\"lang\":\"" + LANGUAGE + "\"}";
  }

  static String clerkState(String id, String state) {
    return "{\"type\":\"" + CLERK_STATE + "\",\"id\":\"" + id + "\",\"state\":\"" + state + "\"}";
  }

  /** A message naming the offer saved as {@code offerId}. */
  static String offerAnswer(String type, String id) {
    return "{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"offerId\":\"#{offerId}\"}";
  }

  /** A message naming the call saved as {@code callId}. */
  static String call(String type, String id) {
    return "{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"callId\":\"#{callId}\"}";
  }

  static String wrapUp(String id) {
    return "{\"type\":\"" + WRAPUP_DONE + "\",\"id\":\"" + id + "\",\"disposition\":\"resolved\"}";
  }

  /** A request with no payload; {@code id} may be Gatling Expression Language. */
  static String request(String type, String id) {
    return "{\"type\":\"" + type + "\",\"id\":\"" + id + "\"}";
  }
}
