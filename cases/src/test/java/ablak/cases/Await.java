package ablak.cases;

import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests: on a future, or on a condition with a deadline (never a fixed sleep). */
public final class Await {

    private Await() {
    }

    public static <T> T result(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError("no result in 30 s", e);
        }
    }

    /** The failure of a future that must fail. */
    public static Throwable failure(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("no outcome in 30 s", e);
        }
        throw new AssertionError("expected a failure, got success");
    }

    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        Instant end = Instant.now().plus(deadline);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Polls {@code value} until {@code accept} holds, returning the accepted value. */
    public static <T> T until(String what, Duration deadline, Supplier<T> value, java.util.function.Predicate<T> accept) {
        Object[] last = new Object[1];
        until(what, deadline, () -> {
            T v = value.get();
            last[0] = v;
            return accept.test(v);
        });
        @SuppressWarnings("unchecked")
        T result = (T) last[0];
        return result;
    }
}
