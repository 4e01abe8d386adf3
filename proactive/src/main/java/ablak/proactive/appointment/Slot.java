package ablak.proactive.appointment;

import java.time.Instant;

/** A bookable video appointment time; {@code capacity} is the number of clerks whose shifts cover it. */
public record Slot(long id, String caseType, String language, Instant startsAt, Instant endsAt, int capacity, int booked) {

  public int free() {
    return capacity - booked;
  }
}
