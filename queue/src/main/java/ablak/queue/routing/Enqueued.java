package ablak.queue.routing;

/** The answer to joining a queue: the place taken and, if a clerk was free, the offer made at once (else null). */
public record Enqueued(String contactId, String queue, int position, Offer offer) {}
