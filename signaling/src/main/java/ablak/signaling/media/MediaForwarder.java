package ablak.signaling.media;

import ablak.signaling.call.CallStore;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a WHIP/WHEP request to the node whose SFU hosts its call, so that clients can always use the
 * public origin (their pages allow {@code connect-src 'self'} only, and a load balancer cannot know
 * which node a call is on). A POST for a call goes where the call's media is ({@link CallStore});
 * a PATCH or DELETE of a session goes where the session was made ({@code <prefix>media-session:<id>}).
 * The hosting node checks the credentials itself; the media then flows straight to its SFU's
 * advertised addresses, as its answer says. A forwarded request is never forwarded again.
 */
public final class MediaForwarder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MediaForwarder.class);
  static final String FORWARDED = "Ablak-Forwarded-By";
  private static final long SESSION_TTL_SECONDS = Duration.ofHours(12).toSeconds();
  private static final List<String> REQUEST_HEADERS = List.of("Authorization", "Content-Type", "If-Match");
  private static final List<String> RESPONSE_HEADERS = List.of("Location", "ETag", "Link", "Content-Type", "WWW-Authenticate");

  private final Vertx vertx;
  private final RedisAsyncCommands<String, String> redis;
  private final String prefix;
  private final CallStore calls;
  private final String self;
  private final HttpClient client;

  /** {@code self}: the URL other nodes reach this one at ({@code http.nodeUrl}). */
  public MediaForwarder(Vertx vertx, RedisAsyncCommands<String, String> redis, String prefix, CallStore calls, String self) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = prefix;
    this.calls = calls;
    this.self = self;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setIdleTimeout(30));
  }

  /** The node hosting the call's media, or null for this node (or a call that routing does not know, such as a test's). */
  Future<String> hostOfCall(RoutingContext ctx, String callId) {
    if (ctx.request().getHeader(FORWARDED) != null) {
      return Future.succeededFuture(null);
    }
    return calls.get(callId).map(call -> call == null || call.nodeUrl().equals(self) ? null : call.nodeUrl());
  }

  /** The node a session not found here was made on, or null. */
  Future<String> hostOfSession(RoutingContext ctx, String sessionId) {
    if (ctx.request().getHeader(FORWARDED) != null) {
      return Future.succeededFuture(null);
    }
    return Future.fromCompletionStage(redis.get(sessionKey(sessionId)), vertx.getOrCreateContext())
        .map(host -> host == null || host.equals(self) ? null : host);
  }

  void sessionCreated(String sessionId) {
    redis.setex(sessionKey(sessionId), SESSION_TTL_SECONDS, self);
  }

  void sessionEnded(String sessionId) {
    redis.del(sessionKey(sessionId));
  }

  /** Relays the request to {@code host} and its answer back, status, headers and body as they are. */
  void forward(RoutingContext ctx, String host) {
    RequestOptions options = new RequestOptions().setAbsoluteURI(host + ctx.request().uri())
        .setMethod(ctx.request().method()).setTimeout(10_000).putHeader(FORWARDED, self);
    for (String header : REQUEST_HEADERS) {
      String value = ctx.request().getHeader(header);
      if (value != null) {
        options.putHeader(header, value);
      }
    }
    Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    client.request(options)
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(answer -> {
          ctx.response().setStatusCode(response.statusCode());
          for (String header : RESPONSE_HEADERS) {
            String value = response.getHeader(header);
            if (value != null) {
              ctx.response().putHeader(header, value);
            }
          }
          return answer;
        }))
        .onSuccess(answer -> ctx.response().end(answer))
        .onFailure(failure -> {
          LOG.atWarn().addKeyValue("host", host).log("a media request could not be forwarded: {}", failure.toString());
          ctx.fail(new ablak.signaling.ClientError("media_node_unavailable", 503,
              "the node hosting this call's media does not answer; ask call.media for a fresh grant"));
        });
  }

  private String sessionKey(String sessionId) {
    return prefix + "media-session:" + sessionId;
  }

  @Override
  public void close() {
    client.close();
  }
}
