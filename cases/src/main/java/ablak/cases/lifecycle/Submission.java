package ablak.cases.lifecycle;

/** The submitted case; {@code replayed} when this was a repeat of an earlier submit with the same idempotency key. */
public record Submission(CaseView caseView, boolean replayed) {
}
