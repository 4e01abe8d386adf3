package ablak.cases.outbox;

/**
 * One delivery attempt of a submitted case.
 *
 * @param destination    the back-office system's id from the catalogue
 * @param idempotencyKey the same for every attempt of the same case, so the back office stores it once
 * @param payload        the submission JSON (metadata plus case data)
 * @param attempt        1 for the first try
 */
public record OutboundSubmission(String destination, String idempotencyKey, String payload, int attempt) {
}
