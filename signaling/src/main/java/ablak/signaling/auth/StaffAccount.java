package ablak.signaling.auth;

/** A staff member who signs in with a password. */
public record StaffAccount(String id, String username, String name, Role role, String team) {

  /** The team of staff created without one. */
  public static final String DEFAULT_TEAM = "default";
}
