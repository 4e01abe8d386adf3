package ablak.media.recording;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Assembles a video track's RTP packets into frames and writes only frames that decode: all packets
 * of a frame share its RTP timestamp and the last one carries the marker bit (RFC 7741 section 4.1,
 * RFC 6184 section 5.1). A frame that lost a packet is dropped, and so is every frame after it until
 * the next keyframe, because they reference what was lost; the file therefore never holds a frame a
 * decoder would reject. While it waits for a keyframe it asks for one, at most once a second: a
 * WebRTC sender sends keyframes only when asked (a PLI, RFC 4585 6.3.1), so a recording started in
 * the middle of a call, or one that lost a packet no subscriber lost, would otherwise wait for ever.
 */
final class VideoTrackFile implements TrackFile {

    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 1_000_000_000L;

    private final VideoPayloadFormat format;
    private final VideoFrameWriter writer;
    private final TrackStatistics statistics;
    private final int maxFrameBytes;
    private final Runnable keyframeRequest;
    private final RtpTimestamps timestamps = new RtpTimestamps();
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
    private long lastKeyframeRequest;
    private boolean assembling;
    private long frameTimestamp;
    private int framePackets;
    private boolean awaitingKeyframe = true;

    VideoTrackFile(VideoPayloadFormat format, VideoFrameWriter writer, TrackStatistics statistics, int maxFrameBytes,
            Runnable keyframeRequest) {
        this.format = format;
        this.writer = writer;
        this.statistics = statistics;
        this.maxFrameBytes = maxFrameBytes;
        this.keyframeRequest = keyframeRequest;
        this.lastKeyframeRequest = System.nanoTime() - KEYFRAME_REQUEST_INTERVAL_NANOS;
    }

    @Override
    public void packet(RtpPacket packet) throws IOException {
        if (assembling && packet.timestamp() != frameTimestamp) {
            // A new timestamp before the marker bit: the end of the frame was lost.
            abandonFrame(DropReason.INCOMPLETE_FRAME);
        }
        try {
            if (!assembling) {
                if (!format.startsFrame(packet.payload())) {
                    statistics.dropped(DropReason.INCOMPLETE_FRAME, 1);
                    awaitingKeyframe = true;
                    return;
                }
                assembling = true;
                frameTimestamp = packet.timestamp();
                framePackets = 0;
                frame.reset();
            }
            format.appendFrameData(packet.payload(), frame);
            framePackets++;
        } catch (MalformedRtpException e) {
            // The broken packet belonged to some frame, which is now incomplete.
            if (assembling) {
                abandonFrame(DropReason.INCOMPLETE_FRAME);
            }
            awaitingKeyframe = true;
            throw e;
        }
        if (frame.size() > maxFrameBytes) {
            abandonFrame(DropReason.OVERSIZED_FRAME);
        } else if (packet.marker()) {
            completeFrame();
        }
    }

    @Override
    public void lost(long count) {
        statistics.lost(count);
        if (assembling) {
            abandonFrame(DropReason.INCOMPLETE_FRAME);
        }
        awaitingKeyframe = true;
    }

    @Override
    public void close() throws IOException {
        if (assembling) {
            statistics.dropped(DropReason.INCOMPLETE_FRAME, framePackets);
        }
        writer.close();
    }

    private void completeFrame() throws IOException {
        assembling = false;
        byte[] data = frame.toByteArray();
        boolean keyframe = format.isKeyframe(data);
        if (awaitingKeyframe && !keyframe) {
            statistics.dropped(DropReason.AWAITING_KEYFRAME, framePackets);
            requestKeyframe();
            return;
        }
        awaitingKeyframe = false;
        writer.write(data, timestamps.sinceFirst(frameTimestamp), keyframe);
        statistics.written(framePackets, data.length);
    }

    private void abandonFrame(DropReason reason) {
        statistics.dropped(reason, framePackets);
        assembling = false;
        awaitingKeyframe = true;
        frame.reset();
        requestKeyframe();
    }

    private void requestKeyframe() {
        long now = System.nanoTime();
        if (now - lastKeyframeRequest >= KEYFRAME_REQUEST_INTERVAL_NANOS) {
            lastKeyframeRequest = now;
            keyframeRequest.run();
        }
    }
}
