package ablak.media.rtp;

import java.util.Optional;

/** The codecs the SFU forwards. Anything else is left out of the SDP answer. */
public enum Codec {
    OPUS("opus", MediaKind.AUDIO, 48_000, 2),
    VP8("VP8", MediaKind.VIDEO, 90_000, 0),
    H264("H264", MediaKind.VIDEO, 90_000, 0);

    private final String sdpName;
    private final MediaKind kind;
    private final int clockRate;
    private final int channels;

    Codec(String sdpName, MediaKind kind, int clockRate, int channels) {
        this.sdpName = sdpName;
        this.kind = kind;
        this.clockRate = clockRate;
        this.channels = channels;
    }

    public String sdpName() { return sdpName; }
    public MediaKind kind() { return kind; }
    public int clockRate() { return clockRate; }
    public int channels() { return channels; }

    /** The rtpmap encoding, e.g. {@code opus/48000/2}, as it appears in SDP (RFC 8866 6.6). */
    public String rtpmap() {
        return sdpName + "/" + clockRate + (channels > 0 ? "/" + channels : "");
    }

    public static Optional<Codec> bySdpName(String name, int clockRate) {
        for (Codec c : values()) {
            if (c.sdpName.equalsIgnoreCase(name) && c.clockRate == clockRate) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether this RTP payload starts a frame a decoder can begin with. Audio frames always are. A new
     * subscriber gets no video until one arrives, because deltas without their reference frame only show
     * garbage (RFC 7741 4.3 for VP8, RFC 6184 5.4 for H.264 IDR).
     */
    public boolean isKeyframeStart(byte[] b, int payloadOffset, int payloadLength) {
        return switch (this) {
            case OPUS -> true;
            case VP8 -> isVp8Keyframe(b, payloadOffset, payloadLength);
            case H264 -> isH264Keyframe(b, payloadOffset, payloadLength);
        };
    }

    /** RFC 7741 4.2 payload descriptor, then 4.3 payload header: S=1, PID=0 and the P bit clear. */
    static boolean isVp8Keyframe(byte[] b, int off, int len) {
        int i = vp8FrameStart(b, off, len);
        return i >= 0 && (b[off + i] & 0x01) == 0;
    }

    /**
     * The picture size in the first packet of a VP8 keyframe, as {@code width << 16 | height}, or -1 if this
     * packet does not start a keyframe. RFC 6386 9.1: after the 3-byte frame tag come the start code
     * 9d 01 2a and the 14-bit width and height, little-endian.
     */
    public static int vp8KeyframeSize(byte[] b, int off, int len) {
        int i = vp8FrameStart(b, off, len);
        if (i < 0 || (b[off + i] & 0x01) != 0 || len < i + 10) {
            return -1;
        }
        int at = off + i;
        if ((b[at + 3] & 0xFF) != 0x9d || b[at + 4] != 0x01 || b[at + 5] != 0x2a) {
            return -1;
        }
        int width = ((b[at + 6] & 0xFF) | (b[at + 7] & 0xFF) << 8) & 0x3FFF;
        int height = ((b[at + 8] & 0xFF) | (b[at + 9] & 0xFF) << 8) & 0x3FFF;
        return width << 16 | height;
    }

    /** Where the VP8 payload header starts if this packet starts a frame (S=1, PID=0), else -1. */
    private static int vp8FrameStart(byte[] b, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int d = b[off] & 0xFF;
        boolean start = (d & 0x10) != 0 && (d & 0x07) == 0;
        if (!start) {
            return -1;
        }
        int i = 1;
        if ((d & 0x80) != 0) {
            if (len < 2) {
                return -1;
            }
            int x = b[off + 1] & 0xFF;
            i = 2;
            if ((x & 0x80) != 0) {
                if (len <= i) {
                    return -1;
                }
                i += (b[off + i] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) {
                i++;
            }
            if ((x & 0x30) != 0) {
                i++;
            }
        }
        return len > i ? i : -1;
    }

    /** RFC 6184 5.4-5.8: an IDR (5) or SPS (7) NAL unit alone, in a STAP-A, or starting an FU-A. */
    static boolean isH264Keyframe(byte[] b, int off, int len) {
        if (len < 1) {
            return false;
        }
        int type = b[off] & 0x1F;
        if (type == 5 || type == 7) {
            return true;
        }
        if (type == 24) {
            int i = off + 1;
            int end = off + len;
            while (i + 2 < end) {
                int size = Rtp.readUint16(b, i);
                int nal = b[i + 2] & 0x1F;
                if (nal == 5 || nal == 7) {
                    return true;
                }
                i += 2 + size;
            }
            return false;
        }
        if (type == 28 && len >= 2) {
            int fu = b[off + 1] & 0xFF;
            return (fu & 0x80) != 0 && ((fu & 0x1F) == 5 || (fu & 0x1F) == 7);
        }
        return false;
    }
}
