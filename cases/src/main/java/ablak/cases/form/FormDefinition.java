package ablak.cases.form;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One version of one case type's form: the data schema (JSON Schema) that decides what is valid,
 * the UI schema that decides how it is shown, and its words in every catalogue language.
 * Versions are immutable once published; a case records the version it was filled against.
 */
public record FormDefinition(String caseType, int version, JsonNode schema, JsonNode ui,
                             List<FormElement> elements, Map<String, FormTexts> texts, JsonSchema compiled) {

    /** How strict validation is: a draft may still lack required answers; a case to confirm may not. */
    public enum Mode { DRAFT, COMPLETE }

    public FormDefinition {
        elements = List.copyOf(elements);
        texts = Map.copyOf(texts);
    }

    /** Every error in {@code data}, with field paths and messages in {@code language}; empty when valid. */
    public List<FieldError> validate(JsonNode data, String language, Mode mode) {
        FormTexts words = texts.get(language);
        Locale locale = Locale.forLanguageTag(language);
        List<FieldError> errors = new ArrayList<>();
        for (ValidationMessage message : compiled.validate(data, context -> context.getExecutionConfig().setLocale(locale))) {
            String keyword = message.getType();
            if (mode == Mode.DRAFT && "required".equals(keyword)) {
                continue;
            }
            String location = message.getInstanceLocation().toString();
            String path = "required".equals(keyword) ? location + "/" + message.getProperty() : location;
            errors.add(new FieldError(path, keyword, describe(words, path, keyword, message)));
        }
        errors.sort(Comparator.comparing(FieldError::path).thenComparing(FieldError::keyword));
        return errors;
    }

    private static String describe(FormTexts words, String path, String keyword, ValidationMessage message) {
        FormTexts.FieldText field = words.fields().get(path);
        String generic = message.getMessage();
        // The library prefixes its message with the instance path; the label says it better.
        String location = message.getInstanceLocation().toString();
        if (generic.startsWith(location + ": ")) {
            generic = generic.substring(location.length() + 2);
        }
        if (field == null) {
            return path + ": " + generic;
        }
        String specific = field.errors().get(keyword);
        return field.label() + ": " + (specific != null ? specific : generic);
    }

    /** The visible, answered fields in display order, labelled in {@code language}: what the citizen confirms. */
    public List<SummaryLine> summary(JsonNode data, String language) {
        FormTexts words = texts.get(language);
        List<SummaryLine> lines = new ArrayList<>();
        for (FormElement element : elements) {
            JsonNode value = data.at(element.field());
            if (value.isMissingNode() || value.isNull() || !element.visible(data)) {
                continue;
            }
            FormTexts.FieldText field = words.fields().get(element.field());
            String shown = value.isTextual() ? value.asText() : value.toString();
            if (value.isBoolean()) {
                shown = field.options().getOrDefault(shown, shown);
            } else {
                shown = field.options().getOrDefault(value.asText(), shown);
            }
            lines.add(new SummaryLine(words.groups().get(element.group()), element.field(), field.label(), shown));
        }
        return lines;
    }

    /** Fields the citizen answers before the call. */
    public List<String> precallFields() {
        return elements.stream().filter(FormElement::precall).map(FormElement::field).toList();
    }
}
