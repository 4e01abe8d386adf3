package ablak.signaling.http;

import io.vertx.ext.web.Router;

/**
 * A set of REST routes contributed by one capability. The server mounts every group on the same
 * router at start; a group guards its routes with {@link RoleGuard#allow} and reports failures by
 * failing the routing context with a {@link ablak.signaling.ClientError} (rendered by
 * {@link ApiErrors}). Request bodies (up to {@link #MAX_BODY_BYTES}) are read before any group's
 * handlers run, so guards may be asynchronous.
 */
@FunctionalInterface
public interface RouteGroup {
  int MAX_BODY_BYTES = 1024 * 1024;

  void mount(Router router);
}
