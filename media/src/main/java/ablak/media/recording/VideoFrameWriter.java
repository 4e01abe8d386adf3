package ablak.media.recording;

import java.io.IOException;

/** A container that stores whole video frames. */
interface VideoFrameWriter {

    /** Writes one complete frame; {@code ticks} is its RTP timestamp in clock ticks since the track's first frame. */
    void write(byte[] frame, long ticks, boolean keyframe) throws IOException;

    void close() throws IOException;
}
