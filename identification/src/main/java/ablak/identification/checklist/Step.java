package ablak.identification.checklist;

import java.util.List;

/**
 * The guided checklist, in the only order it may be completed (BaFin circular 3/2017 section III,
 * ETSI TS 119 461 section 9.2.3.3 for proofing with an operator). {@code videoGated} steps are
 * refused while the received video is below the configured minimums.
 */
public enum Step {
  /** The citizen agrees to the identification and its recording; said on the recording itself. */
  CONSENT(false),
  /** The call recording runs (the manifest exists when recording is required). */
  RECORDING_STARTED(false),
  /** The front of the document held to the camera. */
  DOCUMENT_FRONT(true),
  /** The document tilted as the server's random instruction says, showing its optically variable features. */
  TILT(true),
  DOCUMENT_BACK(true),
  /** Face, front and back stills uploaded and accepted. */
  STILLS(true),
  /** Every security feature of the document type checked. */
  SECURITY_FEATURES(true),
  /** The document photo compared with the live face. */
  FACE_COMPARISON(true),
  /** MRZ typed, check digits valid, equal to the printed data and the case data. */
  MRZ(false),
  /** A one-time code e-mailed to the citizen. */
  CODE_SENT(false),
  /** The citizen entered the code. */
  CODE_CONFIRMED(false),
  /** Everything is done: the clerk may record the result. */
  RESULT(false);

  public final boolean videoGated;

  Step(boolean videoGated) {
    this.videoGated = videoGated;
  }

  /** Where a new attempt starts after an abort: consent holds, the recording and everything after are redone. */
  public static final Step RESTART = RECORDING_STARTED;

  public static final List<Step> ORDER = List.of(values());

  public Step next() {
    return this == RESULT ? RESULT : values()[ordinal() + 1];
  }
}
