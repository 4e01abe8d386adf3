package ablak.media.recording;

/** What the recorder reads from an Opus packet's table-of-contents byte (RFC 6716 section 3.1). */
final class OpusPackets {

    /** RFC 6716 3.2.5 (R5): no packet holds more than 120 ms of audio. */
    private static final int MAX_SAMPLES = 5760;

    private OpusPackets() {
    }

    /** Samples at 48 kHz in the packet, from its TOC byte and frame count (RFC 6716 3.1, 3.2). */
    static int samples(byte[] packet) {
        if (packet.length == 0) {
            throw new MalformedRtpException("empty Opus packet");
        }
        int frames = switch (packet[0] & 0x03) {
            case 0 -> 1;
            case 1, 2 -> 2;
            default -> {
                if (packet.length < 2) {
                    throw new MalformedRtpException("Opus code 3 packet without its frame count byte");
                }
                yield packet[1] & 0x3F;
            }
        };
        int samples = frames * samplesPerFrame(packet[0]);
        if (frames == 0 || samples > MAX_SAMPLES) {
            throw new MalformedRtpException("Opus packet of " + frames + " frames, " + samples + " samples");
        }
        return samples;
    }

    /** Frame duration of the TOC's configuration (RFC 6716 3.1, table 2), in samples at 48 kHz. */
    static int samplesPerFrame(byte toc) {
        int config = (toc & 0xFF) >>> 3;
        if (config < 12) {
            return new int[] {480, 960, 1920, 2880}[config & 0x03]; // SILK-only: 10, 20, 40, 60 ms
        }
        if (config < 16) {
            return (config & 0x01) == 0 ? 480 : 960; // hybrid: 10, 20 ms
        }
        return 120 << (config & 0x03); // CELT-only: 2.5, 5, 10, 20 ms
    }

    static boolean isStereo(byte toc) {
        return (toc & 0x04) != 0;
    }

    /**
     * A packet of one zero-length frame in the given TOC's configuration: RFC 6716 3.2.1 lets a code 0
     * packet carry an empty frame, which the decoder conceals like a lost one. It stands in for audio
     * that never arrived, so the file's timeline stays that of the call.
     */
    static byte[] concealment(byte toc) {
        return new byte[] {(byte) (toc & 0xFC)};
    }
}
