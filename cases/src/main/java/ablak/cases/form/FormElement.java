package ablak.cases.form;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;

/**
 * One control of a form's UI schema, in display order.
 *
 * @param group   id of the group (fieldset) the control belongs to
 * @param field   JSON Pointer to the value it edits
 * @param mask    id of an input mask from the catalogue's {@code inputMasks}, or {@code null}
 * @param precall whether the citizen answers it before the call, so it pre-fills the draft
 * @param rule    show/hide rule, or {@code null} when always shown
 */
public record FormElement(String group, String field, String mask, boolean precall, Rule rule) {

    /** Whether the control is shown for {@code data}. */
    public boolean visible(JsonNode data) {
        return rule == null || rule.show(data);
    }

    /**
     * A JSON Forms style rule: the control is shown ({@code SHOW}) or hidden ({@code HIDE}) when
     * the value at {@code conditionField} validates against {@code condition}.
     */
    public record Rule(Effect effect, String conditionField, JsonSchema condition) {
        public enum Effect { SHOW, HIDE }

        boolean show(JsonNode data) {
            JsonNode value = data.at(conditionField);
            boolean holds = !value.isMissingNode() && condition.validate(value).isEmpty();
            return holds == (effect == Effect.SHOW);
        }
    }
}
