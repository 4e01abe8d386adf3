package ablak.signaling.config;

/**
 * Accounts, sessions and visit tokens.
 *
 * @param sessionTtlSeconds lifetime of a staff session after sign-in
 * @param visitTokenTtlSeconds lifetime of a citizen's anonymous visit token
 * @param seedDemoAccounts create a demo clerk, supervisor and admin with random passwords on
 *     first start and print them once; turn off in production
 */
public record AuthSettings(
    int sessionTtlSeconds,
    int visitTokenTtlSeconds,
    boolean seedDemoAccounts) {

  public static AuthSettings defaults() {
    return new AuthSettings(12 * 3600, 2 * 3600, true);
  }
}
