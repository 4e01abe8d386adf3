package ablak.proactive;

import java.time.ZoneId;

/**
 * Everything the proactive service can be told, with defaults in {@link #defaults()}.
 *
 * @param zone time zone in which reminder days and send hours are reckoned
 * @param sendHour hour of the day (0-23, in {@code zone}) at which a reminder becomes due
 * @param batchSize deliveries one node claims per scheduler run
 * @param leaseSeconds how long a claimed delivery stays with its node before another may take it
 * @param maxAttempts SMTP attempts before a delivery becomes a permanent failure
 * @param retryBaseSeconds first retry delay; doubled on each further temporary failure
 * @param retryMaxSeconds longest retry delay
 * @param sendsPerSecond rate limit of e-mails per node (a token bucket; bursts up to one second's worth)
 * @param pollMillis how often a started service looks for due deliveries and no-shows
 * @param bookingUrl the booking page, where the links in reminders and confirmations point; empty
 *     (the default) for the server to fill in its own public URL + {@code /appointments/}
 * @param slotMinutes length of one appointment slot; clerk shifts must align to it
 * @param joinEarlyMinutes how early before the slot a citizen's join counts as the appointment
 * @param noShowGraceMinutes after the slot's start plus this, an unjoined appointment is a no-show
 * @param citizenUrl the citizen app, where call-back links point; empty (the default) for the server
 *     to fill in its own public URL + {@code /citizen/}
 * @param callbackAhead a call-back is e-mailed once at most this many contacts are ahead of it
 * @param callbackWaitSeconds ... or once the estimated wait at its place is at most this long
 * @param callbackGraceMinutes an e-mailed call-back link not used for this long expires
 */
public record ProactiveSettings(
    String zone,
    int sendHour,
    int batchSize,
    int leaseSeconds,
    int maxAttempts,
    int retryBaseSeconds,
    int retryMaxSeconds,
    double sendsPerSecond,
    int pollMillis,
    String bookingUrl,
    int slotMinutes,
    int joinEarlyMinutes,
    int noShowGraceMinutes,
    String citizenUrl,
    int callbackAhead,
    int callbackWaitSeconds,
    int callbackGraceMinutes) {

  public static ProactiveSettings defaults() {
    return new ProactiveSettings(
        "Europe/Budapest", 9, 50, 120, 8, 60, 3600, 20.0, 1000,
        "", 20, 10, 15,
        "", 3, 300, 15);
  }

  /** The same settings with the booking page at {@code url}. */
  public ProactiveSettings withBookingUrl(String url) {
    return new ProactiveSettings(zone, sendHour, batchSize, leaseSeconds, maxAttempts, retryBaseSeconds, retryMaxSeconds,
        sendsPerSecond, pollMillis, url, slotMinutes, joinEarlyMinutes, noShowGraceMinutes, citizenUrl, callbackAhead, callbackWaitSeconds,
        callbackGraceMinutes);
  }

  /** The same settings with the citizen app at {@code url}. */
  public ProactiveSettings withCitizenUrl(String url) {
    return new ProactiveSettings(zone, sendHour, batchSize, leaseSeconds, maxAttempts, retryBaseSeconds, retryMaxSeconds,
        sendsPerSecond, pollMillis, bookingUrl, slotMinutes, joinEarlyMinutes, noShowGraceMinutes, url, callbackAhead, callbackWaitSeconds,
        callbackGraceMinutes);
  }

  public ZoneId zoneId() {
    return ZoneId.of(zone);
  }

  /** Refuses settings the service cannot run with; the message names the setting. */
  public ProactiveSettings validate() {
    require(zone != null && bookingUrl != null && citizenUrl != null,
        "text settings must not be null (use an empty string)");
    zoneId();
    require(sendHour >= 0 && sendHour <= 23, "sendHour must be 0-23");
    require(batchSize > 0, "batchSize must be positive");
    require(leaseSeconds > 0, "leaseSeconds must be positive");
    require(maxAttempts > 0, "maxAttempts must be positive");
    require(retryBaseSeconds > 0 && retryMaxSeconds >= retryBaseSeconds, "retryBaseSeconds must be positive and at most retryMaxSeconds");
    require(sendsPerSecond > 0, "sendsPerSecond must be positive");
    require(pollMillis > 0, "pollMillis must be positive");
    require(bookingUrl.isEmpty() || bookingUrl.startsWith("https://") || bookingUrl.startsWith("http://"),
        "bookingUrl must be empty or an http(s) URL");
    require(slotMinutes > 0 && 1440 % slotMinutes == 0, "slotMinutes must divide a day");
    require(joinEarlyMinutes >= 0 && noShowGraceMinutes >= 0, "joinEarlyMinutes and noShowGraceMinutes must not be negative");
    require(citizenUrl.isEmpty() || citizenUrl.startsWith("https://") || citizenUrl.startsWith("http://"),
        "citizenUrl must be empty or an http(s) URL");
    require(callbackAhead >= 0 && callbackWaitSeconds >= 0, "callbackAhead and callbackWaitSeconds must not be negative");
    require(callbackGraceMinutes > 0, "callbackGraceMinutes must be positive");
    return this;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("proactive." + message);
    }
  }
}
