package ablak.loadtests;

import java.time.Duration;

/**
 * A load shape, chosen with {@code -Dprofile=smoke|full|soak|spike}. Every figure can be overridden
 * on its own with the system property of the same name (e.g. {@code -Dcitizens=2000}).
 *
 * @param citizens         citizens arriving during {@code rampSeconds} (smoke, full) or the burst (spike)
 * @param arrivalsPerSecond steady citizen arrivals per second (soak, and spike before and after the burst)
 * @param rampSeconds      how long arrivals last in smoke and full, the burst in spike
 * @param steadySeconds    how long steady arrivals last (soak; spike before and after the burst)
 * @param handleSeconds    mean time a citizen stays connected (exponentially distributed above {@code minHoldSeconds})
 * @param minHoldSeconds   every citizen stays at least this long, so the full profile's arrivals all overlap
 * @param abandonShare     share of citizens who give up early (after a tenth of their hold)
 * @param resumeShare      share of citizens who lose their connection once and resume
 * @param clerks           clerks signed in for the whole run
 * @param supervisors      supervisors watching for the whole run
 * @param staffSignInSeconds clerks sign in spread over this long; citizens arrive after it, as when an office opens
 * @param ackP99Millis     assertion: 99th percentile of acknowledgements (visit, welcome, pong). The smoke
 *                         profile runs in CI on shared machines, so it asserts the flows and no errors, with
 *                         only a loose bound on time; the 50 ms target is asserted by the other profiles
 */
record Profile(String name, int citizens, double arrivalsPerSecond, int rampSeconds, int steadySeconds, int handleSeconds,
    int minHoldSeconds, double abandonShare, double resumeShare, int clerks, int supervisors, int staffSignInSeconds, int ackP99Millis) {

  static Profile fromSystemProperties() {
    String name = System.getProperty("profile", "smoke");
    Profile base = switch (name) {
      case "smoke" -> new Profile(name, 60, 0, 10, 0, 4, 2, 0.1, 0.1, 4, 1, 10, 5000);
      case "full" -> new Profile(name, 10_000, 0, 20, 0, 60, 60, 0.1, 0.05, 50, 5, 30, 50);
      case "soak" -> new Profile(name, 0, 10, 0, 1800, 540, 0, 0.1, 0.05, 50, 5, 30, 50);
      case "spike" -> new Profile(name, 3000, 5, 6, 60, 60, 30, 0.1, 0.05, 50, 5, 30, 50);
      default -> throw new IllegalArgumentException("unknown -Dprofile=" + name + " (smoke, full, soak, spike)");
    };
    return new Profile(name,
        Integer.getInteger("citizens", base.citizens),
        Double.parseDouble(System.getProperty("arrivalsPerSecond", String.valueOf(base.arrivalsPerSecond))),
        Integer.getInteger("rampSeconds", base.rampSeconds),
        Integer.getInteger("steadySeconds", base.steadySeconds),
        Integer.getInteger("handleSeconds", base.handleSeconds),
        Integer.getInteger("minHoldSeconds", base.minHoldSeconds),
        Double.parseDouble(System.getProperty("abandonShare", String.valueOf(base.abandonShare))),
        Double.parseDouble(System.getProperty("resumeShare", String.valueOf(base.resumeShare))),
        Integer.getInteger("clerks", base.clerks),
        Integer.getInteger("supervisors", base.supervisors),
        Integer.getInteger("staffSignInSeconds", base.staffSignInSeconds),
        Integer.getInteger("ackP99Millis", base.ackP99Millis));
  }

  /** How long the staff stay on: until the last citizen can have left. */
  Duration shift() {
    int arrivals = name.equals("spike") ? 2 * steadySeconds + rampSeconds : rampSeconds + steadySeconds;
    return Duration.ofSeconds(staffSignInSeconds + arrivals + minHoldSeconds + 4L * handleSeconds + 10);
  }
}
