package ablak.cases.access;

import ablak.cases.CasesException;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The access rules for cases, in one place:
 * <ul>
 *   <li>a citizen reads, edits (while a draft) and confirms only the case whose token they hold;</li>
 *   <li>a clerk reads, edits and submits the cases they handled;</li>
 *   <li>a supervisor reads the cases their team handled;</li>
 *   <li>an auditor reads every case and changes nothing;</li>
 *   <li>an operator handles deliveries and never reads case data.</li>
 * </ul>
 */
public final class CaseAccess {

    public enum Operation { READ, EDIT, CONFIRM, SUBMIT }

    /**
     * What decides access to one case.
     *
     * @param citizenTokenHash SHA-256 of the case token (the token itself is never stored)
     * @param handlers         clerks who handled the case
     * @param teams            teams those clerks belonged to when they handled it
     */
    public record Facts(String citizenTokenHash, Set<String> handlers, Set<String> teams) {
    }

    /** A SQL condition on {@code case_file c} selecting the cases a principal may list, and its parameters. */
    public record ListCondition(String sql, Tuple parameters) {
    }

    private CaseAccess() {
    }

    public static boolean allows(Principal who, Operation operation, Facts facts) {
        return switch (who.role()) {
            case CITIZEN -> operation != Operation.SUBMIT && tokenHash(who.citizenToken()).equals(facts.citizenTokenHash());
            case CLERK -> operation != Operation.CONFIRM && facts.handlers().contains(who.id());
            case SUPERVISOR -> operation == Operation.READ && facts.teams().contains(who.team());
            case AUDITOR -> operation == Operation.READ;
            case OPERATOR -> false;
        };
    }

    public static void require(Principal who, Operation operation, Facts facts) {
        if (!allows(who, operation, facts)) {
            throw new CasesException(CasesException.Kind.FORBIDDEN,
                    who.role().name().toLowerCase() + " " + who.id() + " may not " + operation.name().toLowerCase() + " this case");
        }
    }

    /** The same rules as {@link #allows} for {@link Operation#READ}, as a query condition (parameters from $1). */
    public static ListCondition listCondition(Principal who) {
        return switch (who.role()) {
            case CITIZEN -> new ListCondition("c.citizen_token_hash = $1", Tuple.of(tokenHash(who.citizenToken())));
            case CLERK -> new ListCondition(
                    "exists (select 1 from cases.case_handler h where h.case_id = c.id and h.clerk_id = $1)", Tuple.of(who.id()));
            case SUPERVISOR -> new ListCondition(
                    "exists (select 1 from cases.case_handler h where h.case_id = c.id and h.team_id = $1)", Tuple.of(who.team()));
            case AUDITOR -> new ListCondition("true", Tuple.tuple());
            case OPERATOR -> new ListCondition("false", Tuple.tuple());
        };
    }

    public static String tokenHash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
