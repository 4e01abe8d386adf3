package ablak.cases;

import ablak.cases.audit.AuditTrail;
import ablak.cases.catalogue.CatalogueLoader;
import ablak.cases.lifecycle.CaseService;
import ablak.cases.lifecycle.DraftStarted;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stall made on purpose: every connection of a bounded pool is held, as by requests stuck behind a
 * stalled event loop, while drafts keep arriving against the real PostgreSQL.
 */
class ConnectionPoolsTest {

    private final TestDatabase database = TestDatabase.onSharedServer();
    private final Vertx vertx = Vertx.vertx();
    private final List<Pool> pools = new ArrayList<>();

    @AfterEach
    void close() {
        pools.forEach(pool -> Await.result(pool.close()));
        Await.result(vertx.close());
        database.close();
    }

    @Test
    void onceTheWaitQueueIsFullAFurtherDraftIsRefusedAtOnceAndWritesNothing() throws SQLException {
        Pool pool = pool(2, 3, Duration.ofMinutes(2));
        CaseService cases = cases(pool);
        List<SqlConnection> held = List.of(Await.result(pool.getConnection()), Await.result(pool.getConnection()));

        List<Future<DraftStarted>> drafts = IntStream.range(0, 5).mapToObj(i -> draft(cases)).toList();

        Await.until("two drafts were refused", Duration.ofSeconds(20), () -> failed(drafts).size() == 2);
        assertThat(failed(drafts)).allSatisfy(refusal -> {
            assertThat(refusal).isInstanceOf(ConnectionPoolTooBusyException.class);
            assertThat(ConnectionPools.isBusy(refusal)).isTrue();
        });
        assertThat(drafts).filteredOn(Future::isComplete).hasSize(2);
        assertThat(count("select count(*) from cases.case_file")).isZero();
        assertThat(count("select count(*) from cases.audit_event")).isZero();

        held.forEach(SqlConnection::close);

        assertThat(drafts).filteredOn(draft -> !draft.failed())
                .allSatisfy(draft -> assertThat(Await.result(draft).caseView().id()).isNotNull());
        Await.result(draft(cases));
        assertThat(count("select count(*) from cases.case_file")).isEqualTo(4);
        assertThat(count("select count(*) from cases.audit_event")).isEqualTo(4);
    }

    @Test
    void aDraftThatWaitedTheConnectionTimeoutIsRefusedAndWritesNothing() throws SQLException {
        Pool pool = pool(1, 10, Duration.ofMillis(200));
        CaseService cases = cases(pool);
        SqlConnection held = Await.result(pool.getConnection());

        Throwable draftRefused = Await.failure(draft(cases));
        Throwable queryRefused = Await.failure(pool.query("select 1").execute());

        assertThat(ConnectionPools.isBusy(draftRefused)).as(String.valueOf(draftRefused)).isTrue();
        assertThat(ConnectionPools.isBusy(queryRefused)).as(String.valueOf(queryRefused)).isTrue();
        assertThat(count("select count(*) from cases.case_file")).isZero();
        assertThat(count("select count(*) from cases.audit_event")).isZero();

        Await.result(held.close());

        Await.result(draft(cases));
        assertThat(count("select count(*) from cases.case_file")).isEqualTo(1);
    }

    @Test
    void otherFailuresAreNotBusy() {
        Pool pool = pool(1, 10, Duration.ofSeconds(10));

        Throwable failure = Await.failure(pool.query("select * from no_such_table").execute());

        assertThat(ConnectionPools.isBusy(failure)).isFalse();
        assertThat(ConnectionPools.isBusy(new IllegalStateException("Timeout"))).isFalse();
    }

    private Pool pool(int size, int waitQueueSize, Duration connectionTimeout) {
        Pool pool = ConnectionPools.bounded(vertx, "test", database.connectOptions(), size, waitQueueSize, connectionTimeout);
        pools.add(pool);
        return pool;
    }

    private static CaseService cases(Pool pool) {
        return new CaseService(pool, CatalogueLoader.bundled(), new AuditTrail(pool), CasesSettings.defaults(),
                new SimpleMeterRegistry(), () -> {
                });
    }

    private static Future<DraftStarted> draft(CaseService cases) {
        return cases.startDraft("address-registration", "en", Harness.precallAnswers());
    }

    private static List<Throwable> failed(List<Future<DraftStarted>> drafts) {
        return drafts.stream().filter(Future::failed).map(Future::cause).toList();
    }

    private long count(String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
