package ablak.queue;

/** A request the routing engine refused, with the typed reason. */
public final class QueueException extends RuntimeException {
  private final QueueError error;

  public QueueException(QueueError error, String detail) {
    super(error + ": " + detail);
    this.error = error;
  }

  public QueueError error() {
    return error;
  }
}
