package ablak.cases.outbox;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;
import java.util.UUID;

/** A submission the relay gave up on, as an operator sees it (no case data). */
public record DeadLetter(long outboxId, UUID caseId, String caseNumber, String caseType, String destination,
                         int attempts, String lastError, @JsonSerialize(using = ToStringSerializer.class) Instant submittedAt, @JsonSerialize(using = ToStringSerializer.class) Instant deadSince) {
}
