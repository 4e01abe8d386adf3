package ablak.proactive.callback;

import java.time.Instant;
import java.util.UUID;

/**
 * A citizen's kept place in a queue (docs/routing.md, "Call-backs").
 *
 * @param originalArrival when the citizen first joined: the place they come back to
 * @param status waiting, notifying (the e-mail is being sent), notified, rejoined, expired, undeliverable
 */
public record Callback(UUID id, String queue, String language, UUID caseId, String caseToken, Instant originalArrival,
    String email, String status) {}
