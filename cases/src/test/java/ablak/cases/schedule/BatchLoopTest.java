package ablak.cases.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.cases.Await;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BatchLoopTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final Vertx vertx = Vertx.vertx();
    /** Each batch the loop ran, completed by the test. */
    private final List<Promise<Integer>> batches = new ArrayList<>();
    private BatchLoop loop;
    private Context context;

    @AfterEach
    void close() {
        Await.result(vertx.close());
    }

    @Test
    void aBurstOfWakesRunsOneBatch() {
        start(10);

        onContext(() -> {
            for (int i = 0; i < 100; i++) {
                loop.wake();
            }
        });
        Await.until("the burst's batch runs", DEADLINE, () -> batchCount() == 1);
        finish(0, 3);
        Await.until("the loop is idle", DEADLINE, this::idle);

        assertThat(batchCount()).isEqualTo(1);
    }

    @Test
    void wakesDuringABatchRunOneMoreAndAFullBatchIsFollowedAtOnce() {
        start(10);
        onContext(loop::wake);
        Await.until("the first batch runs", DEADLINE, () -> batchCount() == 1);

        onContext(() -> {
            loop.wake();
            loop.wake();
        });
        finish(0, 10); // full: there may be more, so the next starts at once
        Await.until("a full batch is followed by another", DEADLINE, () -> batchCount() == 2);
        finish(1, 2);
        Await.until("the wakes during the batch run one more", DEADLINE, () -> batchCount() == 3);
        finish(2, 0);
        Await.until("the loop is idle", DEADLINE, this::idle);

        assertThat(batchCount()).isEqualTo(3);
    }

    private boolean idle() {
        Promise<Boolean> idle = Promise.promise();
        context.runOnContext(v -> idle.complete(loop.idle()));
        return Await.result(idle.future());
    }

    private void start(int batchSize) {
        context = vertx.getOrCreateContext();
        loop = new BatchLoop(vertx, "test batches", Duration.ofHours(1), batchSize, () -> {
            Promise<Integer> batch = Promise.promise();
            synchronized (batches) {
                batches.add(batch);
            }
            return batch.future();
        }, LoggerFactory.getLogger(BatchLoopTest.class));
        onContext(loop::start);
    }

    private void onContext(Runnable action) {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            action.run();
            done.complete();
        });
        Await.result(done.future());
    }

    private int batchCount() {
        synchronized (batches) {
            return batches.size();
        }
    }

    private void finish(int batch, int taken) {
        Promise<Integer> promise;
        synchronized (batches) {
            promise = batches.get(batch);
        }
        onContext(() -> promise.complete(taken));
    }
}
