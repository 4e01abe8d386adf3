package ablak.identification.checklist;

/** Why an attempt was stopped without a result; the clerk may try again while retries remain. */
public enum AbortReason {
  POOR_VIDEO,
  POOR_LIGHTING,
  POOR_AUDIO,
  CONNECTION_LOST,
  RECORDING_FAILED
}
