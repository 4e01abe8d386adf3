package ablak.cases.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The append-only audit trail: who read or changed what, when and why. An append only inserts the
 * event, in the caller's transaction; once committed, an {@link AuditChainer} links it into the hash
 * chain ({@code cases.audit_chain}), hash = SHA-256(previous hash || canonical event), so changing,
 * inserting or removing an event or a link breaks every later link; {@link #verify()} finds the first.
 */
public final class AuditTrail {

    static final String GENESIS = "0".repeat(64);
    /** How long a committed event may wait for its link before {@link #verify()} calls it an error. */
    static final Duration CHAIN_GRACE = Duration.ofMinutes(1);
    private static final int VERIFY_PAGE = 1000;

    // Inserts only: no lock that another request's append could wait for. The marker tells the chainer
    // which events to link without searching the whole trail.
    private static final String APPEND = """
            with event as (
                insert into cases.audit_event (at, actor_id, actor_role, action, subject_kind, subject_id, reason, detail)
                values ($1, $2, $3, $4, $5, $6, $7, $8)
                returning seq)
            insert into cases.audit_unchained (seq) select seq from event""";

    // The same two inserts as clauses of a caller's statement; the event is recorded only if the change returned a row.
    private static final String APPEND_CLAUSES = """
            event as (
                insert into cases.audit_event (at, actor_id, actor_role, action, subject_kind, subject_id, reason, detail)
                select $%1$d::timestamptz, $%2$d::text, $%3$d::text, $%4$d::text, $%5$d::text, $%6$d::text, $%7$d::text, $%8$d::text
                 where exists (select from change)
                returning seq),
            marker as (
                insert into cases.audit_unchained (seq) select seq from event)
            """;

    private static final String LINKS = """
            select c.position, c.event_seq, c.prev_hash, c.hash, e.*
              from cases.audit_chain c left join cases.audit_event e on e.seq = c.event_seq
             where c.position > $1 and c.position <= $2
             order by c.position
             limit""" + " " + VERIFY_PAGE;

    // Verification time only: a full scan, which the chainer avoids through audit_unchained.
    private static final String UNLINKED = """
            select min(seq) filter (where at < now() - make_interval(secs => $1)) as first_overdue,
                   count(*) filter (where at >= now() - make_interval(secs => $1)) as pending
              from cases.audit_event e
             where not exists (select 1 from cases.audit_chain c where c.event_seq = e.seq)""";

    private final Pool pool;
    private final Runnable committed;

    /** A trail whose events are linked by a chainer running elsewhere, at its own pace. */
    public AuditTrail(Pool pool) {
        this(pool, () -> {
        });
    }

    /** A trail that calls {@code committed} (e.g. {@link AuditChainer#wake()}) after each append commits. */
    public AuditTrail(Pool pool, Runnable committed) {
        this.pool = pool;
        this.committed = committed;
    }

    /** Appends in its own transaction (for reads, which change nothing else). */
    public Future<Void> append(AuditEntry entry) {
        return pool.withTransaction(connection -> append(connection, entry));
    }

    /** Appends inside the caller's transaction, so the audit row commits or rolls back with the change it records. */
    public Future<Void> append(SqlClient connection, AuditEntry entry) {
        // Microseconds: what timestamptz keeps, so the chainer and verifier rebuild the very text that is hashed.
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String detail = entry.detail() == null ? "" : entry.detail();
        return connection.preparedQuery(APPEND)
                .execute(Tuple.of(at.atOffset(ZoneOffset.UTC), entry.actorId(), entry.actorRole(), entry.action(),
                        entry.subjectKind(), entry.subjectId(), entry.reason(), detail))
                .onSuccess(rows -> afterCommit(connection))
                .mapEmpty();
    }

    /**
     * Makes a change and records it in one statement: one round trip to PostgreSQL, and atomic without a
     * transaction, since a statement's data-modifying WITH clauses all take effect or none does.
     * {@code clauses} are the WITH clauses that make the change (without the WITH), one of them named
     * {@code change} (an INSERT, UPDATE or DELETE with RETURNING, or a SELECT ... FOR UPDATE), with the
     * parameters {@code $1..$n} of {@code parameters}; the event is recorded if {@code change} returned a
     * row, and the statement answers the rows it returned.
     */
    public Future<RowSet<Row>> appendWith(SqlClient client, String clauses, Tuple parameters, AuditEntry entry) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int first = parameters.size() + 1;
        Tuple all = Tuple.tuple();
        for (int i = 0; i < parameters.size(); i++) {
            all.addValue(parameters.getValue(i));
        }
        all.addValue(at.atOffset(ZoneOffset.UTC)).addValue(entry.actorId()).addValue(entry.actorRole())
                .addValue(entry.action()).addValue(entry.subjectKind()).addValue(entry.subjectId())
                .addValue(entry.reason()).addValue(entry.detail() == null ? "" : entry.detail());
        String sql = "with " + clauses + ",\n"
                + APPEND_CLAUSES.formatted(first, first + 1, first + 2, first + 3, first + 4, first + 5, first + 6, first + 7)
                + "select * from change";
        return client.preparedQuery(sql).execute(all).onSuccess(rows -> afterCommit(client));
    }

    private void afterCommit(SqlClient connection) {
        if (connection instanceof SqlConnection open && open.transaction() != null) {
            open.transaction().completion().onSuccess(v -> committed.run());
        } else {
            committed.run();
        }
    }

    /** A subject's events in seq order; {@code prevHash} and {@code hash} are null until the event is linked. */
    public Future<List<AuditRecord>> forSubject(String subjectKind, String subjectId) {
        return pool.preparedQuery("""
                        select e.*, c.prev_hash, c.hash
                          from cases.audit_event e left join cases.audit_chain c on c.event_seq = e.seq
                         where e.subject_kind = $1 and e.subject_id = $2
                         order by e.seq""")
                .execute(Tuple.of(subjectKind, subjectId))
                .map(rows -> {
                    List<AuditRecord> records = new ArrayList<>();
                    rows.forEach(row -> records.add(new AuditRecord(row.getLong("seq"), at(row), entry(row),
                            row.getString("prev_hash"), row.getString("hash"))));
                    return records;
                });
    }

    /**
     * Walks the chain in order and checks every link and the event it covers, that the head points at
     * the last link, and that no event committed more than {@link #CHAIN_GRACE} ago is left unlinked;
     * younger unlinked events are counted as pending.
     */
    public Future<ChainVerification> verify() {
        // The head first: links chainers add during the walk lie beyond it and wait for the next verification.
        return pool.query("select position, hash from cases.audit_head").execute().compose(rows -> {
            Row head = rows.iterator().next();
            return verifyFrom(new Head(head.getLong("position"), head.getString("hash")), 0, GENESIS, 0);
        });
    }

    private record Head(long position, String hash) {
    }

    private Future<ChainVerification> verifyFrom(Head head, long afterPosition, String previousHash, long checked) {
        return pool.preparedQuery(LINKS)
                .execute(Tuple.of(afterPosition, head.position()))
                .compose(rows -> {
                    String previous = previousHash;
                    long position = afterPosition;
                    long count = checked;
                    for (Row row : rows) {
                        count++;
                        String problem = problem(row, position + 1, previous);
                        if (problem != null) {
                            return Future.succeededFuture(new ChainVerification(false, count, row.getLong("event_seq"),
                                    problem, null, 0));
                        }
                        previous = row.getString("hash");
                        position = row.getLong("position");
                    }
                    if (rows.size() == VERIFY_PAGE) {
                        return verifyFrom(head, position, previous, count);
                    }
                    if (position != head.position() || !previous.equals(head.hash())) {
                        return Future.succeededFuture(new ChainVerification(false, count, null,
                                "the chain head points past the last link: links at the end were removed", previous, 0));
                    }
                    return unlinked(previous, count);
                });
    }

    private static String problem(Row link, long expectedPosition, String previousHash) {
        if (link.getLong("position") != expectedPosition) {
            return "link " + expectedPosition + " is missing: a link was removed";
        }
        if (link.getLong("seq") == null) {
            return "the event this link covers is missing: the event was removed";
        }
        if (!link.getString("prev_hash").equals(previousHash)) {
            return "prev_hash does not match the hash of the link before: a link was removed, inserted or changed";
        }
        if (!hash(previousHash, canonical(at(link), entry(link))).equals(link.getString("hash"))) {
            return "hash does not match the event's content: the event was changed";
        }
        return null;
    }

    private Future<ChainVerification> unlinked(String headHash, long checked) {
        return pool.preparedQuery(UNLINKED).execute(Tuple.of(CHAIN_GRACE.toSeconds())).map(rows -> {
            Row row = rows.iterator().next();
            Long overdue = row.getLong("first_overdue");
            long pending = row.getLong("pending");
            return overdue == null
                    ? new ChainVerification(true, checked, null, null, headHash, pending)
                    : new ChainVerification(false, checked, overdue,
                    "event not chained: committed over " + CHAIN_GRACE.toSeconds() + " s ago and still has no link",
                    headHash, pending);
        });
    }

    static Instant at(Row event) {
        return event.getOffsetDateTime("at").toInstant();
    }

    static AuditEntry entry(Row event) {
        return new AuditEntry(event.getString("actor_id"), event.getString("actor_role"), event.getString("action"),
                event.getString("subject_kind"), event.getString("subject_id"), event.getString("reason"),
                event.getString("detail"));
    }

    /** The text an event's hash covers: every field, length-prefixed so no two events encode alike. */
    static String canonical(Instant at, AuditEntry entry) {
        StringBuilder text = new StringBuilder();
        for (String field : new String[]{at.toString(), entry.actorId(), entry.actorRole(), entry.action(),
                entry.subjectKind(), entry.subjectId(), entry.reason(), entry.detail()}) {
            text.append(field.length()).append(':').append(field).append(';');
        }
        return text.toString();
    }

    static String hash(String previousHash, String canonical) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest((previousHash + canonical).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
