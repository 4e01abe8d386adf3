package ablak.queue;

import java.time.Duration;

/**
 * Everything the routing engine can be tuned by, with the defaults it runs with.
 *
 * @param hashTag            every Redis key lives under "{hashTag}:" so all scripts run on one Cluster slot;
 *                           tests give each run its own tag (default "ablak")
 * @param offerTimeout       how long an offer rings one clerk before it returns to the queue (20 s)
 * @param maxNoAnswer        unanswered offers in a row after which a clerk becomes not responding (2)
 * @param routingScanDepth   waiting contacts a routing pass may pass over (no eligible clerk free),
 *                           per queue and in all, before it stops (20); offers do not count
 * @param clerkScanDepth     available clerks looked at per contact, best proficiency first (50)
 * @param streamMaxLength    approximate length the event stream is trimmed to (1,000,000)
 * @param serviceLevelThreshold answered within this wait counts toward service level (20 s)
 * @param shortAbandonThreshold abandons sooner than this do not count against service level (5 s)
 * @param statsWindow        the rolling window of service level, ASA, AHT and abandonment (15 min)
 * @param presenceTtl        a clerk whose node stops heart-beating goes offline after this (30 s)
 * @param sweepInterval      how often each node sweeps expired offers, presence and wrap-ups (1 s)
 * @param metricsInterval    how often each node refreshes gauges and wallboard snapshots (2 s)
 * @param positionInterval   position pushes to citizens are coalesced over this interval (500 ms)
 * @param defaultHandleTime  handle time the wait estimate assumes before a queue has history (9 min)
 */
public record QueueSettings(
    String hashTag,
    Duration offerTimeout,
    int maxNoAnswer,
    int routingScanDepth,
    int clerkScanDepth,
    long streamMaxLength,
    Duration serviceLevelThreshold,
    Duration shortAbandonThreshold,
    Duration statsWindow,
    Duration presenceTtl,
    Duration sweepInterval,
    Duration metricsInterval,
    Duration positionInterval,
    Duration defaultHandleTime) {

  public static QueueSettings defaults() {
    return new QueueSettings("ablak", Duration.ofSeconds(20), 2, 20, 50, 1_000_000,
        Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofMinutes(15),
        Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofMillis(500), Duration.ofMinutes(9));
  }

  public QueueSettings withHashTag(String tag) {
    return new QueueSettings(tag, offerTimeout, maxNoAnswer, routingScanDepth, clerkScanDepth,
        streamMaxLength, serviceLevelThreshold, shortAbandonThreshold, statsWindow, presenceTtl,
        sweepInterval, metricsInterval, positionInterval, defaultHandleTime);
  }

  /** The prefix of every key: "{tag}:". */
  public String keyPrefix() {
    return "{" + hashTag + "}:";
  }
}
