package ablak.cases;

import ablak.cases.form.FieldError;

import java.util.List;

/**
 * Every refusal of the cases module: a stable {@link Kind} a client can switch on, a message for
 * logs, and for invalid form data every error with its field path. A refused operation changed nothing.
 */
public final class CasesException extends RuntimeException {

    /** Stable error codes; {@code httpStatus} is what a REST route should answer with. */
    public enum Kind {
        UNKNOWN_CASE_TYPE(404),
        UNKNOWN_LANGUAGE(400),
        REASON_REQUIRED(400),
        FORM_VERSION_GONE(410),
        INVALID_FORM_DATA(422),
        CASE_NOT_FOUND(404),
        FORBIDDEN(403),
        VERSION_CONFLICT(409),
        WRONG_STATE(409),
        ALREADY_SUBMITTED(409),
        IDEMPOTENCY_KEY_REUSED(409),
        NOT_IN_DEAD_LETTER(409);

        public final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** The wire form, e.g. {@code invalid_form_data}. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;
    private final List<FieldError> fieldErrors;

    public CasesException(Kind kind, String message) {
        this(kind, message, List.of());
    }

    public CasesException(Kind kind, String message, List<FieldError> fieldErrors) {
        super(message, null, false, false);
        this.kind = kind;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#INVALID_FORM_DATA}: every error, in the language the caller asked for. */
    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }
}
