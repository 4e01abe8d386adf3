package ablak.signaling.http;

import ablak.signaling.ClientError;
import ablak.signaling.auth.Authenticator;
import ablak.signaling.auth.Principal;
import ablak.signaling.auth.Role;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;

/**
 * Route handlers that let a request through only for the given roles:
 * {@code router.post("/api/x").handler(guard.allow(Role.CLERK)).handler(...)}. The principal is
 * then available to later handlers through {@link #principal(RoutingContext)}.
 */
public final class RoleGuard {

  private static final String PRINCIPAL = "ablak.principal";

  private final Authenticator authenticator;

  public RoleGuard(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  public Handler<RoutingContext> allow(Role first, Role... more) {
    Set<Role> allowed = EnumSet.of(first, more);
    return ctx -> authenticator.authenticate(ctx.request()).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else if (result.result() == null) {
        ctx.fail(ClientError.unauthenticated("sign in first"));
      } else if (!allowed.contains(result.result().role())) {
        ctx.fail(ClientError.forbidden("role " + result.result().role().wireName() + " may not do this"));
      } else {
        ctx.put(PRINCIPAL, result.result());
        ctx.next();
      }
    });
  }

  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }
}
