package ablak.proactive.appointment;

import java.time.Instant;

/** A stored clerk shift, with the id it is listed and removed by. */
public record Shift(long id, String clerkId, String caseType, String language, Instant startsAt, Instant endsAt) {}
