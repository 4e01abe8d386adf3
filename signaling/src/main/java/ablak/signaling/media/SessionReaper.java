package ablak.signaling.media;

import ablak.media.call.Call;
import ablak.media.call.Participant;
import ablak.media.call.Sfu;
import ablak.media.stats.ParticipantStats;
import ablak.signaling.media.WhipRoutes.Direction;
import ablak.signaling.media.WhipRoutes.MediaSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends WHIP and WHEP sessions whose client went away without {@code DELETE} (a closed tab, a lost
 * network, a crashed encoder): once a second it looks at every session and ends, exactly as
 * {@code DELETE} does, those whose transport the SFU closed (ICE or DTLS failed, not connected in
 * time, nothing received for its idle timeout) and those through which no RTP flowed for
 * {@code sessionIdleTimeout} (from the client for WHIP, to it for WHEP, either way for a
 * monitoring supervisor). The participant leaves
 * the call, so its transport and meters are freed. A call of the SFU that stayed without
 * participants for {@link #EMPTY_CALL_GRACE} is closed (a recording of it ends), so ended calls do
 * not pile up in the SFU for the node's lifetime; a participant reconnecting within the grace finds
 * the call as it was.
 */
final class SessionReaper {

  private static final Logger LOG = LoggerFactory.getLogger(SessionReaper.class);
  private static final long SWEEP_MILLIS = 1000;
  static final Duration EMPTY_CALL_GRACE = Duration.ofSeconds(60);

  /** The last packet count seen for a session and when it last changed. */
  private record Activity(long packets, long sinceNanos) {}

  private final Vertx vertx;
  private final Map<String, MediaSession> sessions;
  private final long idleNanos;
  private final Map<String, Activity> activity = new ConcurrentHashMap<>();
  private final Counter transportClosed;
  private final Counter idle;
  private final Consumer<MediaSession> reaped;
  private final Sfu sfu;
  /** When each call of the SFU was first seen without participants. */
  private final Map<String, Long> emptySince = new ConcurrentHashMap<>();

  SessionReaper(Vertx vertx, Sfu sfu, Map<String, MediaSession> sessions, Duration idleTimeout, MeterRegistry meters,
      Consumer<MediaSession> reaped) {
    this.vertx = vertx;
    this.sfu = sfu;
    this.reaped = reaped;
    this.sessions = sessions;
    this.idleNanos = idleTimeout.toNanos();
    this.transportClosed = reaped(meters, "transport-closed");
    this.idle = reaped(meters, "idle");
  }

  /**
   * Sweeps {@code sessions} once a second until Vert.x closes; {@code idleTimeout} zero: only closed
   * transports. {@code reaped} hears of every session ended here, after it left the map.
   */
  static void start(Vertx vertx, Sfu sfu, Map<String, MediaSession> sessions, Duration idleTimeout, MeterRegistry meters,
      Consumer<MediaSession> reaped) {
    SessionReaper reaper = new SessionReaper(vertx, sfu, sessions, idleTimeout, meters, reaped);
    vertx.setPeriodic(SWEEP_MILLIS, id -> reaper.sweep(System.nanoTime()));
  }

  private static Counter reaped(MeterRegistry meters, String reason) {
    return Counter.builder("ablak.media.sessions.reaped").tag("reason", reason)
        .description("WHIP/WHEP sessions ended without DELETE").register(meters);
  }

  void sweep(long now) {
    activity.keySet().retainAll(sessions.keySet());
    for (MediaSession session : sessions.values()) {
      Participant participant = session.participant();
      if (participant.transport() == null) {
        reap(session, transportClosed, "its transport closed");
      } else if (idleNanos > 0 && idleFor(session, participant.stats(), now) > idleNanos) {
        reap(session, idle, "no media for " + Duration.ofNanos(idleNanos).toSeconds() + " s");
      }
    }
    closeEmptyCalls(now);
  }

  private void closeEmptyCalls(long now) {
    java.util.Set<String> empty = new java.util.HashSet<>();
    for (Call call : sfu.calls()) {
      if (!call.participants().isEmpty()) {
        continue;
      }
      empty.add(call.id());
      long since = emptySince.computeIfAbsent(call.id(), id -> now);
      if (now - since > EMPTY_CALL_GRACE.toNanos()) {
        emptySince.remove(call.id());
        LOG.info("call {} closed in the SFU: nobody in it for {} s", call.id(), EMPTY_CALL_GRACE.toSeconds());
        vertx.executeBlocking(() -> {
          call.close();
          return null;
        });
      }
    }
    emptySince.keySet().retainAll(empty);
  }

  private long idleFor(MediaSession session, ParticipantStats stats, long now) {
    // A monitoring supervisor publishes nothing while listening: what they receive keeps them alive.
    long packets = session.participant().supervisorMode().isPresent() ? stats.packetsIn() + stats.packetsOut()
        : session.direction() == Direction.PUBLISH ? stats.packetsIn() : stats.packetsOut();
    Activity last = activity.get(session.id());
    if (last == null || last.packets() != packets) {
      activity.put(session.id(), new Activity(packets, now));
      return 0;
    }
    return now - last.sinceNanos();
  }

  /** What DELETE does; whoever removes the session from the map first makes the participant leave. */
  private void reap(MediaSession session, Counter reason, String why) {
    if (sessions.remove(session.id(), session)) {
      activity.remove(session.id());
      reason.increment();
      LOG.info("{} session {} ended without DELETE: {}", session.direction().path, session.id(), why);
      reaped.accept(session);
      vertx.executeBlocking(() -> {
        session.participant().leave();
        return null;
      });
    }
  }
}
