package ablak.signaling.queue;

import ablak.signaling.ClientError;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * Tells whether a citizen holds an appointment, and for when: a contact that comes with one is
 * ordered in its queue as if it had arrived at the booked time (docs/routing.md). The server is
 * given one at start; until the appointment module is connected, {@link #none()} knows of none.
 */
@FunctionalInterface
public interface AppointmentCheck {

  /** The booked time of the citizen's appointment; fails with a {@link ClientError} when it is not theirs or does not exist. */
  Future<Instant> bookedTime(String appointmentId, String citizenId);

  /** No appointments exist: every id is answered with {@code unknown_appointment}. */
  static AppointmentCheck none() {
    return (appointmentId, citizenId) ->
        Future.failedFuture(new ClientError("unknown_appointment", 404, "no appointment " + appointmentId + " for this visit"));
  }
}
