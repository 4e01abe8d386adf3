package ablak.cases.catalogue;

import java.util.Map;

/** Every word of the catalogue in one language: one file, {@code texts/<language>.json} (form words live in each {@link ablak.cases.form.FormDefinition}). */
public record CatalogueTexts(Map<String, Text> lifeEvents, Map<String, Text> caseTypes, Map<String, Text> documents) {

    public CatalogueTexts {
        lifeEvents = Map.copyOf(lifeEvents);
        caseTypes = Map.copyOf(caseTypes);
        documents = Map.copyOf(documents);
    }

    /** A name and an optional longer description. */
    public record Text(String name, String description) {
    }
}
