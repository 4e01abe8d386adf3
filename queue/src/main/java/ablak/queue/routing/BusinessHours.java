package ablak.queue.routing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a queue takes contacts: opening times per weekday ("08:00-18:00") in a time zone, closed
 * on the listed holidays and on weekdays not listed.
 */
public record BusinessHours(String zone, Map<DayOfWeek, String> weekly, List<LocalDate> holidays) {

  public BusinessHours {
    weekly = weekly == null ? Map.of() : Map.copyOf(weekly);
    holidays = holidays == null ? List.of() : List.copyOf(holidays);
  }

  public boolean isOpen(Instant at) {
    ZonedDateTime local = at.atZone(ZoneId.of(zone));
    String span = weekly.get(local.getDayOfWeek());
    if (span == null || holidays.contains(local.toLocalDate())) {
      return false;
    }
    LocalTime time = local.toLocalTime();
    return !time.isBefore(opens(span)) && time.isBefore(closes(span));
  }

  /** The next time the queue opens after {@code at}, within two weeks; empty if never. */
  public Optional<Instant> nextOpening(Instant at) {
    ZonedDateTime local = at.atZone(ZoneId.of(zone));
    for (int day = 0; day < 15; day++) {
      LocalDate date = local.toLocalDate().plusDays(day);
      String span = weekly.get(date.getDayOfWeek());
      if (span == null || holidays.contains(date)) {
        continue;
      }
      ZonedDateTime open = date.atTime(opens(span)).atZone(local.getZone());
      if (open.isAfter(local)) {
        return Optional.of(open.toInstant());
      }
    }
    return Optional.empty();
  }

  private static LocalTime opens(String span) {
    return LocalTime.parse(span.substring(0, span.indexOf('-')).trim());
  }

  private static LocalTime closes(String span) {
    return LocalTime.parse(span.substring(span.indexOf('-') + 1).trim());
  }
}
