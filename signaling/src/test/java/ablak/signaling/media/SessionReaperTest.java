package ablak.signaling.media;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.media.MediaSettings;
import ablak.media.call.Role;
import ablak.media.call.Sfu;
import ablak.signaling.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ended calls do not stay in the SFU: a call nobody is in is closed once the grace has passed. */
class SessionReaperTest {

  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Sfu sfu = start();
  private final SessionReaper reaper = new SessionReaper(vertx, sfu, new ConcurrentHashMap<>(), Duration.ZERO, meters, session -> { });

  @AfterEach
  void stop() {
    sfu.close();
    vertx.close();
  }

  @Test
  void aCallNobodyIsInIsClosedAfterTheGraceAndACallWithSomeoneInItIsKept() {
    sfu.call("ended");
    sfu.call("going-on").join("clerk", Role.CLERK);
    long grace = SessionReaper.EMPTY_CALL_GRACE.toNanos();

    reaper.sweep(0);
    reaper.sweep(grace);
    assertThat(sfu.findCall("ended")).as("within the grace a participant may still come back").isPresent();

    reaper.sweep(grace + 1);

    Await.until(() -> sfu.findCall("ended").isEmpty(), "the empty call is closed");
    assertThat(sfu.findCall("going-on")).isPresent();
  }

  @Test
  void someoneJoiningDuringTheGraceKeepsTheCall() {
    sfu.call("rejoined");
    reaper.sweep(0);
    sfu.call("rejoined").join("citizen", Role.CITIZEN);

    reaper.sweep(SessionReaper.EMPTY_CALL_GRACE.toNanos() * 2);

    assertThat(sfu.findCall("rejoined")).isPresent();
  }

  private Sfu start() {
    try {
      return Sfu.start(MediaSettings.loopback(), meters);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
