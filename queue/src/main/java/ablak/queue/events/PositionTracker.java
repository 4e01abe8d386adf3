package ablak.queue.events;

import ablak.queue.routing.QueueFigures;
import ablak.queue.routing.RoutingEngine;
import ablak.queue.routing.WaitEstimator;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps the citizens waiting on this node told their place and estimated wait. Nothing per
 * citizen crosses Redis pub/sub: every node sees each queue change once (from {@link QueueEvents}),
 * marks the queue dirty, and once per position interval asks Redis for the places of all its own
 * waiting contacts in that queue in one round trip; only changed values are pushed. So a change
 * costs one stream entry, not one message per waiting citizen.
 * Runs on the Vert.x context that created it; all methods must be called from that context.
 */
public final class PositionTracker implements AutoCloseable {
  /** A place in a queue: position 1 is next; estimatedWait null means no clerk is staffed. */
  public record WaitingPosition(String contactId, String queue, int position, Duration estimatedWait) {}

  private record Tracked(String queue, Handler<WaitingPosition> handler, WaitingPosition last) {}

  private final Vertx vertx;
  private final RoutingEngine engine;
  private final WaitEstimator estimator;
  private final Map<String, Tracked> tracked = new HashMap<>();
  /**
   * The tracked contacts of each queue, kept beside {@link #tracked} so that neither a clerk's state change
   * (which marks every queue with someone waiting) nor a flush walks every waiting citizen of the node:
   * with thousands waiting and hundreds of clerks changing state, that walk was a tenth of the node's CPU.
   */
  private final Map<String, Set<String>> byQueue = new HashMap<>();
  private final Set<String> dirty = new HashSet<>();
  private final QueueEvents.Subscription subscription;
  private final long timer;

  public PositionTracker(Vertx vertx, RoutingEngine engine, QueueEvents events) {
    this.vertx = vertx;
    this.engine = engine;
    this.estimator = new WaitEstimator(engine.settings().defaultHandleTime());
    this.subscription = events.subscribe(vertx, this::onEvent);
    this.timer = vertx.setPeriodic(engine.settings().positionInterval().toMillis(), t -> flush());
  }

  /** Pushes this contact's place to {@code handler} now and whenever it changes, until it leaves the queue. */
  public void track(String contactId, String queue, Handler<WaitingPosition> handler) {
    place(contactId, new Tracked(queue, handler, null));
    dirty.add(queue);
  }

  /**
   * As {@link #track}, but the place is read and pushed at once instead of at the next interval, whether or
   * not it changed since the last push: a client that just (re)connected has not been told it.
   */
  public void trackNow(String contactId, String queue, Handler<WaitingPosition> handler) {
    place(contactId, new Tracked(queue, handler, null));
    List<String> ids = List.of(contactId);
    engine.positions(queue, ids).onSuccess(result -> push(queue, ids, result.getKey(), result.getValue()));
  }

  public void untrack(String contactId) {
    Tracked t = tracked.remove(contactId);
    if (t != null) {
      Set<String> ids = byQueue.get(t.queue());
      ids.remove(contactId);
      if (ids.isEmpty()) {
        byQueue.remove(t.queue());
      }
    }
  }

  private void place(String contactId, Tracked t) {
    untrack(contactId);
    tracked.put(contactId, t);
    byQueue.computeIfAbsent(t.queue(), q -> new HashSet<>()).add(contactId);
  }

  private void onEvent(QueueEvent event) {
    Tracked t = tracked.get(event.contactId());
    if (t != null) {
      switch (event.event()) {
        case "TRANSFER", "OVERFLOW", "RINGNOANSWER", "DECLINE", "RINGCANCELED", "CLERKLOST" ->
            place(event.contactId(), new Tracked(event.queue(), t.handler(), t.last()));
        case "CONNECT", "ABANDON", "CANCEL", "COMPLETE" -> untrack(event.contactId());
        default -> { }
      }
    }
    if (event.queue().isEmpty()) {
      // A clerk changed state: the estimate of every queue may change.
      dirty.addAll(byQueue.keySet());
    } else {
      dirty.add(event.queue());
    }
  }

  private void flush() {
    for (String queue : dirty) {
      List<String> ids = new ArrayList<>(byQueue.getOrDefault(queue, Set.of()));
      if (!ids.isEmpty()) {
        engine.positions(queue, ids).onSuccess(result -> push(queue, ids, result.getKey(), result.getValue()));
      }
    }
    dirty.clear();
  }

  private void push(String queue, List<String> ids, List<Integer> ranks, QueueFigures figures) {
    for (int i = 0; i < ids.size(); i++) {
      Tracked t = tracked.get(ids.get(i));
      if (t == null || !t.queue().equals(queue) || ranks.get(i) < 0) {
        continue;
      }
      WaitingPosition now = new WaitingPosition(ids.get(i), queue, ranks.get(i), estimator.estimate(ranks.get(i), figures));
      if (!Objects.equals(now, t.last())) {
        tracked.put(ids.get(i), new Tracked(queue, t.handler(), now)); // same queue: byQueue is unchanged
        t.handler().handle(now);
      }
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    subscription.close();
  }
}
