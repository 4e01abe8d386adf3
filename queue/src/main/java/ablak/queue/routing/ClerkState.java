package ablak.queue.routing;

import java.time.Instant;

/**
 * A clerk's visible state as routing keeps it (available, offered, busy, wrapup, break,
 * not_responding, offline), since when, the break reason if any, and the queue of the last call.
 * A clerk routing has never seen is offline since the epoch.
 */
public record ClerkState(String clerkId, String state, String reason, Instant since, String lastQueue) {}
