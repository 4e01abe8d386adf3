package ablak.media.recording;

/**
 * The parts of one RTP packet that recording needs (RFC 3550 section 5.1): the fixed header
 * fields and a copy of the payload with CSRCs, header extension and padding removed.
 */
record RtpPacket(int payloadType, boolean marker, int sequenceNumber, long timestamp, long ssrc, byte[] payload) {

    private static final int FIXED_HEADER_LENGTH = 12;

    /** Parses one packet; throws {@link MalformedRtpException} for anything that is not a well-formed RTP packet. */
    static RtpPacket parse(byte[] buffer, int offset, int length) {
        if (length < FIXED_HEADER_LENGTH) {
            throw new MalformedRtpException("shorter than the 12-byte RTP header: " + length + " bytes");
        }
        int first = buffer[offset] & 0xFF;
        if (first >>> 6 != 2) {
            throw new MalformedRtpException("RTP version is " + (first >>> 6) + ", not 2");
        }
        int headerLength = FIXED_HEADER_LENGTH + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            // RFC 3550 5.3.1: a 4-byte extension header whose last 16 bits count the 32-bit words that follow.
            if (length < headerLength + 4) {
                throw new MalformedRtpException("header extension runs past the end of the packet");
            }
            headerLength += 4 + 4 * readUnsignedShort(buffer, offset + headerLength + 2);
        }
        int end = length;
        if ((first & 0x20) != 0) {
            // RFC 3550 5.1: the last octet of the padding counts the padding octets, itself included.
            int padding = buffer[offset + length - 1] & 0xFF;
            if (padding == 0) {
                throw new MalformedRtpException("padding bit set with a zero padding count");
            }
            end -= padding;
        }
        if (end <= headerLength) {
            throw new MalformedRtpException("no payload after a " + headerLength + "-byte header in " + length + " bytes");
        }
        int second = buffer[offset + 1] & 0xFF;
        byte[] payload = new byte[end - headerLength];
        System.arraycopy(buffer, offset + headerLength, payload, 0, payload.length);
        return new RtpPacket(
                second & 0x7F,
                (second & 0x80) != 0,
                readUnsignedShort(buffer, offset + 2),
                readUnsignedInt(buffer, offset + 4),
                readUnsignedInt(buffer, offset + 8),
                payload);
    }

    private static int readUnsignedShort(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static long readUnsignedInt(byte[] b, int at) {
        return ((long) readUnsignedShort(b, at) << 16) | readUnsignedShort(b, at + 2);
    }
}
