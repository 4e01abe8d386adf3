package ablak.signaling.protocol;

import ablak.signaling.auth.Principal;

/** What a handler knows about the message it handles. */
public record MessageContext(Connection connection, String id) {

  /** The sender; null only for types allowed before {@code hello}. */
  public Principal principal() {
    return connection.principal();
  }
}
