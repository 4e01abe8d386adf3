package ablak.signaling.auth;

/**
 * Who is making a request: a staff member (user id = account id) or a citizen's visit (user id =
 * {@code visit:<visit id>}).
 *
 * @param team the staff member's team as it was at sign-in (a supervisor reads their team's
 *     cases); null for citizens
 * @param credentialExpiresAt epoch second after which the credential no longer holds; for staff
 *     the session's end, for citizens the visit token's expiry
 */
public record Principal(String userId, String name, Role role, String team, long credentialExpiresAt) {

  public boolean expired(long nowEpochSecond) {
    return nowEpochSecond >= credentialExpiresAt;
  }
}
