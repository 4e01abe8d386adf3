package ablak.cases.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The append-only audit trail: who read or changed what, when and why. Each row carries the hash of
 * the row before it, hash = SHA-256(previous hash || canonical row), so changing, inserting or
 * removing a row in the middle breaks every later link; {@link #verify()} finds the first one.
 */
public final class AuditTrail {

    static final String GENESIS = "0".repeat(64);
    private static final int VERIFY_PAGE = 1000;

    // One statement: lock and advance the chain head, then append the row it describes. The head row
    // lock orders appends from every node; READ COMMITTED re-reads the head after the wait, so the
    // new hash always builds on the latest committed one.
    private static final String APPEND = """
            with head as (
                update cases.audit_head
                   set prev_hash = hash,
                       hash = encode(sha256(convert_to(hash || $8, 'UTF8')), 'hex')
                returning prev_hash, hash)
            insert into cases.audit_event (at, actor_id, actor_role, action, subject_kind, subject_id, reason, detail,
                                           prev_hash, hash)
            select $1, $2, $3, $4, $5, $6, $7, $9, head.prev_hash, head.hash from head""";

    private final Pool pool;

    public AuditTrail(Pool pool) {
        this.pool = pool;
    }

    /** Appends in its own transaction (for reads, which change nothing else). */
    public Future<Void> append(AuditEntry entry) {
        return pool.withTransaction(connection -> append(connection, entry));
    }

    /** Appends inside the caller's transaction, so the audit row commits or rolls back with the change it records. */
    public Future<Void> append(SqlClient connection, AuditEntry entry) {
        // Microseconds: what timestamptz keeps, so the verifier rebuilds the very text that was hashed.
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String detail = entry.detail() == null ? "" : entry.detail();
        AuditEntry stored = new AuditEntry(entry.actorId(), entry.actorRole(), entry.action(), entry.subjectKind(),
                entry.subjectId(), entry.reason(), detail);
        return connection.preparedQuery(APPEND)
                .execute(Tuple.of(at.atOffset(ZoneOffset.UTC), stored.actorId(), stored.actorRole(), stored.action(),
                        stored.subjectKind(), stored.subjectId(), stored.reason(), canonical(at, stored), detail))
                .mapEmpty();
    }

    public Future<List<AuditRecord>> forSubject(String subjectKind, String subjectId) {
        return pool.preparedQuery("select * from cases.audit_event where subject_kind = $1 and subject_id = $2 order by seq")
                .execute(Tuple.of(subjectKind, subjectId))
                .map(rows -> {
                    List<AuditRecord> records = new ArrayList<>();
                    rows.forEach(row -> records.add(record(row)));
                    return records;
                });
    }

    /** Reads the whole chain in order and checks every link, and that the head row points at the last row. */
    public Future<ChainVerification> verify() {
        return verifyFrom(0, GENESIS, 0);
    }

    private Future<ChainVerification> verifyFrom(long afterSeq, String previousHash, long checked) {
        return pool.preparedQuery("select * from cases.audit_event where seq > $1 order by seq limit " + VERIFY_PAGE)
                .execute(Tuple.of(afterSeq))
                .compose(rows -> {
                    String previous = previousHash;
                    long seq = afterSeq;
                    long count = checked;
                    for (Row row : rows) {
                        AuditRecord record = record(row);
                        count++;
                        if (!record.prevHash().equals(previous)) {
                            return Future.succeededFuture(new ChainVerification(false, count, record.seq(),
                                    "prev_hash does not match the hash of the row before: a row was removed, inserted or changed",
                                    null));
                        }
                        if (!hash(previous, canonical(record.at(), record.entry())).equals(record.hash())) {
                            return Future.succeededFuture(new ChainVerification(false, count, record.seq(),
                                    "hash does not match the row's content: the row was changed", null));
                        }
                        previous = record.hash();
                        seq = record.seq();
                    }
                    if (rows.size() == VERIFY_PAGE) {
                        return verifyFrom(seq, previous, count);
                    }
                    long lastSeq = seq;
                    String last = previous;
                    long total = count;
                    return pool.query("select hash from cases.audit_head").execute().map(head -> {
                        String headHash = head.iterator().next().getString("hash");
                        return headHash.equals(last)
                                ? new ChainVerification(true, total, null, null, last)
                                : new ChainVerification(false, total, lastSeq + 1,
                                "the chain head points past the last row: rows at the end were removed", last);
                    });
                });
    }

    private static AuditRecord record(Row row) {
        return new AuditRecord(row.getLong("seq"), row.getOffsetDateTime("at").toInstant(),
                new AuditEntry(row.getString("actor_id"), row.getString("actor_role"), row.getString("action"),
                        row.getString("subject_kind"), row.getString("subject_id"), row.getString("reason"),
                        row.getString("detail")),
                row.getString("prev_hash"), row.getString("hash"));
    }

    /** The text a row's hash covers: every field, length-prefixed so no two rows encode alike. */
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
