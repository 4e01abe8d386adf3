package ablak.signaling.http;

import ablak.signaling.ClientError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's failure handler: every failed REST request is answered as
 * {@code {"code":"...","message":"..."}} with a fitting status and counted in
 * {@code ablak.signaling.http.errors{code}}. Unexpected exceptions are logged with the request id
 * and answered as {@code internal} without details; {@code busy} (a database pool refused the request)
 * is counted, not logged, and carries {@code Retry-After}.
 */
public final class ApiErrors implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
  private final MeterRegistry meters;

  public ApiErrors(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ClientError error = toClientError(ctx);
    if (error.code().equals(ClientError.INTERNAL) || error.code().equals(ClientError.UNAVAILABLE)) {
      LOG.atError().addKeyValue("requestId", RequestLog.requestId(ctx)).setCause(ctx.failure())
          .log("request failed: {} {}", ctx.request().method(), ctx.request().path());
    }
    Counter.builder("ablak.signaling.http.errors").description("REST requests answered with a typed error")
        .tag("code", error.code()).register(meters).increment();
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (error.details().get("retryAfterSeconds") instanceof Integer seconds) {
      ctx.response().putHeader("Retry-After", String.valueOf(seconds));
    }
    ctx.response().setStatusCode(error.httpStatus()).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("code", error.code()).put("message", error.getMessage()).encode());
  }

  private static ClientError toClientError(RoutingContext ctx) {
    if (ctx.failure() != null) {
      return ClientError.of(ctx.failure());
    }
    return switch (ctx.statusCode()) {
      case 404 -> new ClientError(ClientError.NOT_FOUND, 404, "no such resource");
      case 405 -> new ClientError("method_not_allowed", 405, "method not allowed here");
      case 413 -> new ClientError(ClientError.FRAME_TOO_LARGE, 413, "the body is too large");
      case 415 -> new ClientError("unsupported_media_type", 415, "send application/json");
      default -> ctx.statusCode() >= 400 && ctx.statusCode() < 500
          ? new ClientError("bad_request", ctx.statusCode(), "bad request")
          : ClientError.internal();
    };
  }
}
