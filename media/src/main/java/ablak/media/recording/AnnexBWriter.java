package ablak.media.recording;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes H.264 frames as a raw Annex B byte stream (.h264), which players read without a container.
 * The stream has no timestamps: players assume a frame rate, so the manifest's wall-clock times are
 * the reference for timing.
 */
final class AnnexBWriter implements VideoFrameWriter {

    private final FileChannel channel;

    AnnexBWriter(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public void write(byte[] frame, long ticks, boolean keyframe) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            channel.force(true);
        }
    }
}
