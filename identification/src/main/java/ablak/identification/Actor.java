package ablak.identification;

/**
 * Who acts on an identification, as the server authenticated them.
 *
 * @param id   staff account id, or {@code citizen} for the citizen of the case
 * @param role {@code CLERK}, {@code SUPERVISOR}, {@code AUDITOR}, {@code CITIZEN} or {@code SYSTEM}
 */
public record Actor(String id, String role) {

  public static final String CLERK = "CLERK";
  public static final String SUPERVISOR = "SUPERVISOR";
  public static final String AUDITOR = "AUDITOR";
  public static final String CITIZEN = "CITIZEN";
  public static final String SYSTEM = "SYSTEM";

  public static Actor clerk(String id) {
    return new Actor(id, CLERK);
  }

  public static Actor citizen() {
    return new Actor("citizen", CITIZEN);
  }

  public boolean isReviewer() {
    return role.equals(SUPERVISOR) || role.equals(AUDITOR);
  }
}
