package ablak.cases.lifecycle;

/**
 * A new draft and the citizen's case token: the only key to the case the citizen holds. It is
 * shown once and stored only as a hash; keep it in the citizen's session.
 */
public record DraftStarted(CaseView caseView, String citizenToken) {
}
