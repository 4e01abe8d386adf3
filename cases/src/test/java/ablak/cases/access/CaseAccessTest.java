package ablak.cases.access;

import ablak.cases.Await;
import ablak.cases.Cases;
import ablak.cases.CasesException;
import ablak.cases.CasesException.Kind;
import ablak.cases.Harness;
import ablak.cases.lifecycle.CaseView;
import ablak.cases.lifecycle.DraftStarted;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.UUID;

import static ablak.cases.Harness.precallAnswers;
import static org.assertj.core.api.Assertions.assertThat;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaseAccessTest {

    private final Harness harness = new Harness();
    private final Cases node = harness.node(harness.settings().withRelayEnabled(false));

    private final Principal anna = Principal.clerk("clerk-anna", "team-budapest", "en");
    private final Principal bela = Principal.clerk("clerk-bela", "team-budapest", "en");
    private final Principal csilla = Principal.clerk("clerk-csilla", "team-debrecen", "en");
    private final Principal budapestSupervisor = Principal.supervisor("sup-budapest", "team-budapest", "en");
    private final Principal debrecenSupervisor = Principal.supervisor("sup-debrecen", "team-debrecen", "en");
    private final Principal auditor = Principal.auditor("auditor-1", "en");
    private final Principal operator = Principal.operator("ops-1", "en");

    private DraftStarted annasCase;
    private DraftStarted csillasCase;

    @BeforeAll
    void twoCasesInTwoTeams() {
        annasCase = Await.result(node.cases().startDraft("passport-renewal", "en", precallAnswersFor()));
        Await.result(node.cases().assignClerk(annasCase.caseView().id(), anna, "call 1"));
        csillasCase = Await.result(node.cases().startDraft("passport-renewal", "en", precallAnswersFor()));
        Await.result(node.cases().assignClerk(csillasCase.caseView().id(), csilla, "call 2"));
    }

    @AfterAll
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aCitizenSeesOnlyTheCaseTheirTokenOpens() {
        Principal citizen = Principal.citizen(annasCase.citizenToken(), "en");

        assertThat(read(citizen, annasCase).id()).isEqualTo(annasCase.caseView().id());
        assertForbidden(node.cases().get(citizen, csillasCase.caseView().id(), null));
        assertForbidden(node.cases().get(Principal.citizen("guessed-token", "en"), annasCase.caseView().id(), null));
        assertThat(Await.result(node.cases().list(citizen, null, 50, null)))
                .extracting(CaseView::id).containsExactly(annasCase.caseView().id());
    }

    @Test
    void aClerkSeesAndEditsOnlyTheCasesTheyHandled() {
        assertThat(read(anna, annasCase).id()).isEqualTo(annasCase.caseView().id());
        assertForbidden(node.cases().get(bela, annasCase.caseView().id(), "curious"));
        assertForbidden(node.cases().saveDraft(csilla, annasCase.caseView().id(), 1, precallAnswersFor(), "call 2"));
        assertThat(Await.result(node.cases().list(anna, null, 50, "my cases")))
                .extracting(CaseView::id).containsExactly(annasCase.caseView().id());
    }

    @Test
    void aSupervisorReadsTheirTeamsCasesButChangesNothing() {
        assertThat(read(budapestSupervisor, annasCase).id()).isEqualTo(annasCase.caseView().id());
        assertForbidden(node.cases().get(debrecenSupervisor, annasCase.caseView().id(), "review"));
        assertForbidden(node.cases().saveDraft(budapestSupervisor, annasCase.caseView().id(), 1, precallAnswersFor(), "fix"));
        assertThat(Await.result(node.cases().list(debrecenSupervisor, null, 50, "team review")))
                .extracting(CaseView::id).containsExactly(csillasCase.caseView().id());
    }

    @Test
    void anAuditorReadsEverythingAndChangesNothing() {
        assertThat(Await.result(node.cases().list(auditor, null, 50, "audit 2026/3"))).hasSizeGreaterThanOrEqualTo(2);
        assertForbidden(node.cases().saveDraft(auditor, annasCase.caseView().id(), 1, precallAnswersFor(), "audit"));
        assertForbidden(node.cases().submit(auditor, annasCase.caseView().id(), "k", "audit"));
    }

    @Test
    void anOperatorDoesNotReadCaseData() {
        assertForbidden(node.cases().get(operator, annasCase.caseView().id(), "debugging"));
        assertThat(Await.result(node.cases().list(operator, null, 50, "debugging"))).isEmpty();
    }

    @Test
    void aCitizenCannotSubmitAndAClerkCannotConfirmForTheCitizen() {
        Principal citizen = Principal.citizen(annasCase.citizenToken(), "en");
        assertForbidden(node.cases().submit(citizen, annasCase.caseView().id(), "k", null));
        assertForbidden(node.cases().confirm(anna, annasCase.caseView().id(), 1));
    }

    @Test
    void staffMustSayWhyTheyOpenACase() {
        Throwable refused = Await.failure(node.cases().get(anna, annasCase.caseView().id(), " "));
        assertThat(((CasesException) refused).kind()).isEqualTo(Kind.REASON_REQUIRED);
    }

    @Test
    void aForbiddenReadLeavesNoTraceButAnAllowedOneIsAudited() {
        UUID id = csillasCase.caseView().id();
        int before = Await.result(node.audit().forSubject("case", id.toString())).size();

        Await.failure(node.cases().get(bela, id, "curious"));
        Await.result(node.cases().get(debrecenSupervisor, id, "quality review"));

        var trail = Await.result(node.audit().forSubject("case", id.toString()));
        assertThat(trail).hasSize(before + 1);
        assertThat(trail.get(trail.size() - 1).entry().actorId()).isEqualTo("sup-debrecen");
    }

    private CaseView read(Principal who, DraftStarted draft) {
        return Await.result(node.cases().get(who, draft.caseView().id(), who.isStaff() ? "call" : null));
    }

    private static void assertForbidden(Future<?> attempt) {
        assertThat(Await.failure(attempt)).isInstanceOfSatisfying(CasesException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode precallAnswersFor() {
        var answers = precallAnswers();
        answers.remove("newAddress");
        answers.remove("addressType");
        answers.put("currentPassportNumber", "BE1234567");
        return answers;
    }
}
