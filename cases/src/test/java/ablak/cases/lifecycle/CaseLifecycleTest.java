package ablak.cases.lifecycle;

import ablak.cases.Await;
import ablak.cases.Cases;
import ablak.cases.CasesException;
import ablak.cases.CasesException.Kind;
import ablak.cases.Harness;
import ablak.cases.access.Principal;
import ablak.cases.catalogue.CatalogueCopy;
import ablak.cases.form.FieldError;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static ablak.cases.Harness.clerk;
import static ablak.cases.Harness.completeAddressRegistration;
import static ablak.cases.Harness.precallAnswers;
import static org.assertj.core.api.Assertions.assertThat;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaseLifecycleTest {

    private final Harness harness = new Harness();
    private final Cases node = harness.node();
    private final CaseService cases = node.cases();

    @AfterAll
    void close() throws Exception {
        harness.close();
    }

    @Test
    void precallAnswersStartADraftAgainstTheCurrentFormVersion() {
        DraftStarted draft = Await.result(cases.startDraft("address-registration", "hu", precallAnswers()));

        CaseView view = draft.caseView();
        assertThat(view.status()).isEqualTo(CaseStatus.DRAFT);
        assertThat(view.version()).isEqualTo(1);
        assertThat(view.formVersion()).isEqualTo(2);
        assertThat(view.data().at("/newAddress/city").asText()).isEqualTo("Budapest");
        assertThat(view.caseNumber()).isNull();
        assertThat(draft.citizenToken()).hasSizeGreaterThan(40);
    }

    @Test
    void aCaseGoesFromDraftToConfirmedToSubmittedAndIsAcceptedByTheBackOffice() {
        DraftStarted draft = Harness.draftWithClerk(node);
        UUID id = draft.caseView().id();
        Principal citizen = Principal.citizen(draft.citizenToken(), "en");

        CaseView saved = Await.result(cases.saveDraft(clerk(), id, 1, completeAddressRegistration(), "call 1"));
        CaseSummary summary = Await.result(cases.summary(citizen, id, null));
        CaseView confirmed = Await.result(cases.confirm(citizen, id, saved.version()));
        Submission submission = Await.result(cases.submit(clerk(), id, "key-" + id, "call 1"));

        assertThat(saved.version()).isEqualTo(2);
        assertThat(summary.caseTypeName()).isEqualTo("Address registration");
        assertThat(summary.lines()).extracting(l -> l.label() + "=" + l.value())
                .contains("Postcode=1052", "Kind of address=permanent address", "Do you own the property?=yes");
        assertThat(confirmed.status()).isEqualTo(CaseStatus.CONFIRMED);
        assertThat(confirmed.confirmedVersion()).isEqualTo(3);
        assertThat(submission.replayed()).isFalse();
        assertThat(submission.caseView().caseNumber()).matches("ABL-20\\d\\d-\\d{7}");
        assertThat(submission.caseView().delivery().status()).isEqualTo(DeliveryStatus.PENDING);

        CaseView delivered = Await.until("the back office accepted the case", Duration.ofSeconds(10),
                () -> Await.result(cases.get(citizen, id, null)),
                v -> v.delivery().status() == DeliveryStatus.ACCEPTED);
        assertThat(delivered.delivery().backOfficeReference()).startsWith("population-register/");
        assertThat(harness.backOffice.stored()).anySatisfy(s ->
                assertThat(s.submission().getString("caseNumber")).isEqualTo(submission.caseView().caseNumber()));
    }

    @Test
    void twoEditorsSeeTheSameStateAndAStaleSaveIsRefused() {
        DraftStarted draft = Harness.draftWithClerk(node);
        UUID id = draft.caseView().id();
        Principal citizen = Principal.citizen(draft.citizenToken(), "en");
        ObjectNode clerkEdit = precallAnswers().put("moveInDate", "2026-10-01");
        ObjectNode citizenEdit = precallAnswers().put("moveInDate", "2026-10-02");

        Await.result(cases.saveDraft(clerk(), id, 1, clerkEdit, "call 1"));
        Throwable stale = Await.failure(cases.saveDraft(citizen, id, 1, citizenEdit, null));

        assertThat(stale).isInstanceOfSatisfying(CasesException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.VERSION_CONFLICT));
        CaseView both = Await.result(cases.get(citizen, id, null));
        assertThat(both.version()).isEqualTo(2);
        assertThat(both.data().path("moveInDate").asText()).isEqualTo("2026-10-01");
    }

    @Test
    void everyChangeToAnExistingCaseIsPublishedSoTheServerCanPushIt() {
        List<CaseChanged> seen = new CopyOnWriteArrayList<>();
        node.changes().onChange(seen::add);
        DraftStarted draft = Harness.draftWithClerk(node);
        UUID id = draft.caseView().id();

        Await.result(cases.saveDraft(clerk(), id, 1, precallAnswers().put("moveInDate", "2026-10-01"), "call 1"));

        List<String> changes = Await.until("draft-saved arrived", Duration.ofSeconds(5),
                () -> seen.stream().filter(c -> c.caseId().equals(id)).map(c -> c.change() + "@" + c.version()).toList(),
                l -> l.contains("draft-saved@2"));
        // The start itself is not published: nobody can be watching a case before it exists.
        assertThat(changes).containsExactly("clerk-assigned@1", "draft-saved@2");
    }

    @Test
    void editingAConfirmedCaseSendsItBackForConfirmation() {
        DraftStarted draft = Harness.draftWithClerk(node);
        UUID id = draft.caseView().id();
        Principal citizen = Principal.citizen(draft.citizenToken(), "en");
        CaseView saved = Await.result(cases.saveDraft(clerk(), id, 1, completeAddressRegistration(), "call 1"));
        CaseView confirmed = Await.result(cases.confirm(citizen, id, saved.version()));

        CaseView edited = Await.result(cases.saveDraft(clerk(), id, confirmed.version(),
                completeAddressRegistration().put("moveInDate", "2026-11-02"), "call 1"));
        Throwable submit = Await.failure(cases.submit(clerk(), id, "k-" + id, "call 1"));

        assertThat(edited.status()).isEqualTo(CaseStatus.DRAFT);
        assertThat(edited.confirmedVersion()).isNull();
        assertThat(((CasesException) submit).kind()).isEqualTo(Kind.WRONG_STATE);
    }

    @Test
    void confirmingAnIncompleteCaseListsEveryMissingAnswerAndChangesNothing() {
        DraftStarted draft = Harness.draftWithClerk(node);
        UUID id = draft.caseView().id();
        Principal citizen = Principal.citizen(draft.citizenToken(), "hu");

        Throwable refused = Await.failure(cases.confirm(citizen, id, 1));

        assertThat(refused).isInstanceOfSatisfying(CasesException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.INVALID_FORM_DATA);
            assertThat(e.fieldErrors()).extracting(FieldError::path).containsExactly("/moveInDate", "/ownsProperty");
            assertThat(e.fieldErrors().get(0).message()).startsWith("Beköltözés napja:");
        });
        assertThat(Await.result(cases.get(citizen, id, null)).status()).isEqualTo(CaseStatus.DRAFT);
    }

    @Test
    void invalidFormDataIsRefusedWithEveryFieldAndTheDraftIsUnchanged() {
        DraftStarted draft = Harness.draftWithClerk(node);
        UUID id = draft.caseView().id();
        ObjectNode bad = precallAnswers();
        ((ObjectNode) bad.get("applicant")).put("personalId", "18503121233");
        ((ObjectNode) bad.get("newAddress")).put("postcode", "ABCD");
        bad.put("addressType", "holiday-home");

        Throwable refused = Await.failure(cases.saveDraft(clerk(), id, 1, bad, "call 1"));

        assertThat(((CasesException) refused).fieldErrors()).extracting(FieldError::path)
                .containsExactly("/addressType", "/applicant/personalId", "/newAddress/postcode");
        assertThat(((CasesException) refused).kind().httpStatus).isEqualTo(422);
        CaseView unchanged = Await.result(cases.get(clerk(), id, "call 1"));
        assertThat(unchanged.version()).isEqualTo(1);
        assertThat(unchanged.data().at("/newAddress/postcode").asText()).isEqualTo("1052");
    }

    @Test
    void aNodeWithABrokenCatalogueDoesNotStart() {
        CatalogueCopy broken = new CatalogueCopy().write("texts/en.json", "{\"lifeEvents\": ");
        Throwable refused = Await.failure(Cases.start(harness.backOfficeVertx, harness.database.connectOptions(),
                harness.settings().withCatalogueDirectory(broken.directory), new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        assertThat(refused).isInstanceOf(ablak.cases.catalogue.CatalogueException.class)
                .hasMessageContaining("texts/en.json: not valid JSON");
    }

    @Test
    void aLanguageTheCatalogueDoesNotSpeakIsRefused() {
        DraftStarted draft = Harness.draftWithClerk(node);
        Throwable refused = Await.failure(cases.saveDraft(Principal.clerk("clerk-anna", "team-budapest", "fr"),
                draft.caseView().id(), 1, precallAnswers(), "call 1"));
        assertThat(((CasesException) refused).kind()).isEqualTo(Kind.UNKNOWN_LANGUAGE);
    }

    @Test
    void unknownCaseTypeIsRefused() {
        Throwable refused = Await.failure(cases.startDraft("dog-licence", "en", precallAnswers()));
        assertThat(((CasesException) refused).kind()).isEqualTo(Kind.UNKNOWN_CASE_TYPE);
    }

    @Test
    void submittingTwiceWithTheSameKeyGivesTheSameCaseAndOneDelivery() {
        Submission first = Harness.submitted(node);
        UUID id = first.caseView().id();

        Submission again = Await.result(cases.submit(clerk(), id, "submit-" + id, "call 1"));
        Throwable otherKey = Await.failure(cases.submit(clerk(), id, "another-key", "call 1"));

        assertThat(again.replayed()).isTrue();
        assertThat(again.caseView().caseNumber()).isEqualTo(first.caseView().caseNumber());
        assertThat(((CasesException) otherKey).kind()).isEqualTo(Kind.ALREADY_SUBMITTED);
        Await.until("delivered", Duration.ofSeconds(10), () -> harness.backOffice.stored().stream()
                .anyMatch(s -> s.idempotencyKey().equals(id.toString())));
        assertThat(harness.backOffice.stored()).filteredOn(s -> s.idempotencyKey().equals(id.toString())).hasSize(1);
    }

    @Test
    void concurrentSubmitsWithTheSameKeyIssueOneCaseNumber() {
        DraftStarted draft = Harness.draftWithClerk(node);
        UUID id = draft.caseView().id();
        CaseView saved = Await.result(cases.saveDraft(clerk(), id, 1, completeAddressRegistration(), "call 1"));
        Await.result(cases.confirm(Principal.citizen(draft.citizenToken(), "en"), id, saved.version()));
        Cases secondNode = harness.node();

        var a = cases.submit(clerk(), id, "double-click", "call 1");
        var b = secondNode.cases().submit(clerk(), id, "double-click", "call 1");

        assertThat(Await.result(a).caseView().caseNumber()).isEqualTo(Await.result(b).caseView().caseNumber());
        assertThat(List.of(Await.result(a).replayed(), Await.result(b).replayed())).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void aCaseFilledAgainstAWithdrawnFormVersionCannotBeSubmitted() {
        CatalogueCopy oldCatalogue = new CatalogueCopy().edit("catalogue.json", c ->
                CatalogueCopy.caseType(c, "address-registration").putObject("form").put("current", 1).putArray("versions").add(1));
        CatalogueCopy newCatalogue = new CatalogueCopy().edit("catalogue.json", c ->
                CatalogueCopy.caseType(c, "address-registration").putObject("form").put("current", 2).putArray("versions").add(2));
        Cases before = harness.node(harness.settings().withCatalogueDirectory(oldCatalogue.directory));
        DraftStarted draft = Harness.draftWithClerk(before);
        Cases after = harness.node(harness.settings().withCatalogueDirectory(newCatalogue.directory));

        Throwable refused = Await.failure(after.cases().saveDraft(clerk(), draft.caseView().id(), 1,
                precallAnswers().put("moveInDate", "2026-11-01"), "call 1"));

        assertThat(draft.caseView().formVersion()).isEqualTo(1);
        assertThat(refused).isInstanceOfSatisfying(CasesException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.FORM_VERSION_GONE);
            assertThat(e.getMessage()).contains("form version 1 of 'address-registration'");
        });
    }
}
