package ablak.proactive;

/** A refusal the caller can act on: a stable {@link Code} and a message fit for a user. */
public final class ProactiveError extends RuntimeException {

  public enum Code {
    /** The input is malformed or incomplete; nothing was changed. */
    INVALID_INPUT,
    SLOT_NOT_FOUND,
    /** Every place in the slot is taken, or it has already begun. */
    SLOT_FULL,
    APPOINTMENT_NOT_FOUND,
    /** The appointment was cancelled, already missed, or (for rescheduling) already attended. */
    APPOINTMENT_CLOSED,
    /** The citizen joined outside the appointment's window. */
    OUTSIDE_APPOINTMENT_TIME,
    SHIFT_NOT_FOUND,
    /** Removing the shift would leave a slot with fewer places than bookings. */
    SHIFT_HAS_BOOKINGS,
    /** No call-back opens with this id and token. */
    CALLBACK_NOT_FOUND,
    /** The call-back link was used already, or was not used in time. */
    CALLBACK_CLOSED,
    /** Call-backs cannot be offered: no SMTP relay is configured. */
    CALLBACK_UNAVAILABLE
  }

  private final Code code;

  public ProactiveError(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
