package ablak.cases.outbox;

import java.time.Instant;
import java.util.UUID;

/** A submission the relay gave up on, as an operator sees it (no case data). */
public record DeadLetter(long outboxId, UUID caseId, String caseNumber, String caseType, String destination,
                         int attempts, String lastError, Instant submittedAt, Instant deadSince) {
}
