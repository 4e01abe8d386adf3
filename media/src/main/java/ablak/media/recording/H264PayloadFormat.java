package ablak.media.recording;

import java.io.ByteArrayOutputStream;

/**
 * H.264 in RTP, non-interleaved mode (RFC 6184 section 6.3, what WebRTC uses): single NAL unit
 * packets, STAP-A aggregates and FU-A fragments, written out as an Annex B byte stream (each NAL
 * unit behind a 00 00 00 01 start code).
 */
final class H264PayloadFormat implements VideoPayloadFormat {

    private static final byte[] START_CODE = {0, 0, 0, 1};
    private static final int STAP_A = 24;
    private static final int FU_A = 28;
    private static final int IDR_SLICE = 5;

    @Override
    public boolean startsFrame(byte[] payload) {
        // Only an FU-A fragment without its start bit continues a NAL unit begun in an earlier packet.
        return nalType(payload[0]) != FU_A || (requireLength(payload, 2)[1] & 0x80) != 0;
    }

    @Override
    public void appendFrameData(byte[] payload, ByteArrayOutputStream frame) {
        int type = nalType(payload[0]);
        if (type >= 1 && type <= 23) {
            frame.writeBytes(START_CODE);
            frame.write(payload, 0, payload.length);
        } else if (type == STAP_A) {
            // RFC 6184 5.7.1: after the STAP-A header, each NAL unit is preceded by its 16-bit size.
            int at = 1;
            while (at < payload.length) {
                requireLength(payload, at + 2);
                int size = (payload[at] & 0xFF) << 8 | (payload[at + 1] & 0xFF);
                if (size == 0 || at + 2 + size > payload.length) {
                    throw new MalformedRtpException("STAP-A unit of " + size + " bytes overruns the payload");
                }
                frame.writeBytes(START_CODE);
                frame.write(payload, at + 2, size);
                at += 2 + size;
            }
        } else if (type == FU_A) {
            // RFC 6184 5.8: the first fragment rebuilds the NAL header from the FU indicator's F/NRI bits
            // and the FU header's type.
            requireLength(payload, 3);
            if ((payload[1] & 0x80) != 0) {
                frame.writeBytes(START_CODE);
                frame.write((payload[0] & 0xE0) | (payload[1] & 0x1F));
            }
            frame.write(payload, 2, payload.length - 2);
        } else {
            throw new MalformedRtpException("H.264 packet type " + type + " is not allowed in non-interleaved mode");
        }
    }

    @Override
    public boolean isKeyframe(byte[] frame) {
        for (int i = 0; i + 4 < frame.length; i++) {
            if (frame[i] == 0 && frame[i + 1] == 0 && frame[i + 2] == 0 && frame[i + 3] == 1
                    && nalType(frame[i + 4]) == IDR_SLICE) {
                return true;
            }
        }
        return false;
    }

    private static int nalType(byte header) {
        return header & 0x1F;
    }

    private static byte[] requireLength(byte[] payload, int length) {
        if (payload.length < length) {
            throw new MalformedRtpException("H.264 payload truncated at " + payload.length + " bytes");
        }
        return payload;
    }
}
