package ablak.proactive.subscription;

import java.time.LocalDate;

/** A citizen's consent to reminders, with the identifying data they gave when opting in. */
public record Subscription(
    String citizenId, String name, LocalDate birthDate, String email, String language, boolean optedIn) {}
