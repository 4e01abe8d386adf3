package ablak.queue;

/** Why the routing engine refused a request; the request changed nothing. */
public enum QueueError {
  UNKNOWN_QUEUE,
  UNKNOWN_SKILL,
  UNKNOWN_LANGUAGE,
  UNKNOWN_CLERK,
  UNKNOWN_CONTACT,
  CONTACT_EXISTS,
  QUEUE_CLOSED,
  OFFER_EXPIRED,
  NOT_YOUR_OFFER,
  ALREADY_ACCEPTED,
  NOT_YOUR_CONTACT,
  NOT_WAITING,
  CLERK_BUSY,
  ALREADY_IN_CONFERENCE,
  INVALID_INPUT
}
