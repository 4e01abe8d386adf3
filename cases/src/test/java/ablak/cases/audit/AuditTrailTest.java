package ablak.cases.audit;

import ablak.cases.Await;
import ablak.cases.Cases;
import ablak.cases.Harness;
import ablak.cases.access.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditTrailTest {

    private Harness harness;
    private Cases node;

    @BeforeEach
    void start() {
        harness = new Harness();
        node = harness.node(harness.settings().withRelayEnabled(false));
    }

    @AfterEach
    void close() throws Exception {
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

        ChainVerification result = Await.result(node.audit().verify());

        assertThat(result.intact()).isTrue();
        assertThat(result.rowsChecked()).isEqualTo(10);
        assertThat(result.headHash()).hasSize(64);
    }

    @Test
    void theDatabaseRefusesToChangeOrDeleteAuditRows() {
        Harness.submitted(node);

        assertThatThrownBy(() -> sql("update cases.audit_event set reason = 'nothing to see' where seq = 2"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql("delete from cases.audit_event where seq = 2"))
                .hasMessageContaining("append-only");
    }

    @Test
    void aRowChangedBehindTheTriggersBackIsDetected() throws SQLException {
        Harness.submitted(node);
        Harness.submitted(node);

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
    void aRemovedRowIsDetected() throws SQLException {
        Harness.submitted(node);

        sql("alter table cases.audit_event disable trigger audit_event_append_only;"
                + "delete from cases.audit_event where seq = 2");
        ChainVerification result = Await.result(node.audit().verify());

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSeq()).isEqualTo(3L);
    }

    @Test
    void aTruncatedTailIsDetectedByTheChainHead() throws SQLException {
        Harness.submitted(node);

        sql("alter table cases.audit_event disable trigger audit_event_append_only;"
                + "delete from cases.audit_event where seq = (select max(seq) from cases.audit_event)");
        ChainVerification result = Await.result(node.audit().verify());

        assertThat(result.intact()).isFalse();
        assertThat(result.problem()).contains("removed");
    }

    @Test
    void concurrentAppendsFromSeveralNodesFormOneChain() {
        Cases other = harness.node(harness.settings().withRelayEnabled(false));
        var appends = new java.util.ArrayList<io.vertx.core.Future<Void>>();
        for (int i = 0; i < 50; i++) {
            Cases on = i % 2 == 0 ? node : other;
            appends.add(on.audit().append(new AuditEntry("clerk-" + i, "CLERK", "recording.play", "recording", "r-" + i,
                    "quality check", "")));
        }
        Await.result(io.vertx.core.Future.all(appends));

        ChainVerification result = Await.result(node.audit().verify());

        assertThat(result.intact()).isTrue();
        assertThat(result.rowsChecked()).isEqualTo(50);
    }

    private void sql(String statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(harness.database.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(statements);
        }
    }
}
