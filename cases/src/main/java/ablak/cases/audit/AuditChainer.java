package ablak.cases.audit;

import ablak.cases.schedule.BatchLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Links committed audit events into the hash chain, after the transactions that wrote them.
 * <p>
 * A pass is one transaction: lock the chain head, take up to a batch of unlinked events in seq order,
 * append a link for each, hash = SHA-256(previous hash || canonical event), and move the head. Any
 * number of nodes run a chainer; the head's row lock makes their passes take turns, and only chainers
 * ever wait for it, never a request. An event committed after a pass took its batch, even one with a
 * lower seq, goes into a later pass and gets a later position.
 */
public final class AuditChainer {

    private static final Logger LOG = LoggerFactory.getLogger(AuditChainer.class);

    // Deleting the markers in the pass's transaction: a pass that fails leaves them for the next one.
    private static final String TAKE = """
            delete from cases.audit_unchained
             where seq in (select seq from cases.audit_unchained order by seq limit $1)
            returning seq""";

    /**
     * The taken events by primary key. Joined to the deleting statement instead, the planner expected a
     * whole batch and hashed it against a scan of the entire trail: a pass linking one event read every
     * event ever written (most of PostgreSQL's time in a join burst of 13,000 events).
     */
    static final String READ = "select * from cases.audit_event where seq = any($1) order by seq";

    private static final String LINK = """
            with linked as (
                insert into cases.audit_chain (position, event_seq, prev_hash, hash)
                select * from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]))
            update cases.audit_head set position = $5, hash = $6""";

    private final Pool pool;
    private final int batchSize;
    private final BatchLoop loop;

    public AuditChainer(Vertx vertx, Pool pool, Duration interval, int batchSize) {
        this.pool = pool;
        this.batchSize = batchSize;
        this.loop = new BatchLoop(vertx, "audit chaining", interval, batchSize, this::runOnce, LOG);
    }

    /** Runs a pass every {@code interval} until {@link #stop()}, and whenever {@link #wake()} is called. */
    public void start() {
        loop.start();
    }

    /** Runs a pass soon (after a local append committed) rather than at the next tick. */
    public void wake() {
        loop.wake();
    }

    /** Stops; completes once the pass in flight, if any, has committed or rolled back. */
    public Future<Void> stop() {
        return loop.stop();
    }

    /** Links one batch of committed, unlinked events; completes with how many it linked. */
    public Future<Integer> runOnce() {
        return pool.withTransaction(connection -> connection.query("select position, hash from cases.audit_head for update")
                .execute()
                .compose(head -> {
                    Row row = head.iterator().next();
                    return connection.preparedQuery(TAKE).execute(Tuple.of(batchSize))
                            .compose(taken -> taken.size() == 0 ? Future.succeededFuture(0) : connection.preparedQuery(READ)
                                    .execute(Tuple.of(seqs(taken)))
                                    .compose(events -> link(connection, row.getLong("position"), row.getString("hash"),
                                            events)));
                }));
    }

    private static Long[] seqs(Iterable<Row> rows) {
        List<Long> seqs = new ArrayList<>();
        rows.forEach(row -> seqs.add(row.getLong("seq")));
        return seqs.toArray(Long[]::new);
    }

    private static Future<Integer> link(SqlConnection connection, long position, String hash, Iterable<Row> events) {
        List<Long> positions = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        List<String> prevHashes = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (Row row : events) {
            String next = AuditTrail.hash(hash, AuditTrail.canonical(AuditTrail.at(row), AuditTrail.entry(row)));
            positions.add(++position);
            seqs.add(row.getLong("seq"));
            prevHashes.add(hash);
            hashes.add(next);
            hash = next;
        }
        if (seqs.isEmpty()) {
            return Future.succeededFuture(0);
        }
        return connection.preparedQuery(LINK)
                .execute(Tuple.of(positions.toArray(Long[]::new), seqs.toArray(Long[]::new),
                        prevHashes.toArray(String[]::new), hashes.toArray(String[]::new), position, hash))
                .map(seqs.size());
    }
}
