package ablak.signaling.proactive;

import ablak.proactive.ProactiveError;
import ablak.proactive.appointment.Appointments;
import ablak.signaling.ClientError;
import ablak.signaling.queue.AppointmentCheck;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.UUID;

/** The appointment book behind {@code queue.join}'s {@code appointmentId} (docs/proactive.md, "Join at the booked time"). */
public final class BookedAppointments implements AppointmentCheck {

  private final Appointments appointments;

  public BookedAppointments(Appointments appointments) {
    this.appointments = appointments;
  }

  @Override
  public Future<Instant> join(String appointmentId, String appointmentToken, String caseType) {
    UUID id;
    try {
      id = UUID.fromString(appointmentId);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(unknown());
    }
    if (appointmentToken == null || appointmentToken.isBlank()) {
      return Future.failedFuture(unknown());
    }
    return appointments.authorize(id, appointmentToken)
        .compose(found -> found.caseType().equals(caseType)
            // The booking was made by an earlier visit: the appointment is joined as its own holder.
            ? appointments.join(id, found.citizenId())
            : Future.failedFuture(new ClientError("invalid_message", 400,
                "appointment " + appointmentId + " is for " + found.caseType() + ", not " + caseType)))
        .map(joined -> joined.startsAt())
        .recover(e -> Future.failedFuture(e instanceof ProactiveError error ? translate(error) : e));
  }

  private static ClientError translate(ProactiveError error) {
    return switch (error.code()) {
      case APPOINTMENT_CLOSED -> new ClientError("appointment_closed", 409, error.getMessage());
      case OUTSIDE_APPOINTMENT_TIME -> new ClientError("outside_appointment_time", 409, error.getMessage());
      default -> unknown();
    };
  }

  private static ClientError unknown() {
    return new ClientError("unknown_appointment", 404, "no such appointment for this link");
  }
}
