package ablak.media.recording;

import java.io.ByteArrayOutputStream;

/** VP8 in RTP (RFC 7741): the payload descriptor in front of each packet, and the VP8 frame header behind it. */
final class Vp8PayloadFormat implements VideoPayloadFormat {

    @Override
    public boolean startsFrame(byte[] payload) {
        // RFC 7741 4.2: S=1 with partition index 0 marks the first packet of a frame.
        int first = payload[0] & 0xFF;
        descriptorLength(payload);
        return (first & 0x10) != 0 && (first & 0x07) == 0;
    }

    @Override
    public void appendFrameData(byte[] payload, ByteArrayOutputStream frame) {
        int skip = descriptorLength(payload);
        frame.write(payload, skip, payload.length - skip);
    }

    @Override
    public boolean isKeyframe(byte[] frame) {
        // RFC 7741 4.3 and RFC 6386 9.1: the P bit, the lowest bit of the first frame byte, is 0 on a key frame.
        return frame.length >= 10 && (frame[0] & 0x01) == 0;
    }

    /** Width of a keyframe in pixels (RFC 6386 9.1: 14 bits after the start code 9d 01 2a), or 0 if it is not one. */
    static int width(byte[] keyframe) {
        return hasStartCode(keyframe) ? ((keyframe[6] & 0xFF) | (keyframe[7] & 0xFF) << 8) & 0x3FFF : 0;
    }

    static int height(byte[] keyframe) {
        return hasStartCode(keyframe) ? ((keyframe[8] & 0xFF) | (keyframe[9] & 0xFF) << 8) & 0x3FFF : 0;
    }

    private static boolean hasStartCode(byte[] frame) {
        return frame.length >= 10 && (frame[3] & 0xFF) == 0x9d && (frame[4] & 0xFF) == 0x01 && (frame[5] & 0xFF) == 0x2a;
    }

    /**
     * Length of the RFC 7741 4.2 payload descriptor: one byte, then with X set an extension byte
     * (I, L, T, K) and the fields it announces: a 7- or 15-bit PictureID (M bit), TL0PICIDX, and one
     * byte for TID/Y/KEYIDX.
     */
    private static int descriptorLength(byte[] payload) {
        int length = 1;
        if ((payload[0] & 0x80) != 0) {
            requireBytes(payload, 2);
            int extension = payload[1] & 0xFF;
            length = 2;
            if ((extension & 0x80) != 0) {
                requireBytes(payload, length + 1);
                length += (payload[length] & 0x80) != 0 ? 2 : 1;
            }
            if ((extension & 0x40) != 0) {
                length++;
            }
            if ((extension & 0x30) != 0) {
                length++;
            }
        }
        if (payload.length <= length) {
            throw new MalformedRtpException("VP8 payload descriptor of " + length + " bytes leaves no frame data in "
                    + payload.length + " bytes");
        }
        return length;
    }

    private static void requireBytes(byte[] payload, int count) {
        if (payload.length < count) {
            throw new MalformedRtpException("VP8 payload descriptor truncated at " + payload.length + " bytes");
        }
    }
}
