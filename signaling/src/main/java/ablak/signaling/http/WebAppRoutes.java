package ablak.signaling.http;

import ablak.desktop.WebApps;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web front ends built by the agent-desktop module (citizen app, clerk desktop, wallboard),
 * served from the classpath. Mounted last, so API routes always win.
 */
public final class WebAppRoutes implements RouteGroup {

  @Override
  public void mount(Router router) {
    router.get("/*").handler(StaticHandler.create(WebApps.CLASSPATH_ROOT).setCachingEnabled(true).setMaxAgeSeconds(300));
  }
}
