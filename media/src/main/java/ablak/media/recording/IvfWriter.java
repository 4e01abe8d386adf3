package ablak.media.recording;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes VP8 frames to an IVF file, the container libvpx and ffmpeg read: a 32-byte file header
 * ("DKIF", version 0, fourcc VP80, size, time base, length), then each frame behind a 12-byte
 * header (size, 64-bit timestamp), all little-endian. Frames go to the file as they complete, so a
 * crash leaves every frame written so far readable. Header bytes 24-27 are the frame count to
 * libvpx, which ignores them when reading, and the stream duration in time-base units to ffmpeg,
 * which writes and reads them so; the duration is filled in on close, as ffmpeg does.
 */
final class IvfWriter implements VideoFrameWriter {

    private static final int FILE_HEADER_LENGTH = 32;
    private static final int FRAME_HEADER_LENGTH = 12;

    private final FileChannel channel;
    private final int clockRate;
    private boolean headerWritten;
    private int frameCount;
    private long lastTicks;

    IvfWriter(Path file, int clockRate) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.clockRate = clockRate;
    }

    @Override
    public void write(byte[] frame, long ticks, boolean keyframe) throws IOException {
        if (!headerWritten) {
            // The first frame written is always a keyframe, which carries the picture size.
            writeFully(fileHeader(Vp8PayloadFormat.width(frame), Vp8PayloadFormat.height(frame)));
            headerWritten = true;
        }
        ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(frame.length).putLong(ticks).flip();
        writeFully(header, ByteBuffer.wrap(frame));
        frameCount++;
        lastTicks = ticks;
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            if (headerWritten) {
                // The last frame lasts as long as the average frame before it.
                long duration = frameCount > 1 ? lastTicks * frameCount / (frameCount - 1) : 0;
                ByteBuffer field = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) Math.min(duration, 0xFFFF_FFFFL)).flip();
                channel.write(field, 24);
                channel.force(true);
            }
        }
    }

    private ByteBuffer fileHeader(int width, int height) {
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 'D').put((byte) 'K').put((byte) 'I').put((byte) 'F');
        header.putShort((short) 0).putShort((short) FILE_HEADER_LENGTH);
        header.put((byte) 'V').put((byte) 'P').put((byte) '8').put((byte) '0');
        header.putShort((short) width).putShort((short) height);
        // Time base 1/clockRate: frame timestamps are the RTP timestamps themselves.
        header.putInt(clockRate).putInt(1);
        header.putInt(0).putInt(0);
        return header.flip();
    }

    private void writeFully(ByteBuffer... buffers) throws IOException {
        while (buffers[buffers.length - 1].hasRemaining()) {
            channel.write(buffers);
        }
    }
}
