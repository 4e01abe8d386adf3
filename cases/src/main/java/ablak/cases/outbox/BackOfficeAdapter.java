package ablak.cases.outbox;

import io.vertx.core.Future;

/**
 * Hands one submission to a back-office system. Implementations must send the idempotency key so
 * that a repeated delivery (after a timeout, a crash, a restart) is stored once, and must turn
 * every outcome into a {@link BackOfficeAnswer} rather than a failed future.
 */
public interface BackOfficeAdapter {

    Future<BackOfficeAnswer> deliver(OutboundSubmission submission);
}
