package ablak.media.recording;

import java.util.regex.Pattern;

/**
 * A track to record, as the SDP negotiated it: who publishes it, its codec and payload type, and the
 * SSRC of its media stream. The participant and track ids become part of file names, so they are
 * limited to letters, digits, '-' and '_'.
 */
public record TrackDescription(
        String participantId, String trackId, RecordedCodec codec, int payloadType, int clockRate, long ssrc) {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public TrackDescription {
        requireId("participant id", participantId);
        requireId("track id", trackId);
        if (codec == null) {
            throw new IllegalArgumentException("codec is required");
        }
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0-127: " + payloadType);
        }
        if (clockRate != codec.clockRate()) {
            throw new IllegalArgumentException(codec + " RTP runs at " + codec.clockRate() + " Hz, not " + clockRate);
        }
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("SSRC must be an unsigned 32-bit value: " + ssrc);
        }
    }

    /** The track's file name inside the call's directory. */
    String fileName() {
        return participantId + "." + trackId + "." + codec.fileExtension();
    }

    static void requireId(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " must be 1-64 letters, digits, '-' or '_': " + id);
        }
    }
}
