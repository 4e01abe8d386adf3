package ablak.media.call;

import ablak.media.rtp.MediaKind;
import ablak.media.rtp.PacketBuffer;
import ablak.media.rtp.Rtcp;
import ablak.media.rtp.Rtp;
import ablak.media.srtp.SrtpSession;
import ablak.media.stats.DropReason;
import ablak.media.stats.MediaMetrics;
import org.ice4j.util.Buffer;
import org.jitsi.srtp.SrtpErrorStatus;

import java.io.IOException;

/**
 * The path of every datagram through the SFU, written down in order in this one class:
 *
 * <pre>
 * ice4j push callback (STUN already answered by ice4j)
 *   -> demultiplex            DTLS | RTP | RTCP | garbage          (RFC 7983)
 *   DTLS -> handshake queue
 *   RTP  -> early buffer until keys -> identify track by SSRC -> SRTP decrypt (RFC 3711)
 *        -> header check -> receive stats -> packet cache -> mute gate -> recording hook
 *        -> for each subscriber: rewrite SSRC/seq/ts/PT (keyframe gate) -> SRTP encrypt -> send
 *   RTCP -> early buffer until keys -> SRTCP decrypt -> for each packet of the compound:
 *        SR: note for LSR; report blocks: RTT; NACK: resend from cache; PLI/FIR: keyframe request
 *        to the publisher (rate-limited); SDES, BYE, REMB, APP: terminated here (RFC 7667 3.7)
 * </pre>
 *
 * Every step counts what it drops. A transport's inbound steps run under its lock; the receive thread is the
 * only hot caller.
 */
public final class PacketPath {
    private final Sfu sfu;
    private final MediaMetrics metrics;
    /**
     * Forward latency is recorded for one packet in this many: a record into the percentile histogram costs
     * several hundred nanoseconds, more than the rest of the path's bookkeeping. Counting, not timing, picks the
     * packets: sampling the first packet after each millisecond favoured packets that came after a pause, whose
     * caches are cold, and raised p50 and p99. At 40 000 packets/s this still records over a thousand a second.
     * Receive threads of several media ports may race on the count; a lost or extra sample does not matter.
     */
    private static final int LATENCY_SAMPLE_MASK = 31;
    private int latencySamples;

    PacketPath(Sfu sfu, MediaMetrics metrics) {
        this.sfu = sfu;
        this.metrics = metrics;
    }

    /** Entry point: one datagram from ice4j for {@code t}. */
    void receive(WebRtcTransport t, Buffer datagram) {
        long now = System.nanoTime();
        byte[] b = datagram.getBuffer();
        int off = datagram.getOffset();
        int len = datagram.getLength();
        switch (Rtp.classify(b, off, len)) {
            case DTLS -> dtls(t, b, off, len);
            case RTP -> {
                metrics.rtpReceived();
                t.touch(now);
                synchronized (t.inbound) {
                    rtp(t, b, off, len, true, now);
                }
            }
            case RTCP -> {
                metrics.rtcpReceived();
                t.touch(now);
                synchronized (t.inbound) {
                    rtcp(t, b, off, len, now);
                }
            }
            case GARBAGE -> metrics.dropped(DropReason.GARBAGE);
        }
    }

    /** Installs SRTP keys and replays what came early, in order, as if it came now. */
    void secure(WebRtcTransport t, SrtpSession session) {
        synchronized (t.inbound) {
            if (t.state() == WebRtcTransport.State.CLOSED) {
                session.close();
                return;
            }
            long now = System.nanoTime();
            for (byte[] p : t.secure(session)) {
                if (Rtp.classify(p, 0, p.length) == Rtp.Kind.RTCP) {
                    rtcp(t, p, 0, p.length, now);
                } else {
                    rtp(t, p, 0, p.length, false, now);
                }
            }
        }
    }

    private void dtls(WebRtcTransport t, byte[] b, int off, int len) {
        metrics.dtlsReceived();
        if (!t.dtls().receiveFromNetwork(b, off, len)) {
            metrics.dropped(DropReason.DTLS_OVERFLOW);
        }
    }

    /** {@code live}: just received, so its forwarding latency is measured from {@code now}; false for replays. */
    void rtp(WebRtcTransport t, byte[] b, int off, int len, boolean live, long now) {
        SrtpSession srtp = t.srtp();
        if (srtp == null) {
            keepEarly(t, b, off, len);
            return;
        }
        Track track = identify(t, b, off);
        if (track == null) {
            metrics.dropped(DropReason.UNKNOWN_SSRC);
            return;
        }
        PacketBuffer packet = t.received.pointAt(b, off, len);
        if (srtp.decryptRtp(packet) != SrtpErrorStatus.OK) {
            if (track.ssrc() == 0) {
                srtp.forgetInbound(Rtp.ssrc(b, off));
            }
            t.participant().srtpFailures.increment();
            metrics.dropped(DropReason.SRTP_AUTH);
            return;
        }
        if (track.ssrc() == 0) {
            track.latchSsrc(Rtp.ssrc(b, off));
        }
        len = packet.getLength();
        int header = Rtp.headerLength(b, off, len);
        int payload = header < 0 ? -1 : Rtp.payloadLength(b, off, len, header);
        if (payload < 0) {
            metrics.dropped(DropReason.MALFORMED);
            return;
        }
        Participant publisher = t.participant();
        publisher.packetsIn.increment();
        publisher.bytesIn.add(len);
        track.stats().onPacket(Rtp.sequence(b, off), Rtp.timestamp(b, off), len, now);
        if (track.cache() != null) {
            track.cache().put(b, off, len);
        }
        if (!publisher.forwards(track.kind())) {
            metrics.dropped(DropReason.MUTED);
            return;
        }
        if (publisher.recorded()) {
            for (RtpListener listener : publisher.call().rtpListeners()) {
                listener.onRtp(track, b, off, len);
            }
        }
        boolean keyframe = track.codec().isKeyframeStart(b, off + header, payload);
        if (track.kind() == MediaKind.VIDEO) {
            track.onVideoPacket(b, off, header, payload, keyframe);
        }
        int sent = 0;
        for (SendStream stream : track.subscribers) {
            if (forward(t.outgoing, stream, b, off, len, keyframe, now)) {
                sent++;
            }
        }
        if (sent > 0 && live && (++latencySamples & LATENCY_SAMPLE_MASK) == 0) {
            metrics.forwardLatency(System.nanoTime() - now);
        }
    }

    /** The track this packet belongs to: by SSRC, or the first unsignalled track with its payload type. */
    private static Track identify(WebRtcTransport t, byte[] b, int off) {
        long ssrc = Rtp.ssrc(b, off);
        Track track = t.trackBySsrc(ssrc);
        return track != null ? track : t.unlatchedTrack(Rtp.payloadType(b, off));
    }

    private boolean forward(PacketBuffer scratch, SendStream stream, byte[] b, int off, int len, boolean keyframe, long now) {
        WebRtcTransport subscriber = stream.transport();
        SrtpSession srtp = subscriber.srtp();
        if (srtp == null) {
            metrics.dropped(DropReason.SUBSCRIBER_NOT_READY);
            return false;
        }
        PacketBuffer out = scratch.set(b, off, len);
        if (!stream.rewrite(out, keyframe, now)) {
            metrics.dropped(DropReason.WAITING_FOR_KEYFRAME);
            return false;
        }
        if (srtp.encryptRtp(out) != SrtpErrorStatus.OK) {
            metrics.dropped(DropReason.SRTP_AUTH);
            return false;
        }
        if (!send(subscriber, out)) {
            return false;
        }
        subscriber.participant().packetsOut.increment();
        subscriber.participant().bytesOut.add(out.getLength());
        metrics.forwarded();
        return true;
    }

    private void keepEarly(WebRtcTransport t, byte[] b, int off, int len) {
        if (!t.keepEarly(b, off, len)) {
            metrics.dropped(DropReason.EARLY_OVERFLOW);
        }
    }

    void rtcp(WebRtcTransport t, byte[] b, int off, int len, long now) {
        SrtpSession srtp = t.srtp();
        if (srtp == null) {
            keepEarly(t, b, off, len);
            return;
        }
        PacketBuffer packet = t.received.pointAt(b, off, len);
        if (srtp.decryptRtcp(packet) != SrtpErrorStatus.OK) {
            t.participant().srtpFailures.increment();
            metrics.dropped(DropReason.SRTP_AUTH);
            return;
        }
        int end = off + packet.getLength();
        int at = off;
        // RFC 3550 6.1: a compound packet is a sequence of RTCP packets, each with its own length.
        while (at + 8 <= end) {
            if ((b[at] & 0xC0) != 0x80) {
                metrics.dropped(DropReason.MALFORMED);
                return;
            }
            int size = (Rtp.readUint16(b, at + 2) + 1) * 4;
            if (at + size > end) {
                metrics.dropped(DropReason.MALFORMED);
                return;
            }
            int count = b[at] & 0x1F;
            switch (b[at + 1] & 0xFF) {
                case Rtcp.SR -> senderReport(t, b, at, size, count, now);
                case Rtcp.RR -> reportBlocks(t, b, at + 8, size - 8, count);
                case Rtcp.RTPFB -> {
                    if (count == Rtcp.FMT_NACK && size >= 16) {
                        nack(t, b, at, size);
                    }
                }
                case Rtcp.PSFB -> keyframeRequest(t, b, at, size, count);
                default -> { }
            }
            at += size;
        }
    }

    private void senderReport(WebRtcTransport t, byte[] b, int at, int size, int count, long now) {
        if (size < 28) {
            return;
        }
        Track track = t.trackBySsrc(Rtp.readUint32(b, at + 4));
        if (track != null) {
            track.stats().onSenderReport(Rtp.readUint32(b, at + 8), Rtp.readUint32(b, at + 12), now);
        }
        reportBlocks(t, b, at + 28, size - 28, count);
    }

    /** Report blocks about our send streams give the round-trip time (RFC 3550 6.4.1). */
    private void reportBlocks(WebRtcTransport t, byte[] b, int at, int available, int count) {
        for (int i = 0; i < count && (i + 1) * Rtcp.REPORT_BLOCK <= available; i++) {
            int block = at + i * Rtcp.REPORT_BLOCK;
            if (t.sendStreamBySsrc(Rtp.readUint32(b, block)) == null) {
                continue;
            }
            long lsr = Rtp.readUint32(b, block + 16);
            long dlsr = Rtp.readUint32(b, block + 20);
            if (lsr != 0) {
                long rtt = (Rtcp.ntpMiddle(Rtcp.ntpNow()) - lsr - dlsr) & 0xFFFFFFFFL;
                if (rtt < 65536L * 10) {
                    t.rtt(rtt * 1000.0 / 65536);
                }
            }
        }
    }

    /** Generic NACK (RFC 4585 6.2.1): resend each listed packet from the publisher's cache. */
    private void nack(WebRtcTransport t, byte[] b, int at, int size) {
        SendStream stream = t.sendStreamBySsrc(Rtp.readUint32(b, at + 8));
        Track source = stream == null ? null : stream.source();
        if (source == null || source.cache() == null || t.srtp() == null) {
            return;
        }
        t.participant().nacksReceived.increment();
        for (int fci = at + 12; fci + 4 <= at + size; fci += 4) {
            int pid = Rtp.readUint16(b, fci);
            int blp = Rtp.readUint16(b, fci + 2);
            retransmit(t, stream, source, pid);
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    retransmit(t, stream, source, (pid + bit + 1) & 0xFFFF);
                }
            }
        }
    }

    private void retransmit(WebRtcTransport t, SendStream stream, Track source, int seq) {
        int sourceSeq = stream.sourceSequence(seq);
        PacketBuffer out = t.outgoing;
        if (sourceSeq < 0 || !source.cache().get(sourceSeq, out)) {
            return;
        }
        stream.rewriteRetransmission(out);
        if (t.srtp().encryptRtp(out) == SrtpErrorStatus.OK && send(t, out)) {
            t.participant().retransmissions.increment();
            metrics.retransmitted();
        }
    }

    /** PLI (RFC 4585 6.3.1) or FIR (RFC 5104 4.3.1) from a subscriber: ask the publisher of that stream. */
    private void keyframeRequest(WebRtcTransport t, byte[] b, int at, int size, int fmt) {
        if (fmt == Rtcp.FMT_PLI && size >= 12) {
            keyframeFor(t, Rtp.readUint32(b, at + 8));
        } else if (fmt == Rtcp.FMT_FIR) {
            for (int fci = at + 12; fci + 8 <= at + size; fci += 8) {
                keyframeFor(t, Rtp.readUint32(b, fci));
            }
        }
    }

    private void keyframeFor(WebRtcTransport t, long mediaSsrc) {
        SendStream stream = t.sendStreamBySsrc(mediaSsrc);
        if (stream != null && stream.source() != null && stream.kind() == MediaKind.VIDEO) {
            sfu.requestKeyframe(stream.source());
        }
    }

    /** Sends a PLI to the publisher of {@code track}; the caller has applied the rate limit. */
    void sendPli(Track track) {
        WebRtcTransport t = track.transport();
        SrtpSession srtp = t.srtp();
        if (srtp == null || track.ssrc() == 0) {
            return;
        }
        PacketBuffer out = new PacketBuffer(12 + PacketBuffer.HEADROOM);
        out.setLength(Rtcp.writePli(out.getBuffer(), 0, t.localSsrc(), track.ssrc()));
        if (srtp.encryptRtcp(out) == SrtpErrorStatus.OK && send(t, out)) {
            track.participant().keyframesRequested.increment();
            metrics.keyframeRequested();
        }
    }

    /** Sends SRTCP that the reporter built. */
    void sendRtcp(WebRtcTransport t, PacketBuffer packet) {
        SrtpSession srtp = t.srtp();
        if (srtp != null && srtp.encryptRtcp(packet) == SrtpErrorStatus.OK) {
            send(t, packet);
        }
    }

    private boolean send(WebRtcTransport t, PacketBuffer packet) {
        try {
            t.send(packet);
            return true;
        } catch (IOException e) {
            metrics.dropped(DropReason.SEND_FAILED);
            return false;
        }
    }
}
