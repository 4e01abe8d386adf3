package ablak.media.recording;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a call's recording holds, written beside the files as manifest.json: the call, when the
 * recording started and stopped (wall clock, UTC), who took part, and for each track its codec, file
 * and the file's SHA-256, so evidence built on the recording can prove the files are unchanged.
 *
 * @param stoppedAt null while the recording is running
 */
public record RecordingManifest(
        String callId, Instant startedAt, Instant stoppedAt, List<String> participants, List<Track> tracks) {

    public static final String FILE_NAME = "manifest.json";

    /**
     * One track's entry.
     *
     * @param firstPacketAt when the track's first packet reached the recorder (wall clock), or null if none did
     * @param file the file name inside the call's directory; null if no media arrived, and then no file exists
     * @param sha256 lower-case hex SHA-256 of the closed file; null while recording or without a file
     * @param failure why the track stopped being written (for example a full disk), or null
     */
    public record Track(
            String participantId,
            String trackId,
            RecordedCodec codec,
            int payloadType,
            int clockRate,
            long ssrc,
            Instant firstPacketAt,
            String file,
            String sha256,
            Counts counts,
            String failure) {
    }

    /**
     * @param packets RTP packets written
     * @param frames video frames or Opus packets written
     * @param bytes media bytes written
     * @param lost packets that never arrived (gaps in sequence numbers)
     * @param drops packets received but not written, by reason; reasons with none are left out
     */
    public record Counts(long packets, long frames, long bytes, long lost, Map<DropReason, Long> drops) {
    }

    /** The manifest as JSON (RFC 8259). */
    public String toJson() {
        StringJoiner trackList = new StringJoiner(",\n    ", "[\n    ", "\n  ]");
        for (Track track : tracks) {
            StringJoiner drops = new StringJoiner(", ", "{", "}");
            track.counts().drops().forEach((reason, count) -> drops.add(string(reason.name()) + ": " + count));
            trackList.add("{\"participantId\": " + string(track.participantId())
                    + ", \"trackId\": " + string(track.trackId())
                    + ", \"codec\": " + string(track.codec().name())
                    + ", \"payloadType\": " + track.payloadType()
                    + ", \"clockRate\": " + track.clockRate()
                    + ", \"ssrc\": " + track.ssrc()
                    + ", \"firstPacketAt\": " + string(track.firstPacketAt())
                    + ", \"file\": " + string(track.file())
                    + ", \"sha256\": " + string(track.sha256())
                    + ", \"packets\": " + track.counts().packets()
                    + ", \"frames\": " + track.counts().frames()
                    + ", \"bytes\": " + track.counts().bytes()
                    + ", \"lost\": " + track.counts().lost()
                    + ", \"drops\": " + drops
                    + ", \"failure\": " + string(track.failure()) + "}");
        }
        StringJoiner participantList = new StringJoiner(", ", "[", "]");
        participants.forEach(participant -> participantList.add(string(participant)));
        return "{\n  \"callId\": " + string(callId)
                + ",\n  \"startedAt\": " + string(startedAt)
                + ",\n  \"stoppedAt\": " + string(stoppedAt)
                + ",\n  \"participants\": " + participantList
                + ",\n  \"tracks\": " + (tracks.isEmpty() ? "[]" : trackList.toString())
                + "\n}\n";
    }

    /** An ISO 8601 UTC timestamp as a JSON string, or null. */
    private static String string(Instant instant) {
        return string(instant == null ? null : instant.toString());
    }

    /** A JSON string with the escapes RFC 8259 section 7 requires, or null. */
    private static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
