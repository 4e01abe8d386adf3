package ablak.cases;

import ablak.cases.access.Principal;
import ablak.cases.backoffice.reference.ReferenceBackOffice;
import ablak.cases.catalogue.CatalogueLoader;
import ablak.cases.lifecycle.CaseView;
import ablak.cases.lifecycle.DraftStarted;
import ablak.cases.lifecycle.Submission;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** One real PostgreSQL, one reference back office, and as many cases nodes as a test starts. */
public final class Harness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String VALID_PERSONAL_ID = "18503121232";

    public final TestDatabase database;
    public final Vertx backOfficeVertx = Vertx.vertx();
    public final ReferenceBackOffice backOffice =
            Await.result(ReferenceBackOffice.start(backOfficeVertx, 0, CatalogueLoader.bundled()));
    private final Map<Cases, Vertx> nodes = new LinkedHashMap<>();

    /** A fresh database on the shared test server. */
    public Harness() {
        this(TestDatabase.onSharedServer());
    }

    private Harness(TestDatabase database) {
        this.database = database;
    }

    /** A database on a PostgreSQL server of the test's own, which it may stop and start. */
    public static Harness withOwnDatabaseServer() {
        return new Harness(TestDatabase.onOwnServer());
    }

    /** Quick timings so retries, leases and timeouts play out within a test. */
    public CasesSettings settings() {
        return CasesSettings.defaults()
                .withBackOfficeBaseUrl(URI.create("http://127.0.0.1:" + backOffice.port()))
                .withDelivery(Duration.ofMillis(50), Duration.ofSeconds(3), Duration.ofMillis(1500),
                        Duration.ofMillis(100), Duration.ofMillis(400), 5);
    }

    public Cases node() {
        return node(settings());
    }

    /** A cases node on its own Vert.x instance, so a test can kill it by closing that instance. */
    public Cases node(CasesSettings settings) {
        Vertx vertx = Vertx.vertx();
        Cases node = Await.result(Cases.start(vertx, database.connectOptions(), settings, new SimpleMeterRegistry()));
        nodes.put(node, vertx);
        return node;
    }

    /** Ends a node abruptly: its timers, connections and in-flight requests die with its Vert.x. */
    public void kill(Cases node) {
        Await.result(nodes.remove(node).close());
    }

    public static Principal clerk() {
        return Principal.clerk("clerk-anna", "team-budapest", "en");
    }

    public static ObjectNode precallAnswers() {
        ObjectNode answers = JSON.createObjectNode();
        answers.putObject("applicant").put("personalId", VALID_PERSONAL_ID).put("familyName", "Kovács").put("givenNames", "Éva");
        answers.putObject("newAddress").put("postcode", "1052").put("city", "Budapest").put("street", "Váci utca")
                .put("houseNumber", "12");
        answers.put("addressType", "permanent");
        return answers;
    }

    public static ObjectNode completeAddressRegistration() {
        ObjectNode data = precallAnswers();
        data.put("moveInDate", "2026-11-01");
        data.put("ownsProperty", true);
        return data;
    }

    /** A draft started by a citizen and taken by {@link #clerk()}. */
    public static DraftStarted draftWithClerk(Cases cases) {
        DraftStarted draft = Await.result(cases.cases().startDraft("address-registration", "en", precallAnswers()));
        Await.result(cases.cases().assignClerk(draft.caseView().id(), clerk(), "call 1"));
        return draft;
    }

    /** A case walked through every step up to the clerk's submit. */
    public static Submission submitted(Cases cases) {
        DraftStarted draft = draftWithClerk(cases);
        UUID id = draft.caseView().id();
        CaseView saved = Await.result(cases.cases().saveDraft(clerk(), id, 1, completeAddressRegistration(), "call 1"));
        Principal citizen = Principal.citizen(draft.citizenToken(), "en");
        Await.result(cases.cases().confirm(citizen, id, saved.version()));
        return Await.result(cases.cases().submit(clerk(), id, "submit-" + id, "call 1"));
    }

    @Override
    public void close() throws Exception {
        for (Map.Entry<Cases, Vertx> node : nodes.entrySet()) {
            Await.result(node.getKey().close());
            Await.result(node.getValue().close());
        }
        Await.result(backOfficeVertx.close());
        database.close();
    }
}
