package ablak.signaling.queue;

import ablak.proactive.ProactiveSettings;
import ablak.proactive.callback.Callback;
import ablak.proactive.callback.Callbacks;
import ablak.queue.routing.QueueFigures;
import ablak.queue.routing.RoutingEngine;
import ablak.queue.routing.WaitEstimator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells citizens who left to be called back that their turn is near (docs/routing.md,
 * "Call-backs"). Every node runs it; {@link Callbacks#notifyOnce} lets exactly one node e-mail
 * each call-back. A call-back is due when at most {@code callbackAhead} contacts are ahead of its
 * place, or the estimated wait at its place is at most {@code callbackWaitSeconds}. Ahead are the
 * contacts waiting in routing with an earlier place and the open call-backs of the same queue
 * with an earlier place (they come back ahead of it).
 */
public final class CallbackScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackScheduler.class);

  private final Vertx vertx;
  private final Callbacks callbacks;
  private final RoutingEngine engine;
  private final ProactiveSettings settings;
  private final WaitEstimator estimator;
  private long timer = -1;
  private Future<Integer> current = Future.succeededFuture(0);

  public CallbackScheduler(Vertx vertx, Callbacks callbacks, RoutingEngine engine, ProactiveSettings settings) {
    this.vertx = vertx;
    this.callbacks = callbacks;
    this.engine = engine;
    this.settings = settings;
    this.estimator = new WaitEstimator(engine.settings().defaultHandleTime());
  }

  /** Checks every {@code pollMillis}, one run at a time; does nothing without an SMTP relay (no call-back can exist). */
  public CallbackScheduler start() {
    if (callbacks.available()) {
      timer = vertx.setPeriodic(settings.pollMillis(), id -> {
        if (current.isComplete()) {
          current = runOnce().onFailure(e -> LOG.warn("call-back check failed; the next run retries: {}", e.toString()));
        }
      });
    }
    return this;
  }

  /** One check: e-mails the due call-backs; the number this node sent. */
  public Future<Integer> runOnce() {
    return callbacks.open().compose(open -> {
      Map<String, List<Callback>> byQueue = new LinkedHashMap<>();
      open.forEach(callback -> byQueue.computeIfAbsent(callback.queue(), q -> new ArrayList<>()).add(callback));
      if (byQueue.isEmpty()) {
        return Future.succeededFuture(0);
      }
      return engine.figures(List.copyOf(byQueue.keySet())).compose(figures -> {
        Map<String, QueueFigures> figuresByQueue = new HashMap<>();
        figures.forEach(f -> figuresByQueue.put(f.queue(), f));
        List<Future<Boolean>> sent = new ArrayList<>();
        byQueue.forEach((queue, callbacksOfQueue) -> {
          for (int earlier = 0; earlier < callbacksOfQueue.size(); earlier++) {
            Callback callback = callbacksOfQueue.get(earlier);
            if (!callback.status().equals("waiting")) {
              continue;
            }
            int earlierCallbacks = earlier;
            sent.add(engine.waitingAhead(queue, callback.originalArrival()).compose(waiting -> {
              long ahead = waiting + earlierCallbacks;
              Duration wait = estimator.estimate((int) Math.min(Integer.MAX_VALUE, ahead + 1), figuresByQueue.get(queue));
              boolean due = ahead <= settings.callbackAhead() || wait != null && wait.toSeconds() <= settings.callbackWaitSeconds();
              return due ? callbacks.notifyOnce(callback.id(), settings.citizenUrl()) : Future.succeededFuture(false);
            }));
          }
        });
        return Future.join(sent).map(all -> (int) sent.stream().filter(f -> f.succeeded() && f.result()).count());
      });
    });
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
