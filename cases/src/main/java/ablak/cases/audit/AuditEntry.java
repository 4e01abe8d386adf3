package ablak.cases.audit;

/**
 * What to record: who did what to which subject, and why.
 *
 * @param actorId     user id, {@code citizen}, or {@code relay:<node>} for the delivery relay
 * @param actorRole   the actor's role, e.g. {@code CLERK}, {@code SYSTEM}
 * @param action      dotted verb, e.g. {@code case.read}, {@code case.submit}
 * @param subjectKind {@code case}, {@code identity-check}, {@code recording}, {@code outbox}
 * @param subjectId   id of the subject
 * @param reason      why the actor did it (staff must say; e.g. "call 8f3a", "complaint 2026/77")
 * @param detail      a short machine-readable detail, e.g. the new version; empty when none
 */
public record AuditEntry(String actorId, String actorRole, String action, String subjectKind, String subjectId,
                         String reason, String detail) {
}
