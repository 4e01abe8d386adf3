package ablak.media.call;

import ablak.media.rtp.MediaKind;
import ablak.media.rtp.ReceiveStats;
import ablak.media.sdp.SdpException;
import ablak.media.stats.ParticipantStats;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Someone in a call: a citizen, clerk, interpreter or supervisor. Connects with an SDP offer, which gives
 * it a {@link WebRtcTransport}; publishes what its role allows and receives everyone else who publishes.
 */
public final class Participant {
    private final Call call;
    private final String id;
    private final Role role;
    private final long joinedOrder;
    private volatile WebRtcTransport transport;
    private volatile boolean audioMuted;
    private volatile boolean videoOff;
    /** Null unless the role is {@link Role#SUPERVISOR}; changed under the call's lock. */
    private volatile SupervisorMode supervisorMode;
    /** Which slot of this participant's transport carries which publisher; guarded by the call. */
    final Map<String, Integer> slots = new HashMap<>();

    final LongAdder packetsIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder packetsOut = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder keyframesRequested = new LongAdder();
    final LongAdder nacksReceived = new LongAdder();
    final LongAdder retransmissions = new LongAdder();
    final LongAdder srtpFailures = new LongAdder();
    private long lastBytesIn;
    private long lastBytesOut;
    private long lastRateNanos = System.nanoTime();
    private volatile long bitrateIn;
    private volatile long bitrateOut;
    private long lastFrames;
    private volatile double frameRateIn;

    Participant(Call call, String id, Role role, long joinedOrder) {
        this.call = call;
        this.id = id;
        this.role = role;
        this.joinedOrder = joinedOrder;
        this.supervisorMode = role == Role.SUPERVISOR ? SupervisorMode.LISTEN : null;
    }

    public String id() { return id; }
    public Role role() { return role; }
    public Call call() { return call; }
    long joinedOrder() { return joinedOrder; }

    /** The current transport, or null before the first offer and after it closed. */
    public WebRtcTransport transport() {
        WebRtcTransport t = transport;
        return t == null || t.state() == WebRtcTransport.State.CLOSED ? null : t;
    }

    void transport(WebRtcTransport t) {
        this.transport = t;
    }

    /**
     * Answers the participant's SDP offer with a new transport. A participant that is already connected is
     * reconnecting (a new network, a reloaded page): its old transport is closed and every subscriber gets
     * its new streams, starting at a keyframe. Fails with {@link SdpException} for an offer the SFU will not
     * answer, in which case nothing changed.
     */
    public Future<String> connect(String sdpOffer) {
        try {
            return Future.succeededFuture(call.connect(this, sdpOffer));
        } catch (SdpException e) {
            return Future.failedFuture(e);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** Stops forwarding this participant's audio to anyone (and to recording) until unmuted. */
    public void setAudioMuted(boolean muted) {
        audioMuted = muted;
    }

    /** Stops forwarding this participant's video; turning it back on starts every subscriber at a keyframe. */
    public void setVideoOff(boolean off) {
        boolean wasOff = videoOff;
        videoOff = off;
        if (wasOff && !off) {
            call.restartVideo(this);
        }
    }

    public boolean audioMuted() { return audioMuted; }
    public boolean videoOff() { return videoOff; }

    /** A supervisor's mode, {@link SupervisorMode#LISTEN} when they join; empty for other roles. */
    public java.util.Optional<SupervisorMode> supervisorMode() {
        return java.util.Optional.ofNullable(supervisorMode);
    }

    /**
     * Changes whom a supervisor's media reaches, at once and without a new offer: the send streams of the
     * others are rebound (a newly bound video starts at a keyframe). Only for supervisors.
     *
     * @throws IllegalStateException for any other role
     */
    public void setSupervisorMode(SupervisorMode mode) {
        if (role != Role.SUPERVISOR) {
            throw new IllegalStateException(this + " is not a supervisor");
        }
        call.supervisorModeChanged(this, java.util.Objects.requireNonNull(mode));
    }

    void supervisorMode(SupervisorMode mode) {
        supervisorMode = mode;
    }

    /** Whether this participant's track of {@code kind} is forwarded to {@code subscriber} at all. */
    boolean reaches(Participant subscriber, MediaKind kind) {
        SupervisorMode mode = supervisorMode;
        return mode == null || mode.reaches(subscriber, kind);
    }

    /**
     * Whether this participant's media belongs in the call's recording: the citizen-facing record holds what
     * the citizen could hear and see, so a listening or whispering supervisor is not in it.
     */
    boolean recorded() {
        SupervisorMode mode = supervisorMode;
        return mode == null || mode == SupervisorMode.BARGE;
    }

    boolean forwards(MediaKind kind) {
        return supervisorMode != SupervisorMode.LISTEN && (kind == MediaKind.AUDIO ? !audioMuted : !videoOff);
    }

    /** Leaves the call: the transport is closed and the others stop receiving this participant. */
    public void leave() {
        call.leave(this);
    }

    /** Recomputes bitrates; called once per report interval. */
    void tickRates(long nowNanos) {
        long elapsed = nowNanos - lastRateNanos;
        if (elapsed <= 0) {
            return;
        }
        long in = bytesIn.sum();
        long out = bytesOut.sum();
        long frames = framesIn();
        bitrateIn = (in - lastBytesIn) * 8 * 1_000_000_000L / elapsed;
        bitrateOut = (out - lastBytesOut) * 8 * 1_000_000_000L / elapsed;
        // A reconnect starts a new track at zero frames: never report a negative rate.
        frameRateIn = Math.max(0, frames - lastFrames) * 1e9 / elapsed;
        lastBytesIn = in;
        lastBytesOut = out;
        lastFrames = frames;
        lastRateNanos = nowNanos;
    }

    /** Video frames received on the current transport's video track. */
    private long framesIn() {
        WebRtcTransport t = transport();
        Track video = t == null ? null : t.track(MediaKind.VIDEO);
        return video == null ? 0 : video.frames();
    }

    public ParticipantStats stats() {
        WebRtcTransport t = transport();
        long lost = 0;
        double jitter = 0;
        Track video = null;
        if (t != null) {
            for (Track track : t.tracks()) {
                ReceiveStats s = track.stats();
                lost += s.lost();
                jitter = Math.max(jitter, s.jitterSeconds() * 1000);
            }
            video = t.track(MediaKind.VIDEO);
        }
        return new ParticipantStats(call.id(), id, role.name(), t != null && t.state() == WebRtcTransport.State.CONNECTED,
                packetsIn.sum(), bytesIn.sum(), lost, jitter, bitrateIn, packetsOut.sum(), bytesOut.sum(), bitrateOut,
                t == null ? -1 : t.rttMillis(), keyframesRequested.sum(), nacksReceived.sum(), retransmissions.sum(),
                srtpFailures.sum(), video == null ? 0 : video.width(), video == null ? 0 : video.height(),
                video == null ? 0 : video.frames(), video == null ? 0 : frameRateIn, Instant.now());
    }

    @Override
    public String toString() {
        return "Participant[" + call.id() + "/" + id + " " + role + "]";
    }
}
