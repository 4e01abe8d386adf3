package ablak.signaling.queue;

import java.util.function.LongSupplier;

/**
 * At most one push per interval, and no change waits longer than one interval for it: the first
 * change after a quiet interval is pushed at once (leading edge); a change within the interval is
 * pushed when the interval ends (trailing edge), together with any that follow it meanwhile.
 *
 * <p>A periodic tick alone would push such a change at its first tick past the interval, which
 * falls up to a whole tick later (up to two intervals after the change). Callers may call from any
 * thread.
 */
final class PushThrottle {

  /** Runs a task after a delay (on a Vert.x node, {@code vertx.setTimer}). */
  @FunctionalInterface
  interface Scheduler {
    void schedule(long delayMillis, Runnable task);
  }

  private final long intervalMillis;
  private final LongSupplier clock;
  private final Scheduler scheduler;
  private final Runnable push;
  private long lastPushMillis = Long.MIN_VALUE / 2;
  private boolean trailingPending;

  PushThrottle(long intervalMillis, LongSupplier clock, Scheduler scheduler, Runnable push) {
    this.intervalMillis = intervalMillis;
    this.clock = clock;
    this.scheduler = scheduler;
    this.push = push;
  }

  /** Something changed that the subscribers should see. */
  void changed() {
    long delay;
    synchronized (this) {
      if (trailingPending) {
        return;
      }
      long now = clock.getAsLong();
      delay = lastPushMillis + intervalMillis - now;
      if (delay <= 0) {
        lastPushMillis = now;
      } else {
        trailingPending = true;
      }
    }
    if (delay <= 0) {
      push.run();
    } else {
      scheduler.schedule(delay, this::trailing);
    }
  }

  /** Pushes when nothing was pushed for {@code ageMillis} and no push is due anyway (a refresh as waits grow). */
  void refreshIfOlderThan(long ageMillis) {
    synchronized (this) {
      long now = clock.getAsLong();
      if (trailingPending || now - lastPushMillis < ageMillis) {
        return;
      }
      lastPushMillis = now;
    }
    push.run();
  }

  private void trailing() {
    synchronized (this) {
      trailingPending = false;
      lastPushMillis = clock.getAsLong();
    }
    push.run();
  }
}
