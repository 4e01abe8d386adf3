package ablak.cases.lifecycle;

/**
 * Where a submitted case is on its way to the back office: PENDING (in the outbox, perhaps
 * between retries), ACCEPTED or REJECTED (the back office's answer, as in FIT-Connect), or
 * DEAD_LETTER (retries exhausted or refused as malformed; an operator must look and replay).
 */
public enum DeliveryStatus { PENDING, ACCEPTED, REJECTED, DEAD_LETTER }
