package ablak.signaling.cases;

import ablak.cases.access.Principal;
import ablak.signaling.ClientError;

/**
 * Turns the server's authenticated user into the cases module's principal. Staff accounts carry
 * no team yet, so every clerk and supervisor belongs to one team, {@link #TEAM}: supervisors see
 * every clerk's cases until accounts gain teams. A citizen is known to the cases module only by
 * the case token handed out when their draft started.
 */
public final class CasePrincipals {

  public static final String TEAM = "all-staff";

  private CasePrincipals() {}

  public static Principal of(ablak.signaling.auth.Principal user, String caseToken, String language) {
    String lang = language == null || language.isBlank() ? "hu" : language;
    return switch (user.role()) {
      case CITIZEN -> {
        if (caseToken == null || caseToken.isBlank()) {
          throw ClientError.forbidden("a citizen opens a case with its case token");
        }
        yield Principal.citizen(caseToken, lang);
      }
      case CLERK -> Principal.clerk(user.userId(), TEAM, lang);
      case SUPERVISOR -> Principal.supervisor(user.userId(), TEAM, lang);
      case AUDITOR -> Principal.auditor(user.userId(), lang);
      case ADMIN -> Principal.operator(user.userId(), lang);
    };
  }
}
