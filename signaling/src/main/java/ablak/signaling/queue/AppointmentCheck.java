package ablak.signaling.queue;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Tells whether a citizen comes for a booked appointment, and for when: such a contact is ordered
 * in its queue as if it had arrived at the booked time (docs/routing.md). Citizens are anonymous
 * visits, so the appointment is proven by the token of its confirmation link, not by who asks.
 */
@FunctionalInterface
public interface AppointmentCheck {

  /**
   * Marks the appointment joined and answers its start; fails with a
   * {@link ablak.signaling.ClientError} when the token does not open it, it is for another case
   * type, or it is not its time.
   */
  Future<Instant> join(String appointmentId, String appointmentToken, String caseType);
}
