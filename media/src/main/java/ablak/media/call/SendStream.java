package ablak.media.call;

import ablak.media.rtp.Codec;
import ablak.media.rtp.MediaKind;
import ablak.media.rtp.PacketBuffer;
import ablak.media.rtp.Rtp;

import java.util.concurrent.ThreadLocalRandom;

/**
 * What the SFU sends to one subscriber on one m-section. It has its own SSRC, announced in the answer, and
 * carries whichever {@link Track} is bound to it; when the bound track changes (someone leaves, joins or
 * reconnects) the sequence numbers and timestamps go on without a jump, so the subscriber's jitter buffer
 * and decoder see one continuous stream (RFC 7667 3.7, the SSRC-rewriting middlebox).
 */
public final class SendStream {
    private final WebRtcTransport transport;
    private final String mid;
    private final int slot;
    private final Codec codec;
    private final int payloadType;
    private final long ssrc;
    private volatile Track source;

    private boolean started;
    private boolean rebase;
    private boolean needKeyframe;
    private int seqOffset;
    private long tsOffset;
    private int lastSeq;
    private long lastTimestamp;
    private long lastSentNanos;
    /** Plain fields, written and read under this stream's monitor: a volatile write per packet costs a fence. */
    private long packetsSent;
    private long octetsSent;

    SendStream(WebRtcTransport transport, String mid, int slot, Codec codec, int payloadType, long ssrc) {
        this.transport = transport;
        this.mid = mid;
        this.slot = slot;
        this.codec = codec;
        this.payloadType = payloadType;
        this.ssrc = ssrc;
    }

    public long ssrc() { return ssrc; }
    public MediaKind kind() { return codec.kind(); }
    public Codec codec() { return codec; }
    public String mid() { return mid; }
    /** Streams with the same slot on one transport carry one participant's audio and video. */
    public int slot() { return slot; }
    public Track source() { return source; }
    WebRtcTransport transport() { return transport; }

    /** Video bound to a source whose next keyframe has not come yet: nothing reaches this subscriber until it does. */
    synchronized boolean waitingForKeyframe() {
        return needKeyframe && source != null;
    }

    /** Carries {@code track} from now on (or nothing, if null); video waits for the track's next keyframe. */
    synchronized void bind(Track track) {
        source = track;
        rebase = true;
        needKeyframe = codec.kind() == MediaKind.VIDEO;
    }

    /**
     * Rewrites a copy of the source's packet for this subscriber: SSRC, payload type, sequence number and
     * timestamp. Returns false if the packet must not be sent: video before its first keyframe.
     */
    synchronized boolean rewrite(PacketBuffer p, boolean keyframeStart, long nowNanos) {
        byte[] b = p.getBuffer();
        int off = p.getOffset();
        int seq = Rtp.sequence(b, off);
        long ts = Rtp.timestamp(b, off);
        if (rebase) {
            if (needKeyframe && !keyframeStart) {
                return false;
            }
            if (!started) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                // RFC 3550 5.1: initial sequence number and timestamp are random.
                seqOffset = random.nextInt(0x10000) - seq;
                tsOffset = random.nextLong(0x100000000L) - ts;
                started = true;
            } else {
                long elapsed = Math.max(1, (nowNanos - lastSentNanos) * codec.clockRate() / 1_000_000_000L);
                seqOffset = lastSeq + 1 - seq;
                tsOffset = lastTimestamp + elapsed - ts;
            }
            rebase = false;
            needKeyframe = false;
            lastSeq = (seq + seqOffset) & 0xFFFF;
            lastTimestamp = (ts + tsOffset) & 0xFFFFFFFFL;
            lastSentNanos = nowNanos;
        }
        int outSeq = (seq + seqOffset) & 0xFFFF;
        long outTs = (ts + tsOffset) & 0xFFFFFFFFL;
        if (Rtp.sequenceDelta(lastSeq, outSeq) > 0) {
            lastSeq = outSeq;
            lastTimestamp = outTs;
            lastSentNanos = nowNanos;
        }
        apply(b, off, outSeq, outTs);
        packetsSent++;
        octetsSent += p.getLength() - Rtp.headerLength(b, off, p.getLength());
        return true;
    }

    /** RTP packets sent on this stream so far, for sender reports (RFC 3550 6.4.1). */
    synchronized long packetsSent() {
        return packetsSent;
    }

    /** Payload octets sent on this stream so far, for sender reports. */
    synchronized long octetsSent() {
        return octetsSent;
    }

    /** Maps a sequence number this subscriber saw back to the source's, for answering its NACKs; -1 if none. */
    synchronized int sourceSequence(int outSeq) {
        return started && !rebase ? (outSeq - seqOffset) & 0xFFFF : -1;
    }

    /** Rewrites a cached source packet for retransmission with the same numbers it had the first time. */
    synchronized void rewriteRetransmission(PacketBuffer p) {
        byte[] b = p.getBuffer();
        int off = p.getOffset();
        apply(b, off, (Rtp.sequence(b, off) + seqOffset) & 0xFFFF, (Rtp.timestamp(b, off) + tsOffset) & 0xFFFFFFFFL);
    }

    /** The RTP timestamp that corresponds to now on this stream, for sender reports (RFC 3550 6.4.1). */
    synchronized long timestampNow(long nowNanos) {
        return (lastTimestamp + (nowNanos - lastSentNanos) * codec.clockRate() / 1_000_000_000L) & 0xFFFFFFFFL;
    }

    private void apply(byte[] b, int off, int seq, long ts) {
        Rtp.setSsrc(b, off, ssrc);
        Rtp.setPayloadType(b, off, payloadType);
        Rtp.setSequence(b, off, seq);
        Rtp.setTimestamp(b, off, ts);
    }
}
