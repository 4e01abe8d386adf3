package ablak.cases;

import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL pools whose waiting is bounded, for the modules that share the cases database. Vert.x's
 * defaults let any number of requests wait 30 s each for a connection: after a stall, a pool then
 * works off a backlog of requests whose clients (10 s) have given up, and answers new ones only after
 * it (docs/performance.md, cause 14). Here a request waits for a connection at most
 * {@code connectionTimeout}, behind at most {@code waitQueueSize} others, and is refused otherwise
 * before anything is sent to PostgreSQL: {@link #isBusy} tells such a refusal from other failures.
 */
public final class ConnectionPools {

    private ConnectionPools() {
    }

    /** {@code name} labels the pool's Vert.x metrics ({@code vertx_pool_queue_pending{pool_name="cases"}}, ...). */
    public static Pool bounded(Vertx vertx, String name, PgConnectOptions database, int size, int waitQueueSize,
                               Duration connectionTimeout) {
        return PgBuilder.pool()
                .with(new PoolOptions().setName(name).setMaxSize(size).setMaxWaitQueueSize(waitQueueSize)
                        .setConnectionTimeout((int) connectionTimeout.toMillis())
                        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
                .connectingTo(database)
                .using(vertx)
                .build();
    }

    /**
     * Whether {@code failure} is a bounded pool refusing a request: its wait queue was full, or no
     * connection came free within the connection timeout. Nothing of the request reached PostgreSQL.
     */
    public static boolean isBusy(Throwable failure) {
        if (failure instanceof ConnectionPoolTooBusyException) {
            return true;
        }
        // Vert.x 5 fails a timed-out wait with a bare throwable of fixed text: "Timeout" for a connection
        // asked for (withConnection, withTransaction), "Timeout waiting for connection" for a statement sent
        // to the pool itself. ConnectionPoolsTest pins both against the Vert.x in use.
        String message = failure == null ? null : failure.getMessage();
        return failure instanceof io.vertx.core.impl.NoStackTraceThrowable && "Timeout".equals(message)
                || failure instanceof io.vertx.core.VertxException && "Timeout waiting for connection".equals(message);
    }
}
