package ablak.media.rtp;

/**
 * Reads and writes RTP and RTCP header fields in place (RFC 3550 5.1 and 6.4) and tells the four kinds of
 * packet that share the one UDP port apart (RFC 7983 7, RFC 5761 4).
 */
public final class Rtp {
    private Rtp() {
    }

    /** What arrived on a transport once ice4j has taken the STUN out. */
    public enum Kind { DTLS, RTP, RTCP, GARBAGE }

    /** Smallest RTP header (RFC 3550 5.1) and smallest RTCP packet (RFC 3550 6.4.2, an empty RR). */
    public static final int MIN_RTP = 12;
    public static final int MIN_RTCP = 8;

    public static Kind classify(byte[] b, int off, int len) {
        if (len < 1) {
            return Kind.GARBAGE;
        }
        int first = b[off] & 0xFF;
        // RFC 7983 7: 20..63 is DTLS; 128..191 is RTP/RTCP.
        if (first >= 20 && first <= 63) {
            return len >= 13 ? Kind.DTLS : Kind.GARBAGE;
        }
        if (first >= 128 && first <= 191 && len >= MIN_RTCP) {
            int pt = b[off + 1] & 0xFF;
            // RFC 5761 4: payload types 192..223 (with the marker bit folded in) are RTCP.
            if (pt >= 192 && pt <= 223) {
                return Kind.RTCP;
            }
            return len >= MIN_RTP ? Kind.RTP : Kind.GARBAGE;
        }
        return Kind.GARBAGE;
    }

    public static int payloadType(byte[] b, int off) { return b[off + 1] & 0x7F; }
    public static boolean marker(byte[] b, int off) { return (b[off + 1] & 0x80) != 0; }
    public static int sequence(byte[] b, int off) { return readUint16(b, off + 2); }
    public static long timestamp(byte[] b, int off) { return readUint32(b, off + 4); }
    public static long ssrc(byte[] b, int off) { return readUint32(b, off + 8); }

    public static void setPayloadType(byte[] b, int off, int pt) { b[off + 1] = (byte) ((b[off + 1] & 0x80) | (pt & 0x7F)); }
    public static void setSequence(byte[] b, int off, int seq) { writeUint16(b, off + 2, seq); }
    public static void setTimestamp(byte[] b, int off, long ts) { writeUint32(b, off + 4, ts); }
    public static void setSsrc(byte[] b, int off, long ssrc) { writeUint32(b, off + 8, ssrc); }

    /**
     * Length of the fixed header, CSRCs and header extension (RFC 3550 5.3.1), or -1 if the packet is too
     * short to hold what its header announces.
     */
    public static int headerLength(byte[] b, int off, int len) {
        if (len < MIN_RTP) {
            return -1;
        }
        int header = MIN_RTP + 4 * (b[off] & 0x0F);
        if ((b[off] & 0x10) != 0) {
            if (len < header + 4) {
                return -1;
            }
            header += 4 + 4 * readUint16(b, off + header + 2);
        }
        return header <= len ? header : -1;
    }

    /** Payload length without padding (RFC 3550 5.1 P bit), or -1 if the padding count is impossible. */
    public static int payloadLength(byte[] b, int off, int len, int headerLength) {
        int padding = (b[off] & 0x20) != 0 ? b[off + len - 1] & 0xFF : 0;
        int payload = len - headerLength - padding;
        return payload >= 0 ? payload : -1;
    }

    public static int readUint16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    public static long readUint32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    public static void writeUint16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    public static void writeUint32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Forward distance from {@code from} to {@code to} in 16-bit sequence space, -32768..32767. */
    public static int sequenceDelta(int from, int to) {
        return (short) (to - from);
    }
}
