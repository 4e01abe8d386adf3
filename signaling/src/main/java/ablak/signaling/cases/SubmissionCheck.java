package ablak.signaling.cases;

import ablak.cases.access.Principal;
import io.vertx.core.Future;
import java.util.UUID;

/**
 * What must hold, besides the cases module's own rules, before a clerk may submit a case, whether
 * over the WebSocket ({@code case.submit}) or REST. It fails with a typed
 * {@link ablak.signaling.ClientError} (or a cases refusal) and changes nothing.
 */
@FunctionalInterface
public interface SubmissionCheck {

  Future<Void> check(Principal clerk, UUID caseId, String reason);
}
