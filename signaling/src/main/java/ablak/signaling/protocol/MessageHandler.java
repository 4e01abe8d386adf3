package ablak.signaling.protocol;

import io.vertx.core.Future;

/**
 * Handles one message type: receives the bound payload and returns the reply. Fail the future
 * with a {@link ablak.signaling.ClientError} (or an exception mapped with
 * {@link MessageRegistry#mapError}) to answer with a typed error. Must not block.
 */
@FunctionalInterface
public interface MessageHandler<P> {
  Future<Outbound> handle(MessageContext context, P payload);
}
