package ablak.cases.lifecycle;

import java.util.UUID;

/**
 * A case changed somewhere in the cluster (published by PostgreSQL NOTIFY on commit). Carries no
 * case data: whoever shows the case reloads it with their own principal, so access rules hold.
 *
 * @param change what happened: draft-saved, clerk-assigned, confirmed, submitted,
 *               delivery-accepted, delivery-rejected, delivery-retrying, dead-lettered, delivery-replayed
 */
public record CaseChanged(UUID caseId, int version, CaseStatus status, DeliveryStatus deliveryStatus, String change) {
}
