package ablak.media.recording;

import java.nio.file.Path;

/**
 * How calls are recorded on this node.
 *
 * @param directory where each call's recording directory is created
 * @param queueCapacity packets waiting for one recording's writer thread before new ones are dropped
 *     (bounds memory when the disk is slow: at 1.2 kB a packet, the default is about 5 MB a call)
 * @param jitterWindow packets a track holds back to repair reordering; a packet missing after this
 *     many newer ones arrived counts as lost
 * @param maxFrameBytes largest video frame kept; larger ones are dropped
 */
public record RecordingSettings(Path directory, int queueCapacity, int jitterWindow, int maxFrameBytes) {

    public RecordingSettings {
        if (directory == null) {
            throw new IllegalArgumentException("recording directory is required");
        }
        if (queueCapacity < 1 || jitterWindow < 1 || maxFrameBytes < 1) {
            throw new IllegalArgumentException("queue capacity, jitter window and frame size limit must be positive");
        }
    }

    /** ./data/recordings, 4096 queued packets, a 64-packet jitter window, frames up to 4 MiB. */
    public static RecordingSettings defaults() {
        return new RecordingSettings(Path.of("data", "recordings"), 4096, 64, 4 << 20);
    }

    public RecordingSettings withDirectory(Path directory) {
        return new RecordingSettings(directory, queueCapacity, jitterWindow, maxFrameBytes);
    }
}
