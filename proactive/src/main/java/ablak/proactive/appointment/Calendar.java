package ablak.proactive.appointment;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The iCalendar object (RFC 5545) sent with a confirmation: one VEVENT, as an iTIP REQUEST or
 * CANCEL (RFC 5546 §3.2.2, §3.2.5) so calendar programs add, move or remove the entry.
 */
final class Calendar {

  /** RFC 5545 §3.3.5 form 2: UTC date-time. */
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private Calendar() {}

  static String render(String method, Appointment appointment, String organizer, String summary, String description,
                       String url, Instant stamp) {
    StringBuilder out = new StringBuilder();
    line(out, "BEGIN:VCALENDAR");
    line(out, "VERSION:2.0");
    line(out, "PRODID:-//Ablak//Video appointments//EN");
    line(out, "METHOD:" + method);
    line(out, "BEGIN:VEVENT");
    // The UID stays the same across reschedules so the calendar updates the one entry (§3.8.4.7).
    line(out, "UID:" + appointment.id() + "@ablak");
    line(out, "SEQUENCE:" + appointment.sequence());
    line(out, "DTSTAMP:" + UTC.format(stamp));
    line(out, "DTSTART:" + UTC.format(appointment.startsAt()));
    line(out, "DTEND:" + UTC.format(appointment.endsAt()));
    line(out, "SUMMARY:" + text(summary));
    line(out, "DESCRIPTION:" + text(description));
    line(out, "URL:" + url);
    line(out, "ORGANIZER:mailto:" + organizer);
    line(out, "ATTENDEE;ROLE=REQ-PARTICIPANT:mailto:" + appointment.email());
    line(out, "STATUS:" + ("CANCEL".equals(method) ? "CANCELLED" : "CONFIRMED"));
    line(out, "END:VEVENT");
    line(out, "END:VCALENDAR");
    return out.toString();
  }

  /** TEXT escaping, RFC 5545 §3.3.11. */
  private static String text(String value) {
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n");
  }

  /** Lines end in CRLF and are folded after 75 octets, never inside a UTF-8 sequence (§3.1). */
  private static void line(StringBuilder out, String content) {
    int octets = 0;
    for (int i = 0; i < content.length(); ) {
      int codePoint = content.codePointAt(i);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (octets + size > 75) {
        out.append("\r\n ");
        octets = 1;
      }
      out.appendCodePoint(codePoint);
      octets += size;
      i += Character.charCount(codePoint);
    }
    out.append("\r\n");
  }
}
