package ablak.cases.outbox;

import ablak.cases.Await;
import ablak.cases.Cases;
import ablak.cases.CasesException;
import ablak.cases.Harness;
import ablak.cases.access.Principal;
import ablak.cases.backoffice.reference.ReferenceBackOffice;
import ablak.cases.lifecycle.CaseView;
import ablak.cases.lifecycle.DeliveryStatus;
import ablak.cases.lifecycle.Submission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery to the back office when things break: the back office down, slow or refusing;
 * PostgreSQL restarted mid-delivery; a relay killed mid-send. Each time the citizen's case ends
 * up delivered once, and nothing is lost.
 */
class DeliveryFaultsTest {

    private Harness harness;

    @BeforeEach
    void start() {
        harness = new Harness();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void backOfficeDownIsRetriedUntilItRecoversThenDeliveredOnce() {
        Cases node = harness.node();
        harness.backOffice.failWith(503);

        Submission submission = Harness.submitted(node);
        UUID id = submission.caseView().id();
        Await.until("two failed attempts", Duration.ofSeconds(10), () -> harness.backOffice.requestsReceived() >= 2);
        CaseView retrying = caseOf(node, id);
        harness.backOffice.recover();

        assertThat(retrying.delivery().status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(retrying.delivery().problem()).contains("HTTP 503");
        CaseView delivered = awaitDelivery(node, id, DeliveryStatus.ACCEPTED);
        assertThat(delivered.delivery().attempts()).isGreaterThanOrEqualTo(3);
        assertThat(storedFor(id)).hasSize(1);
    }

    @Test
    void backOfficeSlowerThanTheTimeoutStoresTheCaseOnceAcrossRetries() {
        Cases node = harness.node();
        harness.backOffice.delay(Duration.ofMillis(2500)); // delivery timeout is 1.5 s

        Submission submission = Harness.submitted(node);
        UUID id = submission.caseView().id();
        Await.until("a repeated request", Duration.ofSeconds(15), () -> harness.backOffice.requestsReceived() >= 2);
        harness.backOffice.delay(Duration.ZERO);

        awaitDelivery(node, id, DeliveryStatus.ACCEPTED);
        assertThat(storedFor(id)).hasSize(1);
    }

    @Test
    void aRejectionIsFinalAndShownOnTheCase() {
        Cases node = harness.node();
        harness.backOffice.rejectAll(true);

        UUID id = Harness.submitted(node).caseView().id();

        CaseView rejected = awaitDelivery(node, id, DeliveryStatus.REJECTED);
        assertThat(rejected.delivery().problem()).contains("rejected by the back office's operator");
        assertThat(harness.backOffice.requestsReceived()).isEqualTo(1);
    }

    @Test
    void exhaustedRetriesLandInTheDeadLetterAndAnOperatorReplaysThem() {
        Cases node = harness.node();
        harness.backOffice.failWith(500);
        Principal operator = Principal.operator("ops-1", "en");

        UUID id = Harness.submitted(node).caseView().id();
        CaseView dead = awaitDelivery(node, id, DeliveryStatus.DEAD_LETTER);
        List<DeadLetter> letters = Await.result(node.deadLetters().list(operator, 10));
        harness.backOffice.recover();
        Await.result(node.deadLetters().replay(operator, letters.get(0).outboxId(), "back office fixed, ticket 4711"));

        assertThat(dead.delivery().attempts()).isEqualTo(5);
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.caseId()).isEqualTo(id);
            assertThat(letter.lastError()).contains("HTTP 500");
        });
        awaitDelivery(node, id, DeliveryStatus.ACCEPTED);
        assertThat(Await.result(node.deadLetters().list(operator, 10))).isEmpty();
        assertThat(Await.failure(node.deadLetters().list(Harness.clerk(), 10)))
                .isInstanceOfSatisfying(CasesException.class, e -> assertThat(e.kind()).isEqualTo(CasesException.Kind.FORBIDDEN));
    }

    @Test
    void postgresRestartedMidDeliveryStillDeliversOnce() throws Exception {
        harness.close();
        harness = Harness.withOwnDatabaseServer();
        Cases node = harness.node();
        harness.backOffice.delay(Duration.ofMillis(1000));
        List<ablak.cases.lifecycle.CaseChanged> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        node.changes().onChange(changes::add);

        UUID id = Harness.submitted(node).caseView().id();
        Await.until("the back office received the case", Duration.ofSeconds(10),
                () -> harness.backOffice.requestsReceived() >= 1);
        harness.database.stopServer();
        // The back office answers while the database is down: the relay cannot record the answer.
        Await.until("the back office answered", Duration.ofSeconds(10), () -> harness.backOffice.answersSent() >= 1);
        harness.database.startServer();
        harness.backOffice.delay(Duration.ZERO);

        awaitDelivery(node, id, DeliveryStatus.ACCEPTED);
        assertThat(harness.backOffice.requestsReceived()).isGreaterThanOrEqualTo(2);
        assertThat(storedFor(id)).hasSize(1);
        // Live updates resumed too: the listener reconnected and heard the acceptance.
        Await.until("the acceptance was pushed", Duration.ofSeconds(10), () -> changes.stream()
                .anyMatch(c -> c.caseId().equals(id) && c.deliveryStatus() == DeliveryStatus.ACCEPTED));
    }

    @Test
    void relayKilledMidSendIsTakenOverByAnotherNodeAndDeliveredOnce() {
        Cases doomed = harness.node();
        harness.backOffice.delay(Duration.ofMillis(1000));
        UUID id = Harness.submitted(doomed).caseView().id();
        Await.until("the back office received the case", Duration.ofSeconds(10),
                () -> harness.backOffice.requestsReceived() >= 1);

        harness.kill(doomed);
        harness.backOffice.delay(Duration.ZERO);
        Cases survivor = harness.node();

        CaseView delivered = awaitDelivery(survivor, id, DeliveryStatus.ACCEPTED);
        assertThat(delivered.caseNumber()).isEqualTo(storedFor(id).get(0).submission().getString("caseNumber"));
        assertThat(storedFor(id)).hasSize(1);
    }

    @Test
    void anAnswerArrivingAfterAnotherRelayTookTheRowOverIsNotRecorded() throws Exception {
        Cases late = harness.node(harness.settings().withRelayEnabled(false));
        UUID id = Harness.submitted(late).caseView().id();
        harness.backOffice.delay(Duration.ofMillis(1000));

        var sending = late.relay().runOnce();
        Await.until("the back office received the case", Duration.ofSeconds(10),
                () -> harness.backOffice.requestsReceived() >= 1);
        // As if this relay's lease had run out and another relay had claimed the row meanwhile.
        try (var connection = java.sql.DriverManager.getConnection(harness.database.jdbcUrl(), "postgres", "")) {
            connection.createStatement().execute("update cases.outbox set lease_token = gen_random_uuid()");
        }
        assertThat(Await.result(sending)).isEqualTo(1);

        CaseView afterLateAnswer = caseOf(late, id);
        assertThat(afterLateAnswer.delivery().status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(afterLateAnswer.delivery().attempts()).isZero();
    }

    @Test
    void relaysOnSeveralNodesShareTheOutboxWithoutSendingARowTwice() {
        Cases submitter = harness.node(harness.settings().withRelayEnabled(false));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(Harness.submitted(submitter).caseView().id());
        }
        // Generous timeouts: a retry after a timeout would be a legitimate second request.
        var relaySettings = harness.settings().withDelivery(Duration.ofMillis(50), Duration.ofSeconds(20),
                Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMillis(400), 5);

        harness.node(relaySettings);
        harness.node(relaySettings);
        harness.node(relaySettings);

        for (UUID id : ids) {
            awaitDelivery(submitter, id, DeliveryStatus.ACCEPTED);
        }
        assertThat(harness.backOffice.requestsReceived()).isEqualTo(30);
        assertThat(harness.backOffice.stored()).hasSize(30);
    }

    private CaseView caseOf(Cases node, UUID id) {
        return Await.result(node.cases().get(Principal.auditor("auditor-1", "en"), id, "delivery test"));
    }

    private CaseView awaitDelivery(Cases node, UUID id, DeliveryStatus status) {
        return Await.until("delivery " + status, Duration.ofSeconds(20), () -> caseOf(node, id),
                v -> v.delivery() != null && v.delivery().status() == status);
    }

    private List<ReferenceBackOffice.Stored> storedFor(UUID id) {
        return harness.backOffice.stored().stream().filter(s -> s.idempotencyKey().equals(id.toString())).toList();
    }
}
