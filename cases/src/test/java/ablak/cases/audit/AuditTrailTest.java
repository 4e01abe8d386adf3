package ablak.cases.audit;

import ablak.cases.Await;
import ablak.cases.Cases;
import ablak.cases.CasesException;
import ablak.cases.Harness;
import ablak.cases.TestDatabase;
import ablak.cases.access.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditTrailTest {

    private Harness harness;
    private Cases node;
    private final Vertx vertx = Vertx.vertx();
    private Pool pool;

    @BeforeEach
    void start() {
        harness = new Harness();
        node = harness.node(harness.settings().withRelayEnabled(false));
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(harness.database.connectOptions())
                .using(vertx).build();
    }

    @AfterEach
    void close() throws Exception {
        Await.result(pool.close());
        Await.result(vertx.close());
        harness.close();
    }

    @Test
    void everyStepOfACaseIsRecordedWithWhoWhatAndWhy() {
        UUID id = Harness.submitted(node).caseView().id();
        Await.result(node.cases().get(Principal.auditor("auditor-1", "en"), id, "annual review 2026"));

        List<AuditRecord> trail = Await.result(node.audit().forSubject("case", id.toString()));

        assertThat(trail).extracting(r -> r.entry().action()).containsExactly(
                "case.draft.start", "case.assign", "case.draft.save", "case.confirm", "case.submit", "case.read");
        assertThat(trail.get(5).entry()).satisfies(e -> {
            assertThat(e.actorId()).isEqualTo("auditor-1");
            assertThat(e.actorRole()).isEqualTo("AUDITOR");
            assertThat(e.reason()).isEqualTo("annual review 2026");
        });
        assertThat(trail.get(4).entry().detail()).startsWith("caseNumber=ABL-");
    }

    @Test
    void anUntouchedChainVerifies() {
        Harness.submitted(node);
        Harness.submitted(node);
        chainAll();

        ChainVerification result = Await.result(node.audit().verify());

        assertThat(result.intact()).isTrue();
        assertThat(result.rowsChecked()).isEqualTo(10);
        assertThat(result.pendingEvents()).isZero();
        assertThat(result.headHash()).hasSize(64);
        assertThat(Await.result(node.audit().forSubject("case", Harness.submitted(node).caseView().id().toString())))
                .hasSize(5);
    }

    @Test
    void theNodeLinksWhatItAppendsWithoutBeingAsked() {
        Harness.submitted(node);

        ChainVerification result = Await.until("the node has linked its events", Duration.ofSeconds(20),
                () -> Await.result(node.audit().verify()), verification -> verification.rowsChecked() == 5);

        assertThat(result.intact()).isTrue();
        assertThat(result.pendingEvents()).isZero();
    }

    @Test
    void theDatabaseRefusesToChangeOrDeleteAuditRowsAndLinks() {
        Harness.submitted(node);
        chainAll();

        assertThatThrownBy(() -> sql("update cases.audit_event set reason = 'nothing to see' where seq = 2"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql("delete from cases.audit_event where seq = 2"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql("update cases.audit_chain set hash = 'x' where position = 2"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql("delete from cases.audit_chain where position = 2"))
                .hasMessageContaining("append-only");
    }

    @Test
    void aRowChangedBehindTheTriggersBackIsDetected() throws SQLException {
        Harness.submitted(node);
        Harness.submitted(node);
        chainAll();

        sql("alter table cases.audit_event disable trigger audit_event_append_only;"
                + "update cases.audit_event set actor_id = 'someone-else' where seq = 3");
        ChainVerification result = Await.result(node.audit().verify());

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSeq()).isEqualTo(3L);
        assertThat(result.problem()).contains("content");
    }

    @Test
    void theVerifyCommandExitsNonZeroOnceTheChainIsTamperedWith() throws SQLException {
        Harness.submitted(node);
        chainAll();
        String url = "postgresql://postgres@127.0.0.1:" + harness.database.connectOptions().getPort() + "/"
                + harness.database.connectOptions().getDatabase();
        var output = new java.io.ByteArrayOutputStream();

        int intact = VerifyAuditChain.run(url, new java.io.PrintStream(output, true));
        sql("alter table cases.audit_event disable trigger audit_event_append_only;"
                + "update cases.audit_event set reason = 'routine' where seq = 4");
        int tampered = VerifyAuditChain.run(url, new java.io.PrintStream(output, true));

        assertThat(intact).isZero();
        assertThat(tampered).isEqualTo(1);
        assertThat(output.toString()).contains("audit chain intact: 5 rows").contains("BROKEN at seq 4");
    }

    @Test
    void aRemovedEventIsDetected() throws SQLException {
        Harness.submitted(node);
        chainAll();

        sql("alter table cases.audit_event disable trigger audit_event_append_only;"
                + "delete from cases.audit_event where seq = 2");
        ChainVerification result = Await.result(node.audit().verify());

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSeq()).isEqualTo(2L);
        assertThat(result.problem()).contains("event was removed");
    }

    @Test
    void aRemovedLinkIsDetected() throws SQLException {
        Harness.submitted(node);
        chainAll();

        sql("alter table cases.audit_chain disable trigger audit_chain_append_only;"
                + "delete from cases.audit_chain where position = 2");
        ChainVerification result = Await.result(node.audit().verify());

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSeq()).isEqualTo(3L);
        assertThat(result.problem()).contains("link was removed");
    }

    @Test
    void aTruncatedTailIsDetectedByTheChainHead() throws SQLException {
        Harness.submitted(node);
        chainAll();

        sql("alter table cases.audit_chain disable trigger audit_chain_append_only;"
                + "delete from cases.audit_chain where position = (select max(position) from cases.audit_chain)");
        ChainVerification result = Await.result(node.audit().verify());

        assertThat(result.intact()).isFalse();
        assertThat(result.problem()).contains("removed");
    }

    @Test
    void anEventLeftUnlinkedIsPendingForAMinuteThenAnError() throws SQLException {
        Harness.submitted(node);
        chainAll();
        // Written past the trail, so no chainer will ever link them.
        sql("insert into cases.audit_event (at, actor_id, actor_role, action, subject_kind, subject_id, reason, detail)"
                + " values (now(), 'clerk-1', 'CLERK', 'case.read', 'case', 'c-1', 'call 1', '')");

        ChainVerification recent = Await.result(node.audit().verify());
        sql("insert into cases.audit_event (at, actor_id, actor_role, action, subject_kind, subject_id, reason, detail)"
                + " values (now() - interval '2 minutes', 'clerk-1', 'CLERK', 'case.read', 'case', 'c-2', 'call 2', '')");
        ChainVerification overdue = Await.result(node.audit().verify());

        assertThat(recent.intact()).isTrue();
        assertThat(recent.pendingEvents()).isEqualTo(1);
        assertThat(overdue.intact()).isFalse();
        assertThat(overdue.firstBrokenSeq()).isEqualTo(7L);
        assertThat(overdue.problem()).contains("event not chained");
    }

    @Test
    void concurrentAppendsFromManyTransactionsOnSeveralNodesFormOneChainWithEveryEvent() throws SQLException {
        Cases other = harness.node(harness.settings().withRelayEnabled(false));
        List<Future<Void>> appends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Cases on = i % 2 == 0 ? node : other;
            appends.add(on.audit().append(new AuditEntry("clerk-" + i, "CLERK", "recording.play", "recording", "r-" + i,
                    "quality check", "")));
        }
        Await.result(Future.all(appends));
        chainAll();

        ChainVerification result = Await.result(node.audit().verify());

        assertThat(result.intact()).isTrue();
        assertThat(result.rowsChecked()).isEqualTo(200);
        assertThat(count("select count(distinct event_seq) from cases.audit_chain")).isEqualTo(200);
    }

    @Test
    void twoChainersAtOnceBuildOneValidChain() throws SQLException {
        backlog(1000);
        Pool otherPool = PgBuilder.pool().connectingTo(harness.database.connectOptions()).using(vertx).build();
        AuditChainer first = new AuditChainer(vertx, pool, Duration.ofHours(1), 40);
        AuditChainer second = new AuditChainer(vertx, otherPool, Duration.ofHours(1), 40);

        Await.result(Future.all(untilDone(first), untilDone(second)));
        ChainVerification result = Await.result(node.audit().verify());
        Await.result(otherPool.close());

        assertThat(result.intact()).isTrue();
        assertThat(result.rowsChecked()).isEqualTo(1000);
        assertThat(result.pendingEvents()).isZero();
    }

    @Test
    void verifyingWhileAChainerLinksFindsNoBreak() throws SQLException {
        backlog(1000);
        AuditChainer chainer = new AuditChainer(vertx, pool, Duration.ofHours(1), 40);

        Future<Void> linking = untilDone(chainer);
        List<ChainVerification> during = new ArrayList<>();
        do {
            during.add(Await.result(node.audit().verify()));
        } while (!linking.isComplete());

        assertThat(during).allSatisfy(result -> assertThat(result.intact()).as(result.problem()).isTrue());
        assertThat(Await.result(node.audit().verify()).rowsChecked()).isEqualTo(1000);
    }

    @Test
    void aRolledBackChangeLeavesNoAuditRow() throws SQLException {
        AuditEntry entry = new AuditEntry("clerk-1", "CLERK", "case.draft.save", "case", "c-1", "call 1", "");

        Await.failure(pool.withTransaction(connection -> node.audit().append(connection, entry)
                .compose(v -> Future.failedFuture("the change itself failed"))));
        chainAll();

        assertThat(Await.result(node.audit().forSubject("case", "c-1"))).isEmpty();
        assertThat(count("select count(*) from cases.audit_event")).isZero();
        assertThat(Await.result(node.audit().verify()).intact()).isTrue();
    }

    @Test
    void aDraftIsWrittenWithItsAuditEventWhichIsThenChained() throws SQLException {
        UUID id = Await.result(node.cases().startDraft("address-registration", "en", Harness.precallAnswers())).caseView().id();
        chainAll();

        assertThat(count("select count(*) from cases.case_file")).isEqualTo(1);
        assertThat(Await.result(node.audit().forSubject("case", id.toString()))).singleElement().satisfies(record -> {
            assertThat(record.entry().action()).isEqualTo("case.draft.start");
            assertThat(record.entry().detail()).isEqualTo("version=1");
            assertThat(record.hash()).hasSize(64);
        });
        assertThat(Await.result(node.audit().verify())).satisfies(v -> {
            assertThat(v.intact()).isTrue();
            assertThat(v.rowsChecked()).isEqualTo(1);
        });
    }

    @Test
    void aDraftWhoseAuditEventIsRefusedIsNotWrittenEither() throws SQLException {
        sql("""
                create function cases.refuse() returns trigger language plpgsql as $$
                begin raise exception 'refused for the test'; end $$;
                create trigger refuse before insert on cases.audit_event for each row execute function cases.refuse()""");

        Throwable failure = Await.failure(node.cases().startDraft("address-registration", "en", Harness.precallAnswers()));

        assertThat(failure).hasMessageContaining("refused for the test");
        assertThat(count("select count(*) from cases.case_file")).isZero();
        assertThat(count("select count(*) from cases.audit_unchained")).isZero();
    }

    @Test
    void aDraftThatIsRefusedLeavesNoAuditEvent() throws SQLException {
        sql("""
                create function cases.refuse() returns trigger language plpgsql as $$
                begin raise exception 'refused for the test'; end $$;
                create trigger refuse before insert on cases.case_file for each row execute function cases.refuse()""");

        Throwable failure = Await.failure(node.cases().startDraft("address-registration", "en", Harness.precallAnswers()));

        assertThat(failure).hasMessageContaining("refused for the test");
        assertThat(count("select count(*) from cases.audit_event")).isZero();
        assertThat(count("select count(*) from cases.audit_unchained")).isZero();
    }

    @Test
    void assigningAClerkTwiceKeepsOneHandlerAndRecordsBothAndAMissingCaseIsRefusedUnrecorded() throws SQLException {
        UUID id = Await.result(node.cases().startDraft("address-registration", "en", Harness.precallAnswers())).caseView().id();

        Await.result(node.cases().assignClerk(id, Harness.clerk(), "call 1"));
        Await.result(node.cases().assignClerk(id, Harness.clerk(), "call 1, again"));
        Throwable missing = Await.failure(node.cases().assignClerk(UUID.randomUUID(), Harness.clerk(), "call 2"));

        assertThat(missing).isInstanceOfSatisfying(CasesException.class, e -> assertThat(e.kind()).isEqualTo(CasesException.Kind.CASE_NOT_FOUND));
        assertThat(count("select count(*) from cases.case_handler")).isEqualTo(1);
        assertThat(Await.result(node.audit().forSubject("case", id.toString()))).extracting(r -> r.entry().action())
                .containsExactly("case.draft.start", "case.assign", "case.assign");
        assertThat(count("select count(*) from cases.audit_event")).isEqualTo(3);
    }

    @Test
    void aChangeInTheSameStatementThatChangedNothingIsNotRecorded() throws SQLException {
        AuditEntry entry = new AuditEntry("clerk-1", "CLERK", "case.draft.save", "case", "c-1", "call 1", "");

        var rows = Await.result(node.audit().appendWith(pool,
                "change as (update cases.case_file set version = version + 1 where id = $1 returning id)", Tuple.of(UUID.randomUUID()), entry));

        assertThat(rows.size()).isZero();
        assertThat(count("select count(*) from cases.audit_event")).isZero();
    }

    @Test
    void appendsInOpenTransactionsDoNotWaitForEachOtherNorForAChainer() {
        AuditEntry entry = new AuditEntry("clerk-1", "CLERK", "case.read", "case", "c-1", "call 1", "");
        SqlConnection first = Await.result(pool.getConnection());
        SqlConnection second = Await.result(pool.getConnection());
        SqlConnection chainer = Await.result(pool.getConnection());
        var firstTx = Await.result(first.begin());
        var secondTx = Await.result(second.begin());
        var chainerTx = Await.result(chainer.begin());

        // The old trail locked the chain head here: the second append waited for the first commit.
        Await.result(chainer.query("select * from cases.audit_head for update").execute());
        Await.result(node.audit().append(first, entry));
        Await.result(node.audit().append(second, entry));
        Await.result(node.audit().append(entry));
        Await.result(secondTx.commit());
        Await.result(firstTx.commit());
        Await.result(chainerTx.commit());
        Await.result(Future.join(first.close(), second.close(), chainer.close()));
        chainAll();

        assertThat(Await.result(node.audit().verify()).rowsChecked()).isEqualTo(3);
    }

    @Test
    void anEventCommittedLateIsLinkedAfterLaterSeqs() {
        AuditEntry early = new AuditEntry("clerk-1", "CLERK", "case.read", "case", "c-early", "call 1", "");
        AuditEntry late = new AuditEntry("clerk-1", "CLERK", "case.read", "case", "c-late", "call 1", "");
        SqlConnection slow = Await.result(pool.getConnection());
        var slowTx = Await.result(slow.begin());

        Await.result(node.audit().append(slow, early));
        Await.result(node.audit().append(late));
        chainAll();
        Await.result(slowTx.commit());
        Await.result(slow.close());
        chainAll();

        long earlySeq = Await.result(node.audit().forSubject("case", "c-early")).get(0).seq();
        long lateSeq = Await.result(node.audit().forSubject("case", "c-late")).get(0).seq();
        assertThat(earlySeq).isLessThan(lateSeq);
        assertThat(Await.result(pool.query("select event_seq from cases.audit_chain order by position").execute()))
                .extracting(row -> row.getLong(0)).containsExactly(lateSeq, earlySeq);
        assertThat(Await.result(node.audit().verify()).intact()).isTrue();
    }

    @Test
    void aChainerPassReadsItsEventsByKeyNotByScanningTheWholeTrail() {
        Await.result(pool.query("""
                insert into cases.audit_event (at, actor_id, actor_role, action, subject_kind, subject_id, reason, detail)
                select now(), 'clerk-1', 'CLERK', 'case.read', 'case', 'c-' || i, 'call', ''
                  from generate_series(1, 20000) i""").execute());
        Await.result(pool.query("analyze cases.audit_event").execute());

        // The plan a pool connection settles on after a few passes: the generic one, for any batch.
        String plan = Await.result(pool.withConnection(connection -> connection.query("set plan_cache_mode = force_generic_plan").execute()
                .compose(v -> connection.query("prepare pass_read(bigint[]) as " + AuditChainer.READ.replace("$1", "$1::bigint[]")).execute())
                .compose(v -> connection.query("explain execute pass_read('{1,2,3}')").execute())
                .map(rows -> {
                    StringBuilder text = new StringBuilder();
                    rows.forEach(row -> text.append(row.getString(0)).append('\n'));
                    return text.toString();
                })));

        assertThat(plan).contains("audit_event_pkey").doesNotContain("Seq Scan");
    }

    @Test
    void eventsWrittenByTheOldHeadLockingTrailStillVerifyAfterTheMigration() throws SQLException {
        TestDatabase database = TestDatabase.onSharedServerAt("1");
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), "postgres", "")) {
            for (int i = 0; i < 3; i++) {
                appendTheOldWay(connection, new AuditEntry("clerk-" + i, "CLERK", "case.read", "case", "c-" + i,
                        "call " + i, ""));
            }
        }
        database.migrate();
        Pool migrated = PgBuilder.pool().connectingTo(database.connectOptions()).using(vertx).build();
        AuditTrail trail = new AuditTrail(migrated);
        try {
            Await.result(trail.append(new AuditEntry("clerk-9", "CLERK", "case.read", "case", "c-9", "call 9", "")));
            Await.result(new AuditChainer(vertx, migrated, Duration.ofHours(1), 500).runOnce());

            ChainVerification result = Await.result(trail.verify());

            assertThat(result.intact()).isTrue();
            assertThat(result.rowsChecked()).isEqualTo(4);
            assertThat(Await.result(trail.forSubject("case", "c-0")).get(0).prevHash()).isEqualTo(AuditTrail.GENESIS);
        } finally {
            Await.result(migrated.close());
            database.close();
        }
    }

    /** The append of migration 1's trail, kept to write rows as old installations hold them. */
    private static void appendTheOldWay(Connection connection, AuditEntry entry) throws SQLException {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (var statement = connection.prepareStatement("""
                with head as (
                    update cases.audit_head
                       set prev_hash = hash,
                           hash = encode(sha256(convert_to(hash || ?, 'UTF8')), 'hex')
                    returning prev_hash, hash)
                insert into cases.audit_event (at, actor_id, actor_role, action, subject_kind, subject_id, reason, detail,
                                               prev_hash, hash)
                select ?, ?, ?, ?, ?, ?, ?, ?, head.prev_hash, head.hash from head""")) {
            statement.setString(1, AuditTrail.canonical(at, entry));
            statement.setObject(2, at.atOffset(ZoneOffset.UTC));
            String[] fields = {entry.actorId(), entry.actorRole(), entry.action(), entry.subjectKind(), entry.subjectId(),
                    entry.reason(), entry.detail()};
            for (int i = 0; i < fields.length; i++) {
                statement.setString(3 + i, fields[i]);
            }
            statement.executeUpdate();
        }
    }

    /** Links every committed event; a node's own chainer may be linking some at the same time. */
    private void chainAll() {
        AuditChainer chainer = new AuditChainer(vertx, pool, Duration.ofHours(1), 500);
        while (Await.result(chainer.runOnce()) > 0) {
            // another batch
        }
    }

    /** Committed events waiting for their links, written past the trail so no node wakes for them. */
    private void backlog(int events) throws SQLException {
        sql("insert into cases.audit_event (at, actor_id, actor_role, action, subject_kind, subject_id, reason, detail)"
                + " select now(), 'clerk-' || i, 'CLERK', 'case.read', 'case', 'c-' || i, 'call ' || i, ''"
                + " from generate_series(1, " + events + ") i;"
                + "insert into cases.audit_unchained (seq) select seq from cases.audit_event");
    }

    private static Future<Void> untilDone(AuditChainer chainer) {
        return chainer.runOnce().compose(linked -> linked > 0 ? untilDone(chainer) : Future.succeededFuture());
    }

    private long count(String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection(harness.database.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void sql(String statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(harness.database.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(statements);
        }
    }
}
