package ablak.signaling.protocol;

import ablak.signaling.auth.Role;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One kind of WebSocket message a client may send: its name (e.g. {@code queue.join}), the roles
 * allowed to send it, the payload it is bound to (a Jackson record, or
 * {@link io.vertx.core.json.JsonObject} for the raw message) and its handler.
 *
 * @param beforeHello whether it may be sent before the connection is authenticated (only
 *     {@code hello}, {@code resume} and {@code ping} are)
 */
public record MessageType<P>(String name, Set<Role> roles, boolean beforeHello, Class<P> payload, MessageHandler<P> handler) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z][a-zA-Z0-9]*)*");

  public MessageType {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("message type names are lower-case words joined by dots: " + name);
    }
    roles = Set.copyOf(roles);
  }

  /** A type only the given roles may send. */
  public static <P> MessageType<P> of(String name, Set<Role> roles, Class<P> payload, MessageHandler<P> handler) {
    return new MessageType<>(name, roles, false, payload, handler);
  }

  /** A type anyone may send, even before {@code hello}. */
  public static <P> MessageType<P> beforeHello(String name, Class<P> payload, MessageHandler<P> handler) {
    return new MessageType<>(name, EnumSet.allOf(Role.class), true, payload, handler);
  }
}
