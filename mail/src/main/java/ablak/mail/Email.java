package ablak.mail;

/**
 * One e-mail to one citizen.
 *
 * @param calendar an iCalendar object (RFC 5545) to attach, or null
 * @param calendarMethod its iTIP method (RFC 5546: REQUEST or CANCEL), or null
 */
public record Email(String recipient, String subject, String body, String calendar, String calendarMethod) {

  /** A plain-text e-mail. */
  public static Email text(String recipient, String subject, String body) {
    return new Email(recipient, subject, body, null, null);
  }
}
