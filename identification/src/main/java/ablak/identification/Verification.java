package ablak.identification;

import java.util.List;
import java.util.UUID;

/**
 * An auditor's check of a sealed identification: the seal recomputed from the rows as they are now,
 * every still and recording file hashed again, and the seal compared with the copy in the
 * hash-chained audit trail. {@code intact} only when nothing differs.
 */
public record Verification(UUID id, boolean intact, String seal, String recomputedSeal, List<String> problems) {}
