package ablak.cases.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;
import java.util.UUID;

/**
 * A case as its reader sees it. Times serialize as ISO-8601 strings with any Jackson mapper,
 * so a server need not register a java.time module to send it.
 *
 * @param version          increases with every change; pass it back as {@code expectedVersion} to edit
 * @param confirmedVersion the version the citizen confirmed, {@code null} until then
 * @param caseNumber       issued at submission, {@code null} before
 * @param delivery         {@code null} until submitted
 */
public record CaseView(UUID id, String caseType, int formVersion, String language, CaseStatus status, int version,
                       ObjectNode data, Integer confirmedVersion, String caseNumber, Delivery delivery,
                       @JsonSerialize(using = ToStringSerializer.class) Instant createdAt,
                       @JsonSerialize(using = ToStringSerializer.class) Instant updatedAt,
                       @JsonSerialize(using = ToStringSerializer.class) Instant submittedAt) {

    /**
     * @param attempts            deliveries tried so far
     * @param backOfficeReference the back office's own reference once accepted
     * @param problem             the last failure or the rejection reasons, {@code null} when none
     */
    public record Delivery(DeliveryStatus status, int attempts, String backOfficeReference, String problem) {
    }
}
