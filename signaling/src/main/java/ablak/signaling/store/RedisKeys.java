package ablak.signaling.store;

/**
 * Names of the Redis keys the signaling module writes. All carry the configured prefix so that
 * several deployments or test runs can share one Redis without seeing each other.
 */
public record RedisKeys(String prefix) {

  public String session(String sessionHash) {
    return prefix + "session:" + sessionHash;
  }

  public String loginFailures(String username) {
    return prefix + "login-failures:" + username;
  }

  public String resume(String resumeHash) {
    return prefix + "resume:" + resumeHash;
  }
}
