package ablak.identification.checklist;

/** Where an identification stands. Only VERIFIED and FAILED are final, and only they are sealed. */
public enum Status {
  IN_PROGRESS,
  /** Stopped for poor video or a lost connection; the clerk may start the next attempt while retries remain. */
  ABORTED,
  VERIFIED,
  FAILED;

  public boolean finished() {
    return this == VERIFIED || this == FAILED;
  }
}
