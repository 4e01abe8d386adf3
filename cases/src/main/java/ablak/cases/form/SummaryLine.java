package ablak.cases.form;

/** One row of the summary a citizen confirms: the field's label and its value as displayed. */
public record SummaryLine(String group, String field, String label, String value) {
}
