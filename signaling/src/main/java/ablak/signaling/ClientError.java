package ablak.signaling;

/**
 * A failure the client caused or must know about, with a stable machine-readable code. REST
 * answers it as {@code {"code":..., "message":...}} with {@link #httpStatus()}; the WebSocket
 * answers it as {@code {"type":"error","code":...,"message":...,"ref":...}}. Modules either throw
 * it or register a mapping from their own exceptions (see MessageRegistry#mapError).
 */
public final class ClientError extends RuntimeException {

  public static final String MALFORMED_JSON = "malformed_json";
  public static final String UNKNOWN_TYPE = "unknown_type";
  public static final String INVALID_MESSAGE = "invalid_message";
  public static final String FRAME_TOO_LARGE = "frame_too_large";
  public static final String UNSUPPORTED_FRAME = "unsupported_frame";
  public static final String UNAUTHENTICATED = "unauthenticated";
  public static final String INVALID_CREDENTIALS = "invalid_credentials";
  public static final String FORBIDDEN = "forbidden";
  public static final String TOKEN_EXPIRED = "token_expired";
  public static final String TOKEN_INVALID = "token_invalid";
  public static final String RATE_LIMITED = "rate_limited";
  public static final String RESUME_FAILED = "resume_failed";
  public static final String INVALID_STATE = "invalid_state";
  public static final String CONFLICT = "conflict";
  public static final String NOT_FOUND = "not_found";
  public static final String UNAVAILABLE = "unavailable";
  public static final String BUSY = "busy";
  /**
   * When a {@link #BUSY} client should try again: the default longest wait for a database connection
   * (cases.poolConnectionTimeout), by which time the backlog that caused the refusal is gone.
   */
  public static final int BUSY_RETRY_AFTER_SECONDS = 5;
  public static final String INTERNAL = "internal";

  private final String code;
  private final int httpStatus;
  private final java.util.Map<String, Object> details;

  public ClientError(String code, int httpStatus, String message) {
    this(code, httpStatus, message, java.util.Map.of());
  }

  private ClientError(String code, int httpStatus, String message, java.util.Map<String, Object> details) {
    super(message, null, false, false);
    this.code = code;
    this.httpStatus = httpStatus;
    this.details = details;
  }

  /** The same error with one more field for programs, sent beside code and message (e.g. {@code nextOpening}). */
  public ClientError with(String field, Object value) {
    java.util.Map<String, Object> more = new java.util.LinkedHashMap<>(details);
    more.put(field, value);
    return new ClientError(code, httpStatus, getMessage(), java.util.Collections.unmodifiableMap(more));
  }

  /** Extra fields of the error; empty for most. Values may be null. */
  public java.util.Map<String, Object> details() {
    return details;
  }

  public static ClientError invalid(String message) {
    return new ClientError(INVALID_MESSAGE, 400, message);
  }

  public static ClientError unauthenticated(String message) {
    return new ClientError(UNAUTHENTICATED, 401, message);
  }

  public static ClientError forbidden(String message) {
    return new ClientError(FORBIDDEN, 403, message);
  }

  public static ClientError internal() {
    return new ClientError(INTERNAL, 500, "internal error; the request was not carried out");
  }

  /**
   * Too many requests wait for a database connection: refused before anything was done, to be
   * retried after {@code retryAfterSeconds} (REST also sends it as {@code Retry-After}).
   */
  public static ClientError busy() {
    return new ClientError(BUSY, 503, "the server is busy; nothing was changed, try again in a few seconds")
        .with("retryAfterSeconds", BUSY_RETRY_AFTER_SECONDS);
  }

  /**
   * The typed error for any failure: itself if it is one, {@code busy} when a database pool refused
   * it, {@code unavailable} when Redis or PostgreSQL cannot be reached (the client may retry), else
   * {@code internal}.
   */
  public static ClientError of(Throwable failure) {
    if (failure instanceof ClientError error) {
      return error;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (ablak.cases.ConnectionPools.isBusy(cause)) {
        return busy();
      }
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof io.lettuce.core.RedisException
          || cause instanceof java.net.ConnectException
          || cause instanceof java.util.concurrent.TimeoutException) {
        return new ClientError(UNAVAILABLE, 503, "a store is unavailable; nothing was changed, try again shortly");
      }
    }
    return internal();
  }

  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
