package ablak.queue.routing;

import java.time.Duration;

/**
 * Estimated wait for the contact at a given place. Asterisk's holdtime is a moving average of past
 * waits: it lags staffing changes by many calls. Here the wait is computed from now: the contacts
 * ahead that free clerks take at once, and the rest served at the rate staffed clerks finish
 * calls, one average handle time (talk + wrap-up) each:
 * <pre>  wait = max(0, position - available) * AHT / staffed</pre>
 * With no clerk staffed there is no estimate (null): the citizen is told so instead of a guess.
 */
public final class WaitEstimator {
  private final Duration defaultHandleTime;

  public WaitEstimator(Duration defaultHandleTime) {
    this.defaultHandleTime = defaultHandleTime;
  }

  public Duration estimate(int position, QueueFigures figures) {
    int ahead = position - figures.clerksByState().get("available");
    if (ahead <= 0) {
      return Duration.ZERO;
    }
    if (figures.staffed() == 0) {
      return null;
    }
    Duration aht = figures.averageHandleTime() == null ? defaultHandleTime : figures.averageHandleTime();
    return aht.multipliedBy(ahead).dividedBy(figures.staffed());
  }
}
