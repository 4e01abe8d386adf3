package ablak.identification.review;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.UUID;

/** A completed identification waiting for a second person's decision. */
public record ReviewItem(UUID identificationId, String callId, UUID caseId, String caseType, String documentType,
    String clerkId, String result, String failureReason,
    @JsonSerialize(using = ToStringSerializer.class) Instant completedAt,
    @JsonSerialize(using = ToStringSerializer.class) Instant queuedAt) {}
