package ablak.queue.routing;

import java.time.Instant;

/**
 * A citizen asking to join a queue.
 *
 * @param priority        0 (normal) to 9; higher is served first
 * @param appointmentAt   a booked time: the contact is ordered as if it had arrived then, with the
 *                        queue's appointment priority added; null if none
 * @param originalArrival a callback or a rejoin keeps the place it had from this time; null if none
 * @param preferredClerk  offered only to this clerk for the queue's preferred-clerk time; null if none
 */
public record ContactRequest(String contactId, String queue, String language, int priority,
    Instant appointmentAt, Instant originalArrival, String preferredClerk) {

  public static ContactRequest of(String contactId, String queue, String language) {
    return new ContactRequest(contactId, queue, language, 0, null, null, null);
  }
}
