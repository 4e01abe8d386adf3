package ablak.signaling.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} if it looks like one, else a new
 * one), returns it in the response, and writes one structured access-log line when the response
 * ends. Query strings are not logged: they may carry tokens.
 */
public final class RequestLog implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("ablak.access");
  private static final String REQUEST_ID = "ablak.requestId";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  @Override
  public void handle(RoutingContext ctx) {
    String offered = ctx.request().getHeader("X-Request-Id");
    String requestId = offered != null && SAFE_ID.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    ctx.put(REQUEST_ID, requestId);
    ctx.response().putHeader("X-Request-Id", requestId);
    long started = System.nanoTime();
    ctx.addEndHandler(done -> LOG.atInfo()
        .addKeyValue("requestId", requestId)
        .addKeyValue("method", ctx.request().method().name())
        .addKeyValue("path", ctx.request().path())
        .addKeyValue("status", ctx.response().getStatusCode())
        .addKeyValue("durationMs", (System.nanoTime() - started) / 1_000_000.0)
        .log("http request"));
    ctx.next();
  }

  public static String requestId(RoutingContext ctx) {
    return ctx.get(REQUEST_ID);
  }
}
