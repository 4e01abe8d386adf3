package ablak.signaling.protocol;

/**
 * The message types one capability contributes (the foundation's {@code SessionMessages}, the
 * queue's {@code QueueMessages}, ...). The server calls {@link #register} once at start.
 */
@FunctionalInterface
public interface MessageGroup {
  void register(MessageRegistry registry);
}
