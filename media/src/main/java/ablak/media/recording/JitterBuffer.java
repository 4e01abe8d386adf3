package ablak.media.recording;

import java.util.TreeMap;

/**
 * Puts one track's packets back into sequence-number order before depacketization. Packets are held
 * until {@code window} newer ones have arrived, so anything reordered by less than the window is
 * repaired; a sequence number still missing then is declared lost. Memory is bounded by the window.
 * Sequence numbers are 16 bits and wrap (RFC 3550 section 5.1); they are extended to 64 bits the way
 * RFC 3550 appendix A.1 tracks cycles.
 */
final class JitterBuffer {

    /** What happened to an offered packet. */
    enum Admission { ACCEPTED, DUPLICATE, LATE }

    /** Receives packets in sequence order, and the size of each gap before the packet that follows it. */
    interface Output {
        void packet(RtpPacket packet);

        void lost(long count);
    }

    private static final long HALF_RANGE = 1 << 15;
    private static final long RANGE = 1 << 16;

    private final int window;
    private final Output output;
    private final TreeMap<Long, RtpPacket> held = new TreeMap<>();
    /** The last sequence numbers released, to tell a late duplicate from a packet that came too late. */
    private final long[] released;
    private int releasedCount;
    private long highest = -1;
    private long nextToRelease = -1;

    JitterBuffer(int window, Output output) {
        if (window < 1) {
            throw new IllegalArgumentException("jitter window must hold at least one packet: " + window);
        }
        this.window = window;
        this.output = output;
        this.released = new long[2 * window];
    }

    Admission offer(RtpPacket packet) {
        long extended = extend(packet.sequenceNumber());
        if (nextToRelease >= 0 && extended < nextToRelease) {
            return wasReleased(extended) ? Admission.DUPLICATE : Admission.LATE;
        }
        if (held.putIfAbsent(extended, packet) != null) {
            return Admission.DUPLICATE;
        }
        while (!held.isEmpty() && (held.firstKey() == nextToRelease || held.size() > window)) {
            release();
        }
        return Admission.ACCEPTED;
    }

    /** Releases everything still held, in order: the track is ending. */
    void flush() {
        while (!held.isEmpty()) {
            release();
        }
    }

    private void release() {
        var first = held.pollFirstEntry();
        if (nextToRelease >= 0 && first.getKey() > nextToRelease) {
            output.lost(first.getKey() - nextToRelease);
        }
        nextToRelease = first.getKey() + 1;
        released[releasedCount++ % released.length] = first.getKey();
        output.packet(first.getValue());
    }

    private boolean wasReleased(long extended) {
        for (int i = 0; i < Math.min(releasedCount, released.length); i++) {
            if (released[i] == extended) {
                return true;
            }
        }
        return false;
    }

    private long extend(int sequenceNumber) {
        if (highest < 0) {
            // Start one cycle up so packets that were sent just before the first one stay positive.
            highest = RANGE + sequenceNumber;
            return highest;
        }
        long candidate = (highest & ~(RANGE - 1)) | sequenceNumber;
        if (candidate - highest > HALF_RANGE) {
            candidate -= RANGE;
        } else if (highest - candidate > HALF_RANGE) {
            candidate += RANGE;
        }
        highest = Math.max(highest, candidate);
        return candidate;
    }
}
