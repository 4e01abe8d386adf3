package ablak.signaling.protocol;

/**
 * Told when authenticated connections come and go on this node, e.g. so that the queue can start
 * an abandon timer when a waiting citizen's connection drops and stop it when they resume. State
 * should be keyed by user id: a resumed connection has a new connection id but the same user.
 */
public interface ConnectionListener {

  /** After {@code hello} or {@code resume} succeeded. */
  default void connected(Connection connection, boolean resumed) {}

  /** After an authenticated connection closed, for whatever reason. */
  default void disconnected(Connection connection) {}
}
