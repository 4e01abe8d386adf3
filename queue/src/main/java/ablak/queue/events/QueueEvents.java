package ablak.queue.events;

import ablak.queue.QueueSettings;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of every routing event of every node, read from the one Redis stream all
 * scripts append to: an offer for a clerk connected here, a queue changing for citizens waiting
 * here. A stream rather than pub/sub, so a node that loses its connection resumes where it was.
 * One blocking reader per node on its own connection; handlers run on the context that subscribed.
 */
public final class QueueEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueEvents.class);

  private final StatefulRedisConnection<String, String> connection;
  private final String stream;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean open = true;
  private String lastId;

  private record Listener(Context context, Handler<QueueEvent> handler) {}

  /** A subscription; close it to stop receiving. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  private QueueEvents(RedisClient client, QueueSettings settings) {
    this.connection = client.connect();
    this.stream = settings.keyPrefix() + "events";
  }

  /** Starts reading from the current end of the stream: events from now on. */
  public static Future<QueueEvents> start(Vertx vertx, RedisClient client, QueueSettings settings) {
    QueueEvents events = new QueueEvents(client, settings);
    return Future.fromCompletionStage(
        events.connection.async().xrevrange(events.stream, Range.create("-", "+"), Limit.create(0, 1)),
        vertx.getOrCreateContext()).map(last -> {
          events.lastId = last.isEmpty() ? "0-0" : last.get(0).getId();
          events.read();
          return events;
        });
  }

  /** Every event from now on, delivered in stream order on the caller's Vert.x context. */
  public Subscription subscribe(Vertx vertx, Handler<QueueEvent> handler) {
    Listener listener = new Listener(vertx.getOrCreateContext(), handler);
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void read() {
    if (!open) {
      return;
    }
    connection.async()
        .xread(XReadArgs.Builder.block(1000).count(1000), XReadArgs.StreamOffset.from(stream, lastId))
        .whenComplete((messages, error) -> {
          if (error != null) {
            if (open) {
              LOG.warn("reading routing events failed, retrying in a second: {}", error.toString());
              CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(this::read);
            }
            return;
          } else {
            for (StreamMessage<String, String> m : messages) {
              lastId = m.getId();
              QueueEvent event = QueueEvent.of(m.getId(), m.getBody());
              for (Listener l : listeners) {
                l.context().runOnContext(v -> l.handler().handle(event));
              }
            }
          }
          read();
        });
  }

  @Override
  public void close() {
    open = false;
    connection.close();
  }
}
