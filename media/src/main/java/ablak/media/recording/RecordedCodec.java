package ablak.media.recording;

import java.util.Locale;
import java.util.Optional;

/** The codecs the recorder writes, each with the RTP clock rate its payload format fixes and its file type. */
public enum RecordedCodec {
    /** RFC 7741; written as IVF. */
    VP8(90_000, "ivf"),
    /** RFC 7587; written as Ogg Opus (RFC 7845). */
    OPUS(48_000, "opus"),
    /** RFC 6184, packetization mode 1; written as an Annex B byte stream. */
    H264(90_000, "h264");

    private final int clockRate;
    private final String fileExtension;

    RecordedCodec(int clockRate, String fileExtension) {
        this.clockRate = clockRate;
        this.fileExtension = fileExtension;
    }

    public int clockRate() {
        return clockRate;
    }

    public String fileExtension() {
        return fileExtension;
    }

    /** The codec for an SDP encoding name ({@code a=rtpmap:96 VP8/90000} gives "VP8"), if it is recorded. */
    public static Optional<RecordedCodec> forEncodingName(String encodingName) {
        return switch (encodingName.toUpperCase(Locale.ROOT)) {
            case "VP8" -> Optional.of(VP8);
            case "OPUS" -> Optional.of(OPUS);
            case "H264" -> Optional.of(H264);
            default -> Optional.empty();
        };
    }
}
