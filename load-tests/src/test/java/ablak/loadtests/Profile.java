package ablak.loadtests;

import java.time.Duration;
import java.util.Map;

/**
 * A load shape, chosen with {@code -Dprofile=smoke|full|routing|soak|spike}. Every figure can be
 * overridden on its own with the system property of the same name (e.g. {@code -Dcitizens=2000}).
 *
 * @param visitors         visitors arriving during {@code rampSeconds} (smoke, full): connect, hello, hold with heartbeats, maybe resume; no queue
 * @param citizens         citizens arriving during {@code rampSeconds} (smoke, full, routing) or the burst (spike): the queue journey
 * @param arrivalsPerSecond steady citizen arrivals per second (soak, routing, and spike before and after the burst)
 * @param rampSeconds      how long arrivals last in smoke and full, the burst in spike
 * @param steadySeconds    how long steady arrivals last (soak, routing; spike before and after the burst)
 * @param handleSeconds    mean call length (visitors: hold), exponentially distributed above {@code minHoldSeconds}, cut at four means
 * @param minHoldSeconds   every call (hold) lasts at least this long
 * @param abandonShare     share of citizens who leave the queue after {@code patienceSeconds} if not connected by then
 * @param resumeShare      share of visitors who lose their connection once and resume
 * @param clerks           clerks signed in for the whole run
 * @param supervisors      supervisors watching the wallboard for the whole run
 * @param staffSignInSeconds clerks sign in spread over this long; citizens arrive after it, as when an office opens
 * @param patienceSeconds  how long an abandoning citizen waits
 * @param maxWaitSeconds   how long any citizen waits before leaving the queue (the run must end)
 * @param declineShare     share of offers a clerk declines
 * @param ringOutShare     share of offers a clerk lets ring out (unanswered until {@code offerTimeoutSeconds})
 * @param offerTimeoutSeconds the in-process node's {@code queue.offerTimeout}
 * @param ackP99Millis     assertion: p99 of acknowledgements (visit, welcome, pong, queue.joined)
 * @param offerP99Millis   assertion: p99 of enqueue-to-offer; 0 asserts nothing (profiles whose queue is meant to build up)
 * @param wallboardP99Millis assertion: p99 of the wallboard update delay
 * @param media            citizens and clerks publish synthetic DTLS-SRTP media into each call over WHIP ({@link WhipPublishers}); off in every profile
 * @param mediaReadyP99Millis assertion with {@code media}: p99 of accept-to-media-ready
 */
record Profile(String name, int visitors, int citizens, double arrivalsPerSecond, int rampSeconds, int steadySeconds, int handleSeconds,
    int minHoldSeconds, double abandonShare, double resumeShare, int clerks, int supervisors, int staffSignInSeconds,
    int patienceSeconds, int maxWaitSeconds, double declineShare, double ringOutShare, int offerTimeoutSeconds,
    int ackP99Millis, int offerP99Millis, int wallboardP99Millis, boolean media, int mediaReadyP99Millis) {

  /*
   * The smoke profile runs in CI on shared machines, so it asserts the flows and no errors with only
   * loose bounds on time; the targets (50 ms acknowledgements, 100 ms enqueue-to-offer, 1 s
   * wallboard) are asserted by the other profiles. full: 500 joins/s into one queue that builds up
   * (10,000 sockets, position pushes to thousands); routing: 1,000 clerks mostly idle, so an offer
   * follows a join at once and enqueue-to-offer is routing's own latency.
   */
  private static final Map<String, Profile> PROFILES = Map.of(
      "smoke", new Profile("smoke", 10, 20, 0, 8, 0, 2, 1, 0.1, 0.1, 6, 1, 6, 2, 30, 0.1, 0.05, 4, 8000, 0, 8000, false, 8000),
      "full", new Profile("full", 0, 10_000, 0, 20, 0, 60, 30, 0.1, 0.05, 1000, 5, 300, 30, 120, 0.05, 0.01, 20, 50, 0, 1000, false, 2000),
      "routing", new Profile("routing", 0, 0, 20, 0, 120, 15, 10, 0.05, 0.05, 1000, 5, 300, 30, 60, 0.05, 0.01, 20, 50, 100, 1000, false, 2000),
      "soak", new Profile("soak", 0, 0, 10, 0, 1800, 540, 0, 0.1, 0.05, 1000, 5, 300, 120, 600, 0.05, 0.01, 20, 50, 0, 1000, false, 2000),
      "spike", new Profile("spike", 0, 3000, 5, 6, 60, 60, 30, 0.1, 0.05, 200, 5, 60, 30, 120, 0.05, 0.01, 20, 50, 0, 1000, false, 2000));

  static Profile fromSystemProperties() {
    String name = System.getProperty("profile", "smoke");
    Profile base = PROFILES.get(name);
    if (base == null) {
      throw new IllegalArgumentException("unknown -Dprofile=" + name + " (" + String.join(", ", PROFILES.keySet()) + ")");
    }
    return new Profile(name,
        Integer.getInteger("visitors", base.visitors),
        Integer.getInteger("citizens", base.citizens),
        doubleProperty("arrivalsPerSecond", base.arrivalsPerSecond),
        Integer.getInteger("rampSeconds", base.rampSeconds),
        Integer.getInteger("steadySeconds", base.steadySeconds),
        Integer.getInteger("handleSeconds", base.handleSeconds),
        Integer.getInteger("minHoldSeconds", base.minHoldSeconds),
        doubleProperty("abandonShare", base.abandonShare),
        doubleProperty("resumeShare", base.resumeShare),
        Integer.getInteger("clerks", base.clerks),
        Integer.getInteger("supervisors", base.supervisors),
        Integer.getInteger("staffSignInSeconds", base.staffSignInSeconds),
        Integer.getInteger("patienceSeconds", base.patienceSeconds),
        Integer.getInteger("maxWaitSeconds", base.maxWaitSeconds),
        doubleProperty("declineShare", base.declineShare),
        doubleProperty("ringOutShare", base.ringOutShare),
        Integer.getInteger("offerTimeoutSeconds", base.offerTimeoutSeconds),
        Integer.getInteger("ackP99Millis", base.ackP99Millis),
        Integer.getInteger("offerP99Millis", base.offerP99Millis),
        Integer.getInteger("wallboardP99Millis", base.wallboardP99Millis),
        booleanProperty("media", base.media),
        Integer.getInteger("mediaReadyP99Millis", base.mediaReadyP99Millis));
  }

  private static boolean booleanProperty(String name, boolean fallback) {
    String value = System.getProperty(name, String.valueOf(fallback));
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException("-D" + name + "=" + value + ": true or false");
    }
    return Boolean.parseBoolean(value);
  }

  private static double doubleProperty(String name, double fallback) {
    return Double.parseDouble(System.getProperty(name, String.valueOf(fallback)));
  }

  /** How long citizens keep arriving after the staff have signed in. */
  int arrivalSeconds() {
    return switch (name) {
      case "spike" -> 2 * steadySeconds + rampSeconds;
      case "soak", "routing" -> steadySeconds;
      default -> rampSeconds;
    };
  }

  /** Citizens injected in all: when they have all finished, the staff go home before the shift ends. */
  int citizensInjected() {
    return switch (name) {
      case "spike" -> citizens + (int) Math.round(2 * arrivalsPerSecond * steadySeconds);
      case "soak", "routing" -> (int) Math.round(arrivalsPerSecond * steadySeconds);
      default -> citizens;
    };
  }

  /** The longest call (and visitors' hold). */
  int maxHoldSeconds() {
    return minHoldSeconds + 4 * handleSeconds;
  }

  /** How long the staff stay at most: until the last citizen can have waited, talked and left. */
  Duration shift() {
    return Duration.ofSeconds(staffSignInSeconds + arrivalSeconds() + maxWaitSeconds + maxHoldSeconds() + 2L * offerTimeoutSeconds + 10);
  }
}
