package ablak.cases.schedule;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Runs a batch job every interval, and soon after {@link #wake()}: one batch at a time on one context;
 * wakes within {@link #WAKE_DELAY} of each other, or during a batch, collapse into one more batch, and a
 * full batch is followed by another at once, so under load each batch takes as much as it may. A failing job is logged once per outage, not at every
 * run, and retried at the interval. {@link #stop()} lets the batch in flight finish.
 */
public final class BatchLoop {

  /**
   * How long a wake waits for others to join it. Without it a node taking 150 drafts a second woke the
   * audit chainer 150 times a second, and each pass linked one event in six round trips to PostgreSQL.
   */
  static final Duration WAKE_DELAY = Duration.ofMillis(50);

  private final Vertx vertx;
  private final String name;
  private final Duration interval;
  private final int batchSize;
  private final Supplier<Future<Integer>> batch;
  private final Logger log;
  private Context context;
  private long timer = -1;
  private boolean running;
  private boolean runAgain;
  private boolean wakePending;
  private boolean failing;
  private boolean stopped;
  private Promise<Void> stoppedIdle;

  /**
   * @param name what the job is, for the log ("audit chaining", "outbox delivery")
   * @param batch runs one batch; completes with how many items it took, {@code batchSize} meaning there may be more
   */
  public BatchLoop(Vertx vertx, String name, Duration interval, int batchSize, Supplier<Future<Integer>> batch, Logger log) {
    this.vertx = vertx;
    this.name = name;
    this.interval = interval;
    this.batchSize = batchSize;
    this.batch = batch;
    this.log = log;
  }

  /** Runs a batch every interval until {@link #stop()}, on the caller's context. */
  public void start() {
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> timer = vertx.setPeriodic(interval.toMillis(), id -> run()));
  }

  /** Runs a batch soon rather than at the next tick (after a local change that gave it work). */
  public void wake() {
    if (context != null) {
      context.runOnContext(v -> runSoon());
    }
  }

  private void runSoon() {
    if (!wakePending && !stopped) {
      wakePending = true;
      vertx.setTimer(WAKE_DELAY.toMillis(), id -> {
        wakePending = false;
        run();
      });
    }
  }

  /** Nothing running or about to run but the periodic tick; call on the loop's context. */
  boolean idle() {
    return !running && !wakePending;
  }

  /** Stops; completes once the batch in flight, if any, has finished. */
  public Future<Void> stop() {
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> idle = Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      vertx.cancelTimer(timer);
      if (running) {
        stoppedIdle = idle;
      } else {
        idle.complete();
      }
    });
    return idle.future();
  }

  private void run() {
    if (stopped) {
      return;
    }
    if (running) {
      runAgain = true;
      return;
    }
    running = true;
    runAgain = false;
    batch.get().onComplete(result -> {
      running = false;
      if (stoppedIdle != null) {
        stoppedIdle.complete();
        return;
      }
      if (result.failed()) {
        if (!failing && !stopped) {
          log.warn("{} failed, retrying every {} ms: {}", name, interval.toMillis(), result.cause().toString());
        }
        failing = true;
        return;
      }
      if (failing) {
        log.info("{} works again", name);
        failing = false;
      }
      if (result.result() == batchSize) {
        run();
      } else if (runAgain) {
        runSoon();
      }
    });
  }
}
