package ablak.queue.routing;

import java.time.Instant;

/** One contact ringing one clerk until {@code expiresAt}; {@code seq} tells this offer from earlier ones of the same contact. */
public record Offer(String contactId, String clerkId, String queue, long seq, Instant expiresAt) {}
