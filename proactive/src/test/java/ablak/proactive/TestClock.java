package ablak.proactive;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the test moves by hand. */
public final class TestClock extends Clock {

  private static final ZoneId BUDAPEST = ZoneId.of("Europe/Budapest");
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2027-01-01T08:00:00Z"));

  /** Sets the clock to a Budapest wall-clock time, e.g. {@code "2027-04-15T09:00"}. */
  public void set(String budapestTime) {
    now.set(LocalDateTime.parse(budapestTime).atZone(BUDAPEST).toInstant());
  }

  public void set(Instant instant) {
    now.set(instant);
  }

  public void advance(Duration duration) {
    now.updateAndGet(instant -> instant.plus(duration));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return BUDAPEST;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    TestClock self = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return self.withZone(other);
      }

      @Override
      public Instant instant() {
        return self.instant();
      }
    };
  }
}
