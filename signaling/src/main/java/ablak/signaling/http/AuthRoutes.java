package ablak.signaling.http;

import ablak.signaling.ClientError;
import ablak.signaling.Json;
import ablak.signaling.auth.Authenticator;
import ablak.signaling.auth.LoginThrottle;
import ablak.signaling.auth.Principal;
import ablak.signaling.auth.Role;
import ablak.signaling.auth.Sessions;
import ablak.signaling.auth.StaffAccounts;
import ablak.signaling.auth.VisitTokens;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Signing in and out (staff) and starting a visit (citizens).
 *
 * <p>The session cookie is Secure, HttpOnly and SameSite=Strict (RFC 6265bis section 5.4.7):
 * scripts cannot read it and other sites cannot make the browser send it, which is also what
 * protects the state-changing routes against cross-site request forgery.
 */
public final class AuthRoutes implements RouteGroup {

  private final StaffAccounts accounts;
  private final LoginThrottle throttle;
  private final Sessions sessions;
  private final VisitTokens visitTokens;
  private final RoleGuard guard;
  private final int sessionTtlSeconds;

  public AuthRoutes(StaffAccounts accounts, LoginThrottle throttle, Sessions sessions, VisitTokens visitTokens, RoleGuard guard,
      int sessionTtlSeconds) {
    this.accounts = accounts;
    this.throttle = throttle;
    this.sessions = sessions;
    this.visitTokens = visitTokens;
    this.guard = guard;
    this.sessionTtlSeconds = sessionTtlSeconds;
  }

  record Login(@JsonProperty(required = true) String username, @JsonProperty(required = true) String password) {}

  @Override
  public void mount(Router router) {
    router.post("/api/auth/login").handler(this::login);
    router.post("/api/auth/logout").handler(this::logout);
    router.get("/api/auth/me").handler(guard.allow(Role.CITIZEN, Role.CLERK, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN))
        .handler(ctx -> ctx.json(user(RoleGuard.principal(ctx))));
    router.post("/api/visits").handler(this::startVisit);
  }

  private void login(RoutingContext ctx) {
    Login login = Json.parse(ctx.body().asString(), Login.class);
    if (login.username() == null || login.password() == null) {
      throw ClientError.invalid("username and password must not be null");
    }
    throttle.check(login.username())
        .compose(open -> accounts.authenticate(login.username(), login.password())
            .recover(failure -> failure instanceof ClientError e && e.code().equals(ClientError.INVALID_CREDENTIALS)
                ? throttle.recordFailure(login.username()).compose(recorded -> Future.failedFuture(failure))
                : Future.failedFuture(failure)))
        .compose(sessions::create)
        .onSuccess(created -> {
          ctx.response().addCookie(Cookie.cookie(Authenticator.SESSION_COOKIE, created.sessionId())
              .setPath("/").setSecure(true).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setMaxAge(sessionTtlSeconds));
          ctx.json(user(created.principal()));
        })
        .onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    String sessionId = Authenticator.sessionId(ctx.request());
    (sessionId == null ? Future.<Void>succeededFuture() : sessions.delete(sessionId))
        .onSuccess(done -> {
          ctx.response().addCookie(Cookie.cookie(Authenticator.SESSION_COOKIE, "")
              .setPath("/").setSecure(true).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setMaxAge(0));
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(ctx::fail);
  }

  private void startVisit(RoutingContext ctx) {
    VisitTokens.Issued visit = visitTokens.issue();
    ctx.response().setStatusCode(201);
    ctx.json(new JsonObject().put("token", visit.token()).put("visitId", visit.visitId()).put("expiresAt", visit.expiresAt()));
  }

  static JsonObject user(Principal principal) {
    return new JsonObject()
        .put("id", principal.userId())
        .put("name", principal.name())
        .put("role", principal.role().wireName())
        .put("expiresAt", principal.credentialExpiresAt());
  }
}
