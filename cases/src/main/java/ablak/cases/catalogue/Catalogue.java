package ablak.cases.catalogue;

import ablak.cases.CasesException;
import ablak.cases.form.FormDefinition;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service catalogue: life events, the case types they group, the documents involved, input
 * masks, and all of it in every language. Loaded from data files by {@link CatalogueLoader}; immutable.
 */
public record Catalogue(List<String> languages, Map<String, LifeEvent> lifeEvents, List<String> lifeEventOrder,
                        Map<String, CaseType> caseTypes, Map<String, String> inputMasks,
                        Map<String, CatalogueTexts> texts) {

    public Catalogue {
        languages = List.copyOf(languages);
        lifeEvents = Map.copyOf(lifeEvents);
        lifeEventOrder = List.copyOf(lifeEventOrder);
        caseTypes = Map.copyOf(caseTypes);
        inputMasks = Map.copyOf(inputMasks);
        texts = Map.copyOf(texts);
    }

    public CaseType caseType(String id) {
        CaseType type = caseTypes.get(id);
        if (type == null) {
            throw new CasesException(CasesException.Kind.UNKNOWN_CASE_TYPE, "no case type '" + id + "' in the catalogue");
        }
        return type;
    }

    /** The form a case was filled against; fails when that version has been withdrawn from the catalogue. */
    public FormDefinition form(String caseType, int version) {
        FormDefinition form = caseType(caseType).forms().get(version);
        if (form == null) {
            throw new CasesException(CasesException.Kind.FORM_VERSION_GONE,
                    "form version " + version + " of '" + caseType + "' is no longer in the catalogue");
        }
        return form;
    }

    public String requireLanguage(String language) {
        if (!texts.containsKey(language)) {
            throw new CasesException(CasesException.Kind.UNKNOWN_LANGUAGE,
                    "language '" + language + "' is not one of " + languages);
        }
        return language;
    }

    public CatalogueView view(String language) {
        CatalogueTexts words = texts.get(requireLanguage(language));
        List<CatalogueView.LifeEventView> events = new ArrayList<>();
        for (String eventId : lifeEventOrder) {
            CatalogueTexts.Text eventText = words.lifeEvents().get(eventId);
            List<CatalogueView.CaseTypeView> types = lifeEvents.get(eventId).caseTypes().stream()
                    .map(id -> caseTypeView(caseTypes.get(id), words)).toList();
            events.add(new CatalogueView.LifeEventView(eventId, eventText.name(), eventText.description(), types));
        }
        return new CatalogueView(language, events);
    }

    public CatalogueView.FormView formView(String caseType, int version, String language) {
        requireLanguage(language);
        FormDefinition form = form(caseType, version);
        Map<String, String> masks = new java.util.TreeMap<>();
        form.elements().stream().filter(e -> e.mask() != null).forEach(e -> masks.put(e.mask(), inputMasks.get(e.mask())));
        return new CatalogueView.FormView(caseType, version, language, form.schema(), form.ui(),
                form.texts().get(language), masks);
    }

    private CatalogueView.CaseTypeView caseTypeView(CaseType type, CatalogueTexts words) {
        CatalogueTexts.Text text = words.caseTypes().get(type.id());
        FormDefinition form = type.currentForm();
        return new CatalogueView.CaseTypeView(type.id(), type.identifier(), text.name(), text.description(),
                documents(type.hasInput(), words), documents(type.produces(), words), type.requires(),
                type.hasChannel(), type.videoIdentification(), type.skills(), type.languages(),
                type.typicalHandlingMinutes(), form.version(), requiredFields(form.schema(), ""), form.precallFields());
    }

    private static List<CatalogueView.DocumentView> documents(List<String> ids, CatalogueTexts words) {
        return ids.stream().map(id -> new CatalogueView.DocumentView(id, words.documents().get(id).name())).toList();
    }

    /** Pointers of the fields a schema always requires (conditional requirements are left to validation). */
    static List<String> requiredFields(JsonNode schema, String prefix) {
        List<String> fields = new ArrayList<>();
        JsonNode properties = schema.path("properties");
        for (JsonNode name : schema.path("required")) {
            String path = prefix + "/" + name.asText();
            JsonNode property = properties.path(name.asText());
            if (property.has("properties")) {
                fields.addAll(requiredFields(property, path));
            } else {
                fields.add(path);
            }
        }
        return fields;
    }
}
