package ablak.signaling.cases;

import ablak.cases.access.Principal;
import ablak.signaling.ClientError;

/**
 * Turns the server's authenticated user into the cases module's principal. Clerks and supervisors
 * carry the team of their account as it was when they signed in: a supervisor reads the cases that
 * clerks of their team handled. A citizen is known to the cases module only by the case token
 * handed out when their draft started.
 */
public final class CasePrincipals {

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
      case CLERK -> Principal.clerk(user.userId(), teamOf(user), lang);
      case SUPERVISOR -> Principal.supervisor(user.userId(), teamOf(user), lang);
      case AUDITOR -> Principal.auditor(user.userId(), lang);
      case ADMIN -> Principal.operator(user.userId(), lang);
    };
  }

  private static String teamOf(ablak.signaling.auth.Principal user) {
    return user.team() == null ? ablak.signaling.auth.StaffAccount.DEFAULT_TEAM : user.team();
  }
}
