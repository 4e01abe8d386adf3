package ablak.media.recording;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recording of one call: a directory holding one file per track and a manifest.json. It starts
 * and stops when the clerk says so. Packets arrive through each track's {@link TrackRecorder} from
 * any number of threads; one writer thread per recording does all parsing and file writing, behind
 * a bounded queue, so the forwarding path never waits for the disk and memory stays bounded.
 */
public final class CallRecording {

    private static final System.Logger LOG = System.getLogger(CallRecording.class.getName());

    private final String callId;
    private final Path directory;
    private final RecordingSettings settings;
    private final RecordingCounters counters;
    private final Instant startedAt = Instant.now();
    private final ThreadPoolExecutor writer;
    private final AtomicInteger queuedPackets = new AtomicInteger();
    private final Map<String, TrackRecorder> tracks = new LinkedHashMap<>();
    private CompletableFuture<RecordingManifest> stopped;
    private volatile boolean recording = true;

    private CallRecording(String callId, RecordingSettings settings, RecordingCounters counters) {
        this.callId = callId;
        this.directory = settings.directory().resolve(callId);
        this.settings = settings;
        this.counters = counters;
        // Packets are bounded by queuedPackets; the executor's own queue also carries the few control tasks,
        // which must never be refused.
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "ablak-recording-" + callId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts recording a call into {@code <settings.directory>/<callId>/}. Completes once the directory
     * and the initial manifest exist; fails with {@link java.nio.file.FileAlreadyExistsException} if
     * the call already has a recording there (a recording is never overwritten), or another
     * {@link IOException} if the directory cannot be written.
     *
     * @throws IllegalArgumentException if the call id is not 1-64 letters, digits, '-' or '_'
     */
    public static CompletionStage<CallRecording> start(String callId, RecordingSettings settings,
            RecordingCounters counters) {
        TrackDescription.requireId("call id", callId);
        CallRecording recording = new CallRecording(callId, settings, counters);
        CompletableFuture<CallRecording> started = new CompletableFuture<>();
        recording.writer.execute(() -> {
            try {
                Files.createDirectories(settings.directory());
                Files.createDirectory(recording.directory);
                recording.writeManifest(List.of(), null);
                LOG.log(Level.INFO, "recording of call {0} started in {1}", callId, recording.directory);
                started.complete(recording);
            } catch (IOException | RuntimeException e) {
                recording.recording = false;
                recording.writer.shutdown();
                started.completeExceptionally(e);
            }
        });
        return started;
    }

    public String callId() {
        return callId;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Adds a track whose keyframes the forwarding path requests on its own (or an audio track).
     *
     * @see #addTrack(TrackDescription, Runnable)
     */
    public TrackRecorder addTrack(TrackDescription track) {
        return addTrack(track, () -> { });
    }

    /**
     * Adds a track; its file is created in the call's directory and the manifest lists it. Tracks may
     * be added at any time while recording, for example when an interpreter joins.
     *
     * @param keyframeRequest run, at most once a second, while a video track waits for a keyframe
     *     because recording started mid-stream or a packet was lost: the forwarding path should send
     *     the publisher a PLI. It runs on the recording's writer thread and must not block.
     * @throws IllegalArgumentException if this participant already has a track with this id
     * @throws IllegalStateException if the recording has stopped
     */
    public synchronized TrackRecorder addTrack(TrackDescription track, Runnable keyframeRequest) {
        if (stopped != null) {
            throw new IllegalStateException("the recording of call " + callId + " has stopped");
        }
        Objects.requireNonNull(keyframeRequest, "keyframeRequest");
        String key = track.fileName();
        if (tracks.containsKey(key)) {
            throw new IllegalArgumentException("participant " + track.participantId() + " already has track "
                    + track.trackId() + " in the recording of call " + callId);
        }
        TrackRecorder recorder = new TrackRecorder(this, track, counters, keyframeRequest);
        tracks.put(key, recorder);
        List<TrackRecorder> current = List.copyOf(tracks.values());
        writer.execute(() -> {
            recorder.open(directory, settings);
            writeManifestQuietly(current);
        });
        return recorder;
    }

    /**
     * Stops the recording: packets still queued are written, every file is closed and hashed, and the
     * final manifest is written. Completes with that manifest. Calling it again returns the same result.
     */
    public synchronized CompletionStage<RecordingManifest> stop() {
        if (stopped != null) {
            return stopped;
        }
        stopped = new CompletableFuture<>();
        recording = false;
        Instant stoppedAt = Instant.now();
        List<TrackRecorder> all = List.copyOf(tracks.values());
        CompletableFuture<RecordingManifest> result = stopped;
        writer.execute(() -> {
            try {
                all.forEach(TrackRecorder::close);
                RecordingManifest manifest = writeManifest(all, stoppedAt);
                LOG.log(Level.INFO, "recording of call {0} stopped: {1} tracks", callId, all.size());
                result.complete(manifest);
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                writer.shutdown();
            }
        });
        return result;
    }

    void enqueue(TrackRecorder track, byte[] packet) {
        if (!recording) {
            return;
        }
        track.arrived();
        if (queuedPackets.incrementAndGet() > settings.queueCapacity()) {
            queuedPackets.decrementAndGet();
            track.droppedBeforeQueue(DropReason.QUEUE_FULL);
            return;
        }
        try {
            writer.execute(() -> {
                queuedPackets.decrementAndGet();
                track.write(packet);
            });
        } catch (RejectedExecutionException e) {
            // The recording stopped while this packet was on its way.
            queuedPackets.decrementAndGet();
        }
    }

    private void writeManifestQuietly(List<TrackRecorder> current) {
        try {
            writeManifest(current, null);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not update the manifest of call " + callId, e);
        }
    }

    /** Replaces manifest.json atomically, so a reader or a crash never sees half of one. */
    private RecordingManifest writeManifest(List<TrackRecorder> current, Instant stoppedAt) throws IOException {
        List<RecordingManifest.Track> entries = new ArrayList<>();
        List<String> participants = new ArrayList<>();
        for (TrackRecorder track : current) {
            entries.add(track.manifestEntry());
            if (!participants.contains(track.track().participantId())) {
                participants.add(track.track().participantId());
            }
        }
        RecordingManifest manifest = new RecordingManifest(callId, startedAt, stoppedAt, participants, entries);
        Path temporary = directory.resolve(RecordingManifest.FILE_NAME + ".tmp");
        Files.writeString(temporary, manifest.toJson(), StandardCharsets.UTF_8);
        Files.move(temporary, directory.resolve(RecordingManifest.FILE_NAME),
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return manifest;
    }
}
