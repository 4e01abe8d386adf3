package ablak.media.call;

import ablak.media.rtp.Codec;
import ablak.media.rtp.MediaKind;
import ablak.media.rtp.PacketCache;
import ablak.media.rtp.ReceiveStats;
import ablak.media.rtp.Rtp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One stream a participant publishes: the audio or video of one m-section of its transport. Forwarded to
 * every {@link SendStream} bound to it.
 */
public final class Track {
    private final Participant participant;
    private final WebRtcTransport transport;
    private final String mid;
    private final MediaKind kind;
    private final Codec codec;
    private final int payloadType;
    private volatile long ssrc;
    private final ReceiveStats stats;
    private final PacketCache cache;
    final List<SendStream> subscribers = new CopyOnWriteArrayList<>();
    /** Video only: the last keyframe's picture size (VP8; 0 when unknown) and frames received, by marker bit. */
    private volatile int width;
    private volatile int height;
    private volatile long frames;
    /** Whether a keyframe start was ever received: a stream whose first keyframe was lost stays undecodable. */
    private volatile boolean keyframeSeen;
    private long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
    private boolean keyframeRequestPending;

    Track(Participant participant, WebRtcTransport transport, String mid, Codec codec, int payloadType, long ssrc,
          int cacheSize) {
        this.participant = participant;
        this.transport = transport;
        this.mid = mid;
        this.kind = codec.kind();
        this.codec = codec;
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.stats = new ReceiveStats(codec.clockRate());
        this.cache = kind == MediaKind.VIDEO ? new PacketCache(cacheSize) : null;
    }

    public String participantId() { return participant.id(); }
    public Role role() { return participant.role(); }
    public String callId() { return participant.call().id(); }
    public String mid() { return mid; }
    public MediaKind kind() { return kind; }
    public Codec codec() { return codec; }
    public int clockRate() { return codec.clockRate(); }
    /** The publisher's payload type for {@link #codec()}. */
    public int payloadType() { return payloadType; }
    /** 0 until the first packet of an unsignalled stream arrived. */
    public long ssrc() { return ssrc; }

    /**
     * Asks the publisher for a keyframe (a PLI, RFC 4585 6.3.1), rate-limited with the SFU's other requests;
     * never blocks. For a recorder that starts in the middle of a call.
     */
    public void requestKeyframe() {
        participant.call().requestKeyframe(this);
    }

    Participant participant() { return participant; }
    WebRtcTransport transport() { return transport; }
    ReceiveStats stats() { return stats; }
    PacketCache cache() { return cache; }

    public int width() { return width; }
    public int height() { return height; }
    /** Video frames received: packets with the marker bit, which ends a frame (RFC 7741 4.1, RFC 6184 5.1). */
    public long frames() { return frames; }

    /** Notes a received video packet; runs under the transport's inbound lock, so plain increments suffice. */
    void onVideoPacket(byte[] b, int off, int header, int payload, boolean keyframeStart) {
        if (keyframeStart) {
            keyframeSeen = true;
        }
        if (keyframeStart && codec == Codec.VP8) {
            int size = Codec.vp8KeyframeSize(b, off + header, payload);
            if (size > 0) {
                width = size >>> 16;
                height = size & 0xFFFF;
            }
        }
        if (Rtp.marker(b, off)) {
            frames++;
        }
    }

    void latchSsrc(long value) {
        ssrc = value;
    }

    /**
     * Decides whether a keyframe request may go to the publisher now (RFC 4585 6.3: PLIs are rate-limited so
     * that many subscribers asking at once cost one keyframe). A refused request is remembered and
     * {@link #pendingRequestDue} reports when it may be sent, so the last subscriber to ask is not starved.
     */
    synchronized boolean tryStartKeyframeRequest(long nowNanos, long intervalNanos) {
        if (nowNanos - lastKeyframeRequestNanos >= intervalNanos) {
            lastKeyframeRequestNanos = nowNanos;
            keyframeRequestPending = false;
            return true;
        }
        keyframeRequestPending = true;
        return false;
    }

    synchronized boolean pendingRequestDue(long nowNanos, long intervalNanos) {
        // Chromium sends no periodic keyframes: if the one it starts with was lost (sent before the SFU had its
        // keys, say), nobody could decode this stream until someone asks, so the SFU asks on its own.
        boolean startedWithoutKeyframe = kind == MediaKind.VIDEO && frames > 0 && !keyframeSeen;
        return (keyframeRequestPending || startedWithoutKeyframe) && nowNanos - lastKeyframeRequestNanos >= intervalNanos;
    }

    @Override
    public String toString() {
        return "Track[" + participant.id() + " " + kind.sdpName() + " " + codec.sdpName() + " ssrc=" + ssrc + "]";
    }
}
