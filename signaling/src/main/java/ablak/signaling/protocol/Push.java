package ablak.signaling.protocol;

/**
 * Sends server-initiated messages to clients connected to this node. Reaching a user on another
 * node is the job of a cross-node channel (Redis pub/sub) whose subscriber calls this.
 */
public interface Push {

  /** Sends to every connection of the user on this node; returns how many were reached. */
  int toUser(String userId, Outbound message);

  /** Sends to one connection; false when it is not (or no longer) on this node. */
  boolean toConnection(String connectionId, Outbound message);
}
