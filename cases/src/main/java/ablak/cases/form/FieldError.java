package ablak.cases.form;

/**
 * One reason form data was refused.
 *
 * @param path    JSON Pointer (RFC 6901) to the field in the case data, e.g. {@code /newAddress/postcode}
 * @param keyword the JSON Schema keyword that failed ({@code required}, {@code pattern}, {@code format}, ...)
 * @param message what is wrong, in the language the caller asked for, naming the field by its label
 */
public record FieldError(String path, String keyword, String message) {
}
