package ablak.media.recording;

import java.io.ByteArrayOutputStream;

/** How one video codec's frames are carried in RTP payloads, for {@link VideoTrackFile}. */
interface VideoPayloadFormat {

    /** Whether this payload is the first of a frame (not a continuation whose start was lost). */
    boolean startsFrame(byte[] payload);

    /** Appends the frame data this payload carries, as the file format stores it. */
    void appendFrameData(byte[] payload, ByteArrayOutputStream frame);

    /** Whether the assembled frame decodes on its own. */
    boolean isKeyframe(byte[] frame);
}
