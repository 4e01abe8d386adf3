package ablak.cases.audit;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;

/** One stored event of the audit trail with its link in the hash chain ({@code null} hashes until linked). */
public record AuditRecord(long seq, @JsonSerialize(using = ToStringSerializer.class) Instant at, AuditEntry entry, String prevHash, String hash) {
}
