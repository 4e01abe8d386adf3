package ablak.cases.catalogue;

import java.util.List;

/** A situation in a citizen's life (cpsv:LifeEvent) and the case types it needs, in the order offered. */
public record LifeEvent(String id, List<String> caseTypes) {
    public LifeEvent {
        caseTypes = List.copyOf(caseTypes);
    }
}
