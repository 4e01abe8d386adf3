package ablak.signaling.auth;

import ablak.signaling.ClientError;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * Finds who sent an HTTP request (or a WebSocket upgrade): staff by the session cookie, citizens
 * by {@code Authorization: Bearer <visit token>}.
 */
public final class Authenticator {

  public static final String SESSION_COOKIE = "ablak_session";

  private final Sessions sessions;
  private final VisitTokens visitTokens;

  public Authenticator(Sessions sessions, VisitTokens visitTokens) {
    this.sessions = sessions;
    this.visitTokens = visitTokens;
  }

  /** The principal, or null when the request carries no credential at all. */
  public Future<Principal> authenticate(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return Future.failedFuture(new ClientError(ClientError.TOKEN_INVALID, 401, "Authorization must be Bearer <visit token>"));
      }
      try {
        return Future.succeededFuture(visitTokens.verify(authorization.substring(7).trim()));
      } catch (ClientError e) {
        return Future.failedFuture(e);
      }
    }
    String sessionId = sessionId(request);
    if (sessionId == null) {
      return Future.succeededFuture(null);
    }
    return sessions.find(sessionId).compose(principal -> principal != null
        ? Future.succeededFuture(principal)
        : Future.failedFuture(ClientError.unauthenticated("the session has ended; sign in again")));
  }

  public static String sessionId(HttpServerRequest request) {
    Cookie cookie = request.getCookie(SESSION_COOKIE);
    return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
  }

  public VisitTokens visitTokens() {
    return visitTokens;
  }

  public Sessions sessions() {
    return sessions;
  }
}
