package ablak.cases.access;

import java.util.Objects;

/**
 * The authenticated caller of a cases operation, as the server established it (sign-in for staff,
 * the case token for a citizen). Every operation is checked and audited against it.
 *
 * @param id           staff user id; for a citizen the fixed id {@code citizen}
 * @param role         what kind of user this is
 * @param team         the clerk's or supervisor's team, {@code null} otherwise
 * @param citizenToken for a citizen, the case token from {@code startDraft}; {@code null} otherwise
 * @param language     language for messages and summaries (e.g. {@code hu}, {@code en})
 */
public record Principal(String id, Role role, String team, String citizenToken, String language) {

    public Principal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(language, "language");
        if ((role == Role.CLERK || role == Role.SUPERVISOR) && team == null) {
            throw new IllegalArgumentException(role + " needs a team");
        }
        if (role == Role.CITIZEN && citizenToken == null) {
            throw new IllegalArgumentException("a citizen is known only by a case token");
        }
    }

    public static Principal citizen(String caseToken, String language) {
        return new Principal("citizen", Role.CITIZEN, null, caseToken, language);
    }

    public static Principal clerk(String id, String team, String language) {
        return new Principal(id, Role.CLERK, team, null, language);
    }

    public static Principal supervisor(String id, String team, String language) {
        return new Principal(id, Role.SUPERVISOR, team, null, language);
    }

    public static Principal auditor(String id, String language) {
        return new Principal(id, Role.AUDITOR, null, null, language);
    }

    public static Principal operator(String id, String language) {
        return new Principal(id, Role.OPERATOR, null, null, language);
    }

    /** Staff actions need a stated reason in the audit trail; a citizen acting on their own case does not. */
    public boolean isStaff() {
        return role != Role.CITIZEN;
    }
}
