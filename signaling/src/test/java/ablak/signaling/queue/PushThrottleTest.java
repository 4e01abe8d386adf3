package ablak.signaling.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wallboard's push throttle, on a clock and timers of the test's own: which change is pushed when. */
class PushThrottleTest {

  private static final long INTERVAL = 1000;

  private long now = 10_000;
  private final List<Long> pushes = new ArrayList<>();
  /** Scheduled tasks: due time and task, run by {@link #advanceTo}. */
  private final List<Object[]> timers = new ArrayList<>();
  private final PushThrottle throttle = new PushThrottle(INTERVAL, () -> now,
      (delay, task) -> timers.add(new Object[] {now + delay, task}), () -> pushes.add(now));

  @Test
  void aChangeAfterAQuietIntervalIsPushedAtOnce() {
    throttle.changed();

    assertThat(pushes).containsExactly(10_000L);
    assertThat(timers).isEmpty();
  }

  @Test
  void aChangeWithinTheIntervalIsPushedWhenTheIntervalEndsNotAtALaterTick() {
    throttle.changed();
    advanceTo(10_300);
    throttle.changed();
    advanceTo(10_700);
    throttle.changed();

    assertThat(timers).hasSize(1);
    advanceTo(12_000);

    // One push for both changes, one interval after the first push: the change at 10,300 waited 700 ms.
    assertThat(pushes).containsExactly(10_000L, 11_000L);
  }

  @Test
  void underContinuousChangeEveryChangeIsPushedWithinOneInterval() {
    List<Long> changes = new ArrayList<>();
    for (long t = 10_000; t < 20_000; t += 130) {
      advanceTo(t);
      throttle.changed();
      changes.add(t);
    }
    advanceTo(30_000);

    for (long change : changes) {
      long pushedAt = pushes.stream().filter(p -> p >= change).findFirst().orElseThrow();
      assertThat(pushedAt - change).isLessThanOrEqualTo(INTERVAL);
    }
    for (int i = 1; i < pushes.size(); i++) {
      assertThat(pushes.get(i) - pushes.get(i - 1)).isGreaterThanOrEqualTo(INTERVAL);
    }
  }

  @Test
  void aRefreshPushesOnlyAnOldBoardWithNothingDue() {
    throttle.changed();
    advanceTo(14_000);
    throttle.refreshIfOlderThan(5000);
    assertThat(pushes).containsExactly(10_000L);

    advanceTo(15_000);
    throttle.refreshIfOlderThan(5000);
    assertThat(pushes).containsExactly(10_000L, 15_000L);

    advanceTo(15_500);
    throttle.changed();
    advanceTo(15_800);
    // The change's own push is due at 16,000; a refresh meanwhile does not add one before it.
    throttle.refreshIfOlderThan(0);
    advanceTo(20_500);
    assertThat(pushes).containsExactly(10_000L, 15_000L, 16_000L);
  }

  /** Moves the clock, running the timers that fall due on the way, in order. */
  private void advanceTo(long time) {
    while (true) {
      Object[] next = timers.stream().filter(timer -> (long) timer[0] <= time)
          .min((a, b) -> Long.compare((long) a[0], (long) b[0])).orElse(null);
      if (next == null) {
        break;
      }
      timers.remove(next);
      now = (long) next[0];
      ((Runnable) next[1]).run();
    }
    now = time;
  }
}
