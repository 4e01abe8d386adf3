package ablak.proactive.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket on the injected clock: {@code perSecond} tokens a second, holding at most one
 * second's worth (at least one). The dispatcher claims only as many deliveries as it has tokens.
 */
final class RateLimiter {

  private final Clock clock;
  private final double perSecond;
  private final double capacity;
  private double tokens;
  private Instant last;

  RateLimiter(Clock clock, double perSecond) {
    this.clock = clock;
    this.perSecond = perSecond;
    this.capacity = Math.max(1.0, perSecond);
    this.tokens = capacity;
    this.last = clock.instant();
  }

  synchronized int take(int wanted) {
    Instant now = clock.instant();
    if (now.isAfter(last)) {
      tokens = Math.min(capacity, tokens + perSecond * Duration.between(last, now).toNanos() / 1e9);
      last = now;
    }
    int granted = (int) Math.min(wanted, Math.floor(tokens));
    tokens -= granted;
    return granted;
  }

  synchronized void giveBack(int unused) {
    tokens = Math.min(capacity, tokens + unused);
  }
}
