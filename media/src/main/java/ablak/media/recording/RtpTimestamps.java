package ablak.media.recording;

/**
 * Turns a track's 32-bit RTP timestamps (RFC 3550 section 5.1, they wrap) into a 64-bit count of
 * clock ticks since the track's first packet.
 */
final class RtpTimestamps {

    private static final long RANGE = 1L << 32;
    private static final long HALF_RANGE = 1L << 31;

    private long first = -1;
    private long last;

    long sinceFirst(long timestamp) {
        if (first < 0) {
            first = timestamp;
            last = 0;
            return 0;
        }
        long delta = (timestamp - (first + last)) % RANGE;
        if (delta >= HALF_RANGE) {
            delta -= RANGE;
        } else if (delta < -HALF_RANGE) {
            delta += RANGE;
        }
        long elapsed = last + delta;
        last = Math.max(last, elapsed);
        return elapsed;
    }
}
