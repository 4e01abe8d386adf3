package ablak.proactive.registry;

import java.util.List;

/**
 * What an import did. Every data row is counted exactly once: {@code rows = added + renewed +
 * updated + unchanged + errors.size()}.
 *
 * @param added documents the registry did not have
 * @param renewed documents that replaced an older one of the same type (new number or new expiry)
 * @param updated documents whose holder's data changed (name, birth date, e-mail)
 * @param unchanged rows identical to what the registry already held
 */
public record ImportReport(int rows, int added, int renewed, int updated, int unchanged, List<RowError> errors) {}
