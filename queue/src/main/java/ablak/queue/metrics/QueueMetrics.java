package ablak.queue.metrics;

import ablak.queue.routing.QueueDefinition;
import ablak.queue.routing.QueueFigures;
import ablak.queue.routing.RoutingEngine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * Live per-queue metrics, refreshed every metrics interval with one script call for all queues.
 * Every node computes them from the shared Redis state, so a wallboard on any node sees the same
 * figures without cross-node messages. Published as Micrometer gauges (tag {@code queue}) and to
 * wallboard listeners.
 */
public final class QueueMetrics implements AutoCloseable {
  private final Vertx vertx;
  private final RoutingEngine engine;
  private final List<String> queues;
  private final Map<String, QueueFigures> latest = new ConcurrentHashMap<>();
  private final List<Handler<List<QueueFigures>>> listeners = new CopyOnWriteArrayList<>();
  private final long timer;

  public QueueMetrics(Vertx vertx, RoutingEngine engine, MeterRegistry registry) {
    this.vertx = vertx;
    this.engine = engine;
    this.queues = engine.definitions().queues().stream().map(QueueDefinition::name).toList();
    for (String q : queues) {
      gauge(registry, "ablak.queue.waiting", q, f -> f.waiting());
      gauge(registry, "ablak.queue.longest.wait.seconds", q, f -> seconds(f.longestWait()));
      gauge(registry, "ablak.queue.service.level", q, QueueFigures::serviceLevel);
      gauge(registry, "ablak.queue.asa.seconds", q, f -> seconds(f.averageSpeedOfAnswer()));
      gauge(registry, "ablak.queue.aht.seconds", q, f -> f.averageHandleTime() == null ? 0 : seconds(f.averageHandleTime()));
      gauge(registry, "ablak.queue.abandonment.rate", q, QueueFigures::abandonmentRate);
      for (String state : List.of("available", "offered", "busy", "wrapup", "break", "not_responding", "offline")) {
        Gauge.builder("ablak.queue.clerks", latest, m -> m.containsKey(q) ? m.get(q).clerksByState().get(state) : 0)
            .tag("queue", q).tag("state", state).register(registry);
      }
    }
    this.timer = vertx.setPeriodic(engine.settings().metricsInterval().toMillis(), t -> refresh());
  }

  /** The wallboard feed: all queues' figures after every refresh, on the subscriber's context. */
  public Runnable subscribe(Handler<List<QueueFigures>> handler) {
    io.vertx.core.Context context = vertx.getOrCreateContext();
    Handler<List<QueueFigures>> onContext = figures -> context.runOnContext(v -> handler.handle(figures));
    listeners.add(onContext);
    return () -> listeners.remove(onContext);
  }

  /** Reads all queues' figures now and publishes them. */
  public io.vertx.core.Future<List<QueueFigures>> refresh() {
    return engine.figures(queues).onSuccess(figures -> {
      figures.forEach(f -> latest.put(f.queue(), f));
      listeners.forEach(l -> l.handle(figures));
    });
  }

  private void gauge(MeterRegistry registry, String name, String queue, ToDoubleFunction<QueueFigures> value) {
    Gauge.builder(name, latest, m -> m.containsKey(queue) ? value.applyAsDouble(m.get(queue)) : 0)
        .tag("queue", queue).register(registry);
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
