package ablak.cases.catalogue;

import ablak.cases.form.FormTexts;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** The catalogue as a citizen or clerk sees it in one language: what the catalogue REST routes return. */
public record CatalogueView(String language, List<LifeEventView> lifeEvents) {

    public record LifeEventView(String id, String name, String description, List<CaseTypeView> caseTypes) {
    }

    public record CaseTypeView(String id, String identifier, String name, String description,
                               List<DocumentView> documentsToShow, List<DocumentView> produces, List<String> requires,
                               List<String> channels, boolean videoIdentification, List<String> skills,
                               List<String> languages, int typicalHandlingMinutes, int formVersion,
                               List<String> requiredInputs, List<String> precallInputs) {
    }

    public record DocumentView(String id, String name) {
    }

    /** What a browser needs to render a form: both schemas, the words in one language and the masks used. */
    public record FormView(String caseType, int version, String language, JsonNode schema, JsonNode ui,
                           FormTexts texts, Map<String, String> inputMasks) {
    }
}
