package ablak.proactive.callback;

import java.time.Instant;
import java.util.UUID;

/** What a citizen leaving the queue leaves behind to be called back. */
public record NewCallback(String queue, String language, UUID caseId, String caseToken, Instant originalArrival, String email) {}
