package ablak.cases.form;

import java.util.Map;

/**
 * The words of one form version in one language.
 *
 * @param groups group id -> title
 * @param fields field path (JSON Pointer) -> label, help, per-keyword error messages, option labels
 */
public record FormTexts(Map<String, String> groups, Map<String, FieldText> fields) {

    public FormTexts {
        groups = Map.copyOf(groups);
        fields = Map.copyOf(fields);
    }

    /**
     * @param label   what the field is called on screen
     * @param help    a sentence under the field, or {@code null}
     * @param errors  JSON Schema keyword -> message that replaces the generic one (e.g. {@code pattern})
     * @param options enum value -> label shown for it
     */
    public record FieldText(String label, String help, Map<String, String> errors, Map<String, String> options) {
        public FieldText {
            errors = Map.copyOf(errors);
            options = Map.copyOf(options);
        }
    }
}
