package ablak.proactive.reminder;

/** Why a due reminder was not sent; recorded in the delivery ledger's {@code skip_reason}. */
public enum SkipReason {
  /** The registry no longer holds a document of this type for the citizen. */
  DOCUMENT_REMOVED("document_removed"),
  /** The registry holds a newer document (another number or expiry date) than the one reminded of. */
  DOCUMENT_RENEWED("document_renewed"),
  NOT_SUBSCRIBED("not_subscribed"),
  OPTED_OUT("opted_out"),
  /** The subscriber's name, birth date or e-mail address differ from the registry's. */
  DATA_MISMATCH("data_mismatch");

  private final String code;

  SkipReason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
