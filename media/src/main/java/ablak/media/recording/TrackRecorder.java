package ablak.media.recording;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the forwarding path hands one track's decrypted RTP packets to the recording. {@code onRtp}
 * may be called from any thread and never blocks: it copies the packet and queues it for the
 * recording's writer thread, or counts it as dropped when the queue is full. Everything else in this
 * class runs on that writer thread: RTP parsing, reordering, depacketization and file writes.
 */
public final class TrackRecorder {

    private static final System.Logger LOG = System.getLogger(TrackRecorder.class.getName());

    private final CallRecording recording;
    private final TrackDescription track;
    private final TrackStatistics statistics;
    private final Runnable keyframeRequest;
    private final AtomicReference<Instant> firstPacketAt = new AtomicReference<>();

    // Confined to the recording's writer thread.
    private Path file;
    private TrackFile trackFile;
    private JitterBuffer jitterBuffer;
    private String failure;
    private boolean closed;
    private String sha256;

    TrackRecorder(CallRecording recording, TrackDescription track, RecordingCounters counters,
            Runnable keyframeRequest) {
        this.recording = recording;
        this.track = track;
        this.statistics = new TrackStatistics(counters);
        this.keyframeRequest = keyframeRequest;
    }

    public TrackDescription track() {
        return track;
    }

    /** Records one decrypted RTP packet of this track: {@code length} bytes of {@code packet} from {@code offset}. */
    public void onRtp(byte[] packet, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, packet.length);
        recording.enqueue(this, Arrays.copyOfRange(packet, offset, offset + length));
    }

    /** Records the decrypted RTP packet between the buffer's position and limit; the buffer is left unchanged. */
    public void onRtp(ByteBuffer packet) {
        byte[] copy = new byte[packet.remaining()];
        packet.duplicate().get(copy);
        recording.enqueue(this, copy);
    }

    /** Notes the wall-clock arrival of the track's first packet, which places the track on the call's timeline. */
    void arrived() {
        if (firstPacketAt.get() == null) {
            firstPacketAt.compareAndSet(null, Instant.now());
        }
    }

    void droppedBeforeQueue(DropReason reason) {
        statistics.dropped(reason, 1);
    }

    void open(Path directory, RecordingSettings settings) {
        file = directory.resolve(track.fileName());
        try {
            trackFile = switch (track.codec()) {
                case VP8 -> new VideoTrackFile(new Vp8PayloadFormat(), new IvfWriter(file, track.clockRate()),
                        statistics, settings.maxFrameBytes(), this::requestKeyframe);
                case H264 -> new VideoTrackFile(new H264PayloadFormat(), new AnnexBWriter(file),
                        statistics, settings.maxFrameBytes(), this::requestKeyframe);
                case OPUS -> new OpusTrackFile(file, track.ssrc(), statistics);
            };
        } catch (IOException e) {
            fail(e);
            return;
        }
        jitterBuffer = new JitterBuffer(settings.jitterWindow(), new JitterBuffer.Output() {
            @Override
            public void packet(RtpPacket packet) {
                writeInOrder(packet);
            }

            @Override
            public void lost(long count) {
                trackFile.lost(count);
            }
        });
    }

    void write(byte[] data) {
        if (closed) {
            return;
        }
        if (failure != null) {
            statistics.dropped(DropReason.WRITE_FAILED, 1);
            return;
        }
        RtpPacket packet;
        try {
            packet = RtpPacket.parse(data, 0, data.length);
        } catch (MalformedRtpException e) {
            dropMalformed(e);
            return;
        }
        if (packet.ssrc() != track.ssrc() || packet.payloadType() != track.payloadType()) {
            statistics.dropped(DropReason.FOREIGN, 1);
            return;
        }
        switch (jitterBuffer.offer(packet)) {
            case DUPLICATE -> statistics.dropped(DropReason.DUPLICATE, 1);
            case LATE -> statistics.dropped(DropReason.LATE, 1);
            case ACCEPTED -> { }
        }
    }

    /** Writes what is still held, closes the file and hashes it. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (failure == null) {
            jitterBuffer.flush();
        }
        if (trackFile != null) {
            try {
                trackFile.close();
            } catch (IOException e) {
                fail(e);
            }
        }
        try {
            if (file != null && Files.exists(file) && Files.size(file) == 0) {
                // No media ever arrived: leave no empty file that players would reject.
                Files.delete(file);
            }
            if (file != null && Files.exists(file)) {
                sha256 = sha256(file);
            }
        } catch (IOException e) {
            fail(e);
        }
        RecordingManifest.Counts counts = statistics.snapshot();
        LOG.log(Level.INFO, "recorded track {0}/{1} of call {2}: {3} packets, {4} frames, {5} lost, drops {6}{7}",
                track.participantId(), track.trackId(), recording.callId(), counts.packets(), counts.frames(),
                counts.lost(), counts.drops(), failure == null ? "" : ", failed: " + failure);
    }

    RecordingManifest.Track manifestEntry() {
        boolean hasFile = file != null && (!closed || sha256 != null);
        return new RecordingManifest.Track(track.participantId(), track.trackId(), track.codec(), track.payloadType(),
                track.clockRate(), track.ssrc(), firstPacketAt.get(), hasFile ? file.getFileName().toString() : null,
                sha256, statistics.snapshot(), failure);
    }

    private void writeInOrder(RtpPacket packet) {
        if (failure != null) {
            statistics.dropped(DropReason.WRITE_FAILED, 1);
            return;
        }
        try {
            trackFile.packet(packet);
        } catch (MalformedRtpException e) {
            dropMalformed(e);
        } catch (IOException e) {
            fail(e);
            statistics.dropped(DropReason.WRITE_FAILED, 1);
        }
    }

    private void requestKeyframe() {
        try {
            keyframeRequest.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "keyframe request for track " + track.participantId() + "/" + track.trackId()
                    + " of call " + recording.callId() + " failed", e);
        }
    }

    private void dropMalformed(MalformedRtpException e) {
        statistics.dropped(DropReason.MALFORMED, 1);
        LOG.log(Level.DEBUG, "dropped a malformed packet of track {0}/{1} of call {2}: {3}",
                track.participantId(), track.trackId(), recording.callId(), e.getMessage());
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e.toString();
            LOG.log(Level.WARNING, "recording of track " + track.participantId() + "/" + track.trackId()
                    + " of call " + recording.callId() + " failed; the rest of the call is still recorded", e);
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
