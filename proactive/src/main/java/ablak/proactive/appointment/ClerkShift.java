package ablak.proactive.appointment;

import java.time.Instant;

/** A clerk's time for video appointments of one case type in one language. */
public record ClerkShift(String clerkId, String caseType, String language, Instant startsAt, Instant endsAt) {}
