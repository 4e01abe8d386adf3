package ablak.signaling.http;

import ablak.desktop.WebApps;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers that make the browser enforce what the server intends: a strict Content-Security-Policy
 * (the one the web apps are built for: no inline script, no foreign origins; camera and microphone
 * only for this origin), no framing, no MIME sniffing, no referrer, and HSTS when served over TLS
 * (RFC 6797 section 7.2: HSTS is sent only over secure transport).
 */
public final class SecurityHeaders implements Handler<RoutingContext> {

  private final boolean tls;

  public SecurityHeaders(boolean tls) {
    this.tls = tls;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().headers()
        .add("Content-Security-Policy", WebApps.CONTENT_SECURITY_POLICY)
        .add("X-Content-Type-Options", "nosniff")
        .add("X-Frame-Options", "DENY")
        .add("Referrer-Policy", "no-referrer")
        .add("Cross-Origin-Opener-Policy", "same-origin")
        .add("Permissions-Policy", WebApps.PERMISSIONS_POLICY);
    if (tls) {
      ctx.response().putHeader("Strict-Transport-Security", "max-age=31536000");
    }
    ctx.next();
  }
}
