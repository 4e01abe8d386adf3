package ablak.proactive.appointment;

/** A citizen's request for a slot; the appointment's language is the slot's. */
public record Booking(long slotId, String citizenId, String name, String email) {}
