package ablak.media.rtp;

/**
 * Reception statistics of one incoming RTP stream, as RFC 3550 Appendix A.3 (loss) and A.8 (jitter) define
 * them, and what a receiver report block about it must say (RFC 3550 6.4.1). Updated by the one thread that
 * receives the stream; read by the reporting thread, which tolerates a slightly stale view.
 */
public final class ReceiveStats {
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;

    private final int clockRate;
    private boolean started;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private volatile long received;
    private volatile long bytes;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private long lastTransit;
    private boolean hasTransit;
    private volatile long lastSrNtpMiddle;
    private volatile long lastSrArrivalNanos;

    public ReceiveStats(int clockRate) {
        this.clockRate = clockRate;
    }

    /** Counts one packet; {@code arrivalNanos} is System.nanoTime() at reception. */
    public void onPacket(int seq, long rtpTimestamp, int length, long arrivalNanos) {
        received++;
        bytes += length;
        if (!started) {
            started = true;
            maxSeq = seq;
            baseSeq = seq;
        } else {
            int delta = Rtp.sequenceDelta(maxSeq, seq);
            if (delta > 0 && delta < MAX_DROPOUT) {
                if (seq < maxSeq) {
                    cycles += 65536;
                }
                maxSeq = seq;
            } else if (delta <= -MAX_MISORDER || delta >= MAX_DROPOUT) {
                // A big jump: the sender restarted; start over rather than report a huge loss.
                maxSeq = seq;
                baseSeq = seq;
                cycles = 0;
                received = 1;
                receivedPrior = 0;
                expectedPrior = 0;
            }
        }
        // RFC 3550 A.8: interarrival jitter in timestamp units, smoothed with gain 1/16.
        long arrival = arrivalNanos * clockRate / 1_000_000_000L;
        long transit = arrival - rtpTimestamp;
        if (hasTransit) {
            long d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        hasTransit = true;
    }

    /** Remembers a sender report for LSR/DLSR (RFC 3550 6.4.1). */
    public void onSenderReport(long ntpSeconds, long ntpFraction, long arrivalNanos) {
        lastSrNtpMiddle = ((ntpSeconds & 0xFFFF) << 16) | (ntpFraction >>> 16);
        lastSrArrivalNanos = arrivalNanos;
    }

    public long received() { return received; }
    public long bytes() { return bytes; }

    public long expected() {
        return started ? cycles + maxSeq - baseSeq + 1 : 0;
    }

    public long lost() {
        return Math.max(0, expected() - received);
    }

    public double jitterSeconds() {
        return jitter / clockRate;
    }

    /**
     * Writes a 24-byte report block (RFC 3550 6.4.1) for {@code ssrc} at {@code at} and rolls the interval
     * counters used for the fraction lost.
     */
    public void writeReportBlock(byte[] b, int at, long ssrc, long nowNanos) {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long cumulative = Math.min(0x7FFFFF, lost());
        Rtp.writeUint32(b, at, ssrc);
        Rtp.writeUint32(b, at + 4, ((long) (fraction & 0xFF) << 24) | cumulative);
        Rtp.writeUint32(b, at + 8, (cycles & 0xFFFF0000L) | maxSeq);
        Rtp.writeUint32(b, at + 12, (long) jitter);
        long lsr = lastSrNtpMiddle;
        Rtp.writeUint32(b, at + 16, lsr);
        long dlsr = lsr == 0 ? 0 : (nowNanos - lastSrArrivalNanos) * 65536 / 1_000_000_000L;
        Rtp.writeUint32(b, at + 20, dlsr);
    }
}
