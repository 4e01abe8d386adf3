package ablak.signaling.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The static pages at {@code /}, {@code /citizen/}, {@code /clerk/} and {@code /wallboard/},
 * served from the jar. Mounted last, so API routes always win.
 */
public final class LandingPages implements RouteGroup {

  @Override
  public void mount(Router router) {
    router.get("/*").handler(StaticHandler.create("ablak-landing").setCachingEnabled(true).setMaxAgeSeconds(300));
  }
}
