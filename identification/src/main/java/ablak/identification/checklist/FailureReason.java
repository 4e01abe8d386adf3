package ablak.identification.checklist;

/** Why an identification failed: a fixed list, so reports can count them. */
public enum FailureReason {
  CITIZEN_DECLINED,
  CITIZEN_LEFT,
  DOCUMENT_NOT_ACCEPTED,
  DOCUMENT_EXPIRED,
  SECURITY_FEATURES_NOT_CONFIRMED,
  FACE_MISMATCH,
  MRZ_INVALID,
  DATA_MISMATCH,
  CODE_NOT_CONFIRMED,
  RECORDING_FAILED,
  SUSPECTED_FRAUD,
  /** Set by the server when the last allowed attempt is aborted. */
  RETRIES_EXHAUSTED
}
