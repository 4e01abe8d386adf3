package ablak.cases.audit;

import java.time.Instant;

/** One stored row of the audit trail with its place in the hash chain. */
public record AuditRecord(long seq, Instant at, AuditEntry entry, String prevHash, String hash) {
}
