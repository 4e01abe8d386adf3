package ablak.proactive.appointment;

import java.time.Instant;
import java.util.UUID;

/**
 * A booked video appointment.
 *
 * @param status booked, cancelled, joined (the citizen came) or no_show
 * @param sequence the iCalendar SEQUENCE (RFC 5545 §3.8.7.4): raised by every reschedule and the cancellation
 */
public record Appointment(
    UUID id, long slotId, String citizenId, String name, String email, String language, String caseType,
    Instant startsAt, Instant endsAt, String status, int sequence) {}
