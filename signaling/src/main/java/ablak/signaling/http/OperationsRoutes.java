package ablak.signaling.http;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a load balancer and Prometheus ask: {@code /health/live} (the process serves HTTP),
 * {@code /health/ready} (Redis and PostgreSQL answer and the node is not draining) and
 * {@code /metrics} (Prometheus text format).
 */
public final class OperationsRoutes implements RouteGroup {

  private static final long CHECK_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final RedisAsyncCommands<String, String> redis;
  private final Pool pool;
  private final PrometheusMeterRegistry prometheus;
  private final AtomicBoolean draining;

  public OperationsRoutes(Vertx vertx, RedisAsyncCommands<String, String> redis, Pool pool,
      PrometheusMeterRegistry prometheus, AtomicBoolean draining) {
    this.vertx = vertx;
    this.redis = redis;
    this.pool = pool;
    this.prometheus = prometheus;
    this.draining = draining;
  }

  @Override
  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "up")));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(prometheus.scrape()));
  }

  private void ready(RoutingContext ctx) {
    Future<String> redisCheck = check(Future.fromCompletionStage(redis.ping(), vertx.getOrCreateContext()).map(pong -> "up"));
    Future<String> postgresCheck = check(pool.query("SELECT 1").execute().map(rows -> "up"));
    Future.join(redisCheck, postgresCheck).onComplete(done -> {
      String redisStatus = status(redisCheck);
      String postgresStatus = status(postgresCheck);
      boolean ready = !draining.get() && redisStatus.equals("up") && postgresStatus.equals("up");
      json(ctx, ready ? 200 : 503, new JsonObject()
          .put("status", ready ? "up" : "down")
          .put("draining", draining.get())
          .put("checks", new JsonObject().put("redis", redisStatus).put("postgres", postgresStatus)));
    });
  }

  private Future<String> check(Future<String> probe) {
    return probe.timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  private static String status(Future<String> check) {
    return check.succeeded() ? "up" : "down";
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }
}
