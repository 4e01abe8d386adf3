package ablak.media.call;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** Waiting on a condition with a deadline, instead of sleeping a fixed time. */
final class Conditions {
    private Conditions() {
    }

    static void await(Duration deadline, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Waits until the counter has grown by {@code by}: media is flowing. */
    static void awaitGrowth(Duration deadline, LongSupplier counter, long by, String what) {
        long start = counter.getAsLong();
        await(deadline, what, () -> counter.getAsLong() >= start + by);
    }

    /** Waits until the counter stops moving: three reads 100 ms apart without change. */
    static void awaitStill(Duration deadline, LongSupplier counter) {
        long[] last = {counter.getAsLong(), 0};
        await(deadline, "forwarding stops", () -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long now = counter.getAsLong();
            last[1] = now == last[0] ? last[1] + 1 : 0;
            last[0] = now;
            return last[1] >= 3;
        });
    }
}
