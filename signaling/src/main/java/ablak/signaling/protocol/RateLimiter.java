package ablak.signaling.protocol;

/**
 * A token bucket (one per connection): {@code burst} messages at once, refilled at
 * {@code perSecond}. Used only from the connection's event loop, so it needs no locking.
 */
final class RateLimiter {

  private final double perNano;
  private final double capacity;
  private double tokens;
  private long last;

  RateLimiter(int perSecond, int burst, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.capacity = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  boolean tryAcquire(long nowNanos) {
    tokens = Math.min(capacity, tokens + (nowNanos - last) * perNano);
    last = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
