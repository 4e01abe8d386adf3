package ablak.proactive.delivery;

/**
 * One e-mail as the ledger holds it.
 *
 * @param calendar an iCalendar object (RFC 5545) to attach, or null
 * @param calendarMethod its iTIP method (RFC 5546: REQUEST or CANCEL), or null
 */
public record Email(String recipient, String subject, String body, String calendar, String calendarMethod) {}
