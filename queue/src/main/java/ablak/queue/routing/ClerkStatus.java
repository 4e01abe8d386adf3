package ablak.queue.routing;

/** What a clerk can choose; offered, busy and wrap-up follow from the contacts the clerk holds. */
public enum ClerkStatus {
  READY, BREAK, OFFLINE;

  String wire() {
    return name().toLowerCase();
  }
}
