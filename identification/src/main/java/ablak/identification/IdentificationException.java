package ablak.identification;

import java.util.Map;

/**
 * A refused identification operation. Nothing was changed, except where the kind says so
 * ({@link Kind#WRONG_CODE} counts the attempt). {@code details} carries figures the clerk needs, such
 * as the measured quality or every MRZ problem.
 */
public final class IdentificationException extends RuntimeException {

  public enum Kind {
    NOT_FOUND("not_found", 404),
    FORBIDDEN("forbidden", 403),
    INVALID_INPUT("invalid_input", 400),
    STEP_OUT_OF_ORDER("step_out_of_order", 409),
    NOT_IN_PROGRESS("not_in_progress", 409),
    ALREADY_STARTED("already_started", 409),
    QUALITY_TOO_LOW("quality_too_low", 422),
    STILL_REJECTED("still_rejected", 422),
    STILL_TOO_LARGE("still_too_large", 413),
    UNSUPPORTED_IMAGE("unsupported_image", 415),
    STILLS_MISSING("stills_missing", 409),
    FEATURES_INCOMPLETE("features_incomplete", 422),
    INVALID_MRZ("invalid_mrz", 422),
    DATA_MISMATCH("data_mismatch", 422),
    DOCUMENT_EXPIRED("document_expired", 422),
    RECORDING_MISSING("recording_missing", 409),
    CODE_NOT_SENT("code_not_sent", 502),
    WRONG_CODE("wrong_code", 422),
    CODE_EXPIRED("code_expired", 410),
    SAME_PERSON("same_person", 403),
    NOT_UNDER_REVIEW("not_under_review", 409);

    public final String code;
    public final int httpStatus;

    Kind(String code, int httpStatus) {
      this.code = code;
      this.httpStatus = httpStatus;
    }
  }

  private final Kind kind;
  private final Map<String, Object> details;

  public IdentificationException(Kind kind, String message) {
    this(kind, message, Map.of());
  }

  public IdentificationException(Kind kind, String message, Map<String, Object> details) {
    super(message, null, false, false);
    this.kind = kind;
    this.details = Map.copyOf(details);
  }

  public Kind kind() {
    return kind;
  }

  public Map<String, Object> details() {
    return details;
  }
}
