package ablak.media.recording;

import java.io.IOException;

/** One track's file: takes the track's packets in sequence order and writes what standard players read. */
interface TrackFile {

    /** Writes the packet's media, or drops it (counted). Throws {@link MalformedRtpException} for a broken payload. */
    void packet(RtpPacket packet) throws IOException;

    /** {@code count} packets are missing before the next one. */
    void lost(long count);

    /** Writes what remains and closes the file; the file is complete and playable afterwards. */
    void close() throws IOException;
}
