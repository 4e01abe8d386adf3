package ablak.signaling;

import ablak.signaling.http.ApiErrors;
import ablak.signaling.http.RequestLog;
import ablak.signaling.http.RouteGroup;
import ablak.signaling.http.SecurityHeaders;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP + WebSocket server on one event loop. The server deploys one instance per event loop;
 * they share the port and the services, and each builds the same router.
 */
final class HttpVerticle extends VerticleBase {

  private final HttpServerOptions options;
  private final List<RouteGroup> routeGroups;
  private final Handler<RoutingContext> controlSocket;
  private final ApiErrors errors;
  private final boolean tls;
  private final int shutdownGraceSeconds;
  private HttpServer server;

  HttpVerticle(HttpServerOptions options, List<RouteGroup> routeGroups, Handler<RoutingContext> controlSocket,
      ApiErrors errors, boolean tls, int shutdownGraceSeconds) {
    this.options = options;
    this.routeGroups = routeGroups;
    this.controlSocket = controlSocket;
    this.errors = errors;
    this.tls = tls;
    this.shutdownGraceSeconds = shutdownGraceSeconds;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(new RequestLog());
    router.route().handler(new SecurityHeaders(tls));
    router.get("/ws").handler(controlSocket);
    router.route().handler(BodyHandler.create(false).setBodyLimit(RouteGroup.MAX_BODY_BYTES));
    routeGroups.forEach(group -> group.mount(router));
    router.route().failureHandler(errors);
    router.errorHandler(404, errors);
    router.errorHandler(405, errors);
    server = vertx.createHttpServer(options).requestHandler(router);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    // Lets requests in flight finish; WebSockets get a close frame (1001 going away).
    return server.shutdown(shutdownGraceSeconds, TimeUnit.SECONDS);
  }
}
