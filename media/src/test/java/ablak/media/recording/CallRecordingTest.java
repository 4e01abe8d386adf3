package ablak.media.recording;

import static ablak.media.recording.FfmpegRtpStream.AUDIO_SSRC;
import static ablak.media.recording.FfmpegRtpStream.HEIGHT;
import static ablak.media.recording.FfmpegRtpStream.PAYLOAD_TYPE;
import static ablak.media.recording.FfmpegRtpStream.VIDEO_FRAMES;
import static ablak.media.recording.FfmpegRtpStream.VIDEO_SSRC;
import static ablak.media.recording.FfmpegRtpStream.WIDTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallRecordingTest {

    private static final TrackDescription CITIZEN_CAMERA =
            new TrackDescription("citizen", "camera", RecordedCodec.VP8, PAYLOAD_TYPE, 90_000, VIDEO_SSRC);
    private static final TrackDescription CITIZEN_MICROPHONE =
            new TrackDescription("citizen", "microphone", RecordedCodec.OPUS, PAYLOAD_TYPE, 48_000, AUDIO_SSRC);

    @TempDir
    Path root;

    private final RecordingCounters counters = new RecordingCounters();

    @Test
    void writesEveryVp8FrameToAnIvfFileThatPlays() throws Exception {
        RecordingManifest manifest = record(CITIZEN_CAMERA, FfmpegRtpStream.vp8());

        Ffprobe probe = Ffprobe.of(fileOf(manifest, "camera"));
        assertThat(probe.errors()).isEmpty();
        assertThat(probe.codec()).isEqualTo("vp8");
        assertThat(probe.width()).isEqualTo(WIDTH);
        assertThat(probe.height()).isEqualTo(HEIGHT);
        assertThat(probe.framesDecoded()).isEqualTo(VIDEO_FRAMES);
        assertThat(Double.parseDouble(probe.stream().get("duration"))).isCloseTo(2.0, within(0.001));
        assertThat(counters.framesWritten()).isEqualTo(VIDEO_FRAMES);
        assertThat(counters.packetsWritten()).isEqualTo(FfmpegRtpStream.vp8().size());
    }

    @Test
    void writesAnOpusTrackToAnOggOpusFileThatPlaysForTheWholeCall() throws Exception {
        RecordingManifest manifest = record(CITIZEN_MICROPHONE, FfmpegRtpStream.opus());

        Ffprobe probe = Ffprobe.of(fileOf(manifest, "microphone"));
        assertThat(probe.errors()).isEmpty();
        assertThat(probe.codec()).isEqualTo("opus");
        assertThat(probe.stream()).containsEntry("sample_rate", "48000");
        assertThat(probe.framesDecoded()).isEqualTo(audioFramesPlayed());
        assertThat(Double.parseDouble(probe.stream().get("duration"))).isCloseTo(audioSecondsPlayed(), within(0.001));
    }

    @Test
    void writesAnH264TrackToAnAnnexBStreamThatPlays() throws Exception {
        TrackDescription h264 = new TrackDescription("citizen", "camera", RecordedCodec.H264, PAYLOAD_TYPE, 90_000,
                VIDEO_SSRC);

        RecordingManifest manifest = record(h264, FfmpegRtpStream.h264());

        Ffprobe probe = Ffprobe.of(fileOf(manifest, "camera"));
        assertThat(probe.errors()).isEmpty();
        assertThat(probe.codec()).isEqualTo("h264");
        assertThat(probe.width()).isEqualTo(WIDTH);
        assertThat(probe.framesDecoded()).isEqualTo(VIDEO_FRAMES);
    }

    @Test
    void putsPacketsReorderedWithinTheJitterWindowBackInOrderAndDropsDuplicates() throws Exception {
        List<byte[]> packets = new ArrayList<>(FfmpegRtpStream.vp8());
        Random random = new Random(7);
        for (int start = 0; start < packets.size(); start += 8) {
            Collections.shuffle(packets.subList(start, Math.min(start + 8, packets.size())), random);
        }
        for (int duplicate = 0; duplicate < 5; duplicate++) {
            packets.add(10 + duplicate * 20, packets.get(5 + duplicate * 20).clone());
        }

        RecordingManifest manifest = record(CITIZEN_CAMERA, packets);

        Ffprobe probe = Ffprobe.of(fileOf(manifest, "camera"));
        assertThat(probe.errors()).isEmpty();
        assertThat(probe.framesDecoded()).isEqualTo(VIDEO_FRAMES);
        assertThat(manifest.tracks().get(0).counts().drops()).containsExactly(Map.entry(DropReason.DUPLICATE, 5L));
    }

    @Test
    void dropsFramesAfterALostPacketUntilTheNextKeyframeAndTheFileStillPlays() throws Exception {
        List<byte[]> packets = new ArrayList<>(FfmpegRtpStream.vp8());
        packets.remove(firstPacketOfFrame(packets, 23));
        AtomicInteger keyframeRequests = new AtomicInteger();

        RecordingManifest manifest = record(CITIZEN_CAMERA, packets, keyframeRequests::incrementAndGet);

        Ffprobe probe = Ffprobe.of(fileOf(manifest, "camera"));
        assertThat(probe.errors()).isEmpty();
        // Frame 23 and the deltas after it up to the keyframe at 30 are lost; everything else plays.
        assertThat(probe.framesDecoded()).isEqualTo(VIDEO_FRAMES - 7);
        assertThat(manifest.tracks().get(0).counts().lost()).isEqualTo(1);
        assertThat(manifest.tracks().get(0).counts().drops()).containsKeys(DropReason.AWAITING_KEYFRAME);
        assertThat(keyframeRequests).as("asked the publisher for a keyframe, not once per dropped frame")
                .hasValueBetween(1, 6);
    }

    @Test
    void aRecordingStartedMidStreamAsksForAKeyframeAndBeginsWithIt() throws Exception {
        List<byte[]> packets = FfmpegRtpStream.vp8();
        List<byte[]> fromFrame3 = packets.subList(firstPacketOfFrame(packets, 3), packets.size());
        AtomicInteger keyframeRequests = new AtomicInteger();

        RecordingManifest manifest = record(CITIZEN_CAMERA, fromFrame3, keyframeRequests::incrementAndGet);

        Ffprobe probe = Ffprobe.of(fileOf(manifest, "camera"));
        assertThat(probe.errors()).isEmpty();
        assertThat(probe.framesDecoded()).isEqualTo(VIDEO_FRAMES - 10);
        assertThat(keyframeRequests).hasValueBetween(1, 6);
    }

    @Test
    void concealsALostOpusPacketSoTheAudioKeepsTheCallsTimeline() throws Exception {
        List<byte[]> packets = new ArrayList<>(FfmpegRtpStream.opus());
        packets.remove(packets.size() / 2);

        RecordingManifest manifest = record(CITIZEN_MICROPHONE, packets);

        Ffprobe probe = Ffprobe.of(fileOf(manifest, "microphone"));
        assertThat(probe.errors()).isEmpty();
        assertThat(probe.framesDecoded()).isEqualTo(audioFramesPlayed());
        assertThat(Double.parseDouble(probe.stream().get("duration"))).isCloseTo(audioSecondsPlayed(), within(0.001));
        assertThat(manifest.tracks().get(0).counts().lost()).isEqualTo(1);
    }

    @Test
    void dropsAndCountsTruncatedGarbageAndForeignPacketsWithoutHarmingTheFile() throws Exception {
        List<byte[]> packets = new ArrayList<>(FfmpegRtpStream.vp8());
        byte[] last = packets.get(packets.size() - 1);
        byte[] brokenVp8Descriptor = java.util.Arrays.copyOf(last, 14);
        brokenVp8Descriptor[3]++; // the next sequence number
        brokenVp8Descriptor[12] = (byte) 0x90; // X and S set, then the extension byte announces a missing PictureID
        brokenVp8Descriptor[13] = (byte) 0x80;
        byte[] foreignSsrc = packets.get(3).clone();
        foreignSsrc[11]++;
        byte[] garbage = new byte[200];
        new Random(3).nextBytes(garbage);
        garbage[0] = 0x00; // RTP version 0
        packets.add(10, new byte[] {(byte) 0x80, 96, 0, 1, 2});
        packets.add(20, java.util.Arrays.copyOf(packets.get(0), 12));
        packets.add(30, garbage);
        packets.add(40, foreignSsrc);
        packets.add(brokenVp8Descriptor);

        RecordingManifest manifest = record(CITIZEN_CAMERA, packets);

        assertThat(Ffprobe.of(fileOf(manifest, "camera")).framesDecoded()).isEqualTo(VIDEO_FRAMES);
        assertThat(manifest.tracks().get(0).counts().drops())
                .containsOnly(Map.entry(DropReason.MALFORMED, 4L), Map.entry(DropReason.FOREIGN, 1L));
        assertThat(counters.drops(DropReason.MALFORMED)).isEqualTo(4);
    }

    @Test
    void recordsTracksFedFromSeveralThreadsAtOnceAndHashesEachFileInTheManifest() throws Exception {
        TrackDescription clerkMicrophone =
                new TrackDescription("clerk", "microphone", RecordedCodec.OPUS, PAYLOAD_TYPE, 48_000, AUDIO_SSRC);
        CallRecording recording = start("call-1");
        TrackRecorder camera = recording.addTrack(CITIZEN_CAMERA);
        TrackRecorder microphone = recording.addTrack(clerkMicrophone);
        CountDownLatch go = new CountDownLatch(1);
        Thread video = new Thread(() -> feed(go, camera, FfmpegRtpStream.vp8()));
        Thread audio = new Thread(() -> feed(go, microphone, FfmpegRtpStream.opus()));
        video.start();
        audio.start();
        go.countDown();
        video.join();
        audio.join();

        RecordingManifest manifest = stop(recording);

        assertThat(manifest.participants()).containsExactly("citizen", "clerk");
        assertThat(manifest.stoppedAt()).isAfterOrEqualTo(manifest.startedAt());
        String json = Files.readString(recording.directory().resolve(RecordingManifest.FILE_NAME));
        assertThat(json).isEqualTo(manifest.toJson());
        for (RecordingManifest.Track track : manifest.tracks()) {
            assertThat(track.firstPacketAt()).isBetween(manifest.startedAt(), manifest.stoppedAt());
            Path file = recording.directory().resolve(track.file());
            assertThat(track.sha256()).isEqualTo(sha256(file));
            assertThat(json).contains("\"sha256\": \"" + sha256(file) + "\"");
            assertThat(Ffprobe.of(file).errors()).isEmpty();
        }
        assertThat(manifest.tracks()).extracting(t -> t.counts().frames()).containsExactly(
                (long) VIDEO_FRAMES, (long) FfmpegRtpStream.opus().size());
    }

    @Test
    void accountsForEveryPacketWhenTheWriterQueueOverflowsAndTheFileStillPlays() throws Exception {
        RecordingSettings tinyQueue = new RecordingSettings(root, 2, 8, 1 << 20);
        CallRecording recording = CallRecording.start("call-1", tinyQueue, counters).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        TrackRecorder camera = recording.addTrack(CITIZEN_CAMERA);
        List<byte[]> twice = new ArrayList<>(FfmpegRtpStream.vp8());
        twice.addAll(FfmpegRtpStream.vp8());
        twice.forEach(packet -> camera.onRtp(packet, 0, packet.length));

        RecordingManifest.Counts counts = stop(recording).tracks().get(0).counts();

        long dropped = counts.drops().values().stream().mapToLong(Long::longValue).sum();
        assertThat(counts.packets() + dropped).isEqualTo(twice.size());
        assertThat(counts.drops().getOrDefault(DropReason.DUPLICATE, 0L)
                + counts.drops().getOrDefault(DropReason.LATE, 0L)
                + counts.drops().getOrDefault(DropReason.QUEUE_FULL, 0L)).isGreaterThanOrEqualTo(FfmpegRtpStream.vp8().size());
        if (counts.packets() > 0) {
            assertThat(Ffprobe.of(recording.directory().resolve(CITIZEN_CAMERA.fileName())).errors()).isEmpty();
        }
    }

    @Test
    void leavesPlayableFilesWhenTheServerDiesWithoutStoppingTheRecording() throws Exception {
        RecordingSettings smallWindow = new RecordingSettings(root, 4096, 8, 1 << 20);
        CallRecording recording = CallRecording.start("call-1", smallWindow, counters).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        TrackRecorder camera = recording.addTrack(CITIZEN_CAMERA);
        TrackRecorder microphone = recording.addTrack(CITIZEN_MICROPHONE);
        FfmpegRtpStream.copies(FfmpegRtpStream.vp8()).forEach(p -> camera.onRtp(ByteBuffer.wrap(p)));
        FfmpegRtpStream.copies(FfmpegRtpStream.opus()).forEach(p -> microphone.onRtp(ByteBuffer.wrap(p)));
        // All but the last few packets each track holds back for reordering reach the files.
        awaitCondition(() -> counters.framesWritten() >= VIDEO_FRAMES - 4 + FfmpegRtpStream.opus().size() - 8);

        // What is on disk now is what a crash would leave.
        Path crashed = Files.createDirectory(root.resolve("after-crash"));
        Path video = Files.copy(recording.directory().resolve(CITIZEN_CAMERA.fileName()), crashed.resolve("v.ivf"));
        Path audio = Files.copy(recording.directory().resolve(CITIZEN_MICROPHONE.fileName()), crashed.resolve("a.opus"));

        Ffprobe videoProbe = Ffprobe.of(video);
        Ffprobe audioProbe = Ffprobe.of(audio);
        assertThat(videoProbe.errors()).isEmpty();
        assertThat(videoProbe.framesDecoded()).isGreaterThanOrEqualTo(VIDEO_FRAMES - 4);
        assertThat(audioProbe.errors()).isEmpty();
        // Pages go to disk each second of audio: at least the first second is there, less the 80 ms pre-skip.
        assertThat(audioProbe.framesDecoded()).isGreaterThanOrEqualTo(50 - 4);
        stop(recording);
    }

    @Test
    void aTrackWhoseFileFailsIsMarkedFailedWhileTheOtherTracksAreStillRecorded() throws Exception {
        CallRecording recording = start("call-1");
        // Something already occupies the camera's file name, so its file cannot be created.
        Files.createDirectory(recording.directory().resolve(CITIZEN_CAMERA.fileName()));
        TrackRecorder camera = recording.addTrack(CITIZEN_CAMERA);
        TrackRecorder microphone = recording.addTrack(CITIZEN_MICROPHONE);
        FfmpegRtpStream.vp8().forEach(packet -> camera.onRtp(packet, 0, packet.length));
        FfmpegRtpStream.opus().forEach(packet -> microphone.onRtp(packet, 0, packet.length));

        RecordingManifest manifest = stop(recording);

        RecordingManifest.Track failed = manifest.tracks().get(0);
        assertThat(failed.failure()).contains("FileAlreadyExistsException");
        assertThat(failed.file()).isNull();
        assertThat(failed.counts().drops()).containsOnly(
                Map.entry(DropReason.WRITE_FAILED, (long) FfmpegRtpStream.vp8().size()));
        assertThat(Ffprobe.of(fileOf(manifest, "microphone")).framesDecoded()).isEqualTo(audioFramesPlayed());
    }

    @Test
    void stoppingWhilePacketsStillArriveLeavesAPlayableFile() throws Exception {
        CallRecording recording = start("call-1");
        TrackRecorder camera = recording.addTrack(CITIZEN_CAMERA);
        List<Throwable> feederFailures = Collections.synchronizedList(new ArrayList<>());
        Thread feeder = new Thread(() -> FfmpegRtpStream.vp8().forEach(packet -> {
            camera.onRtp(packet, 0, packet.length);
            Thread.yield();
        }));
        feeder.setUncaughtExceptionHandler((thread, failure) -> feederFailures.add(failure));
        feeder.start();
        awaitCondition(() -> counters.framesWritten() >= 5);

        RecordingManifest manifest = stop(recording);
        feeder.join();

        assertThat(feederFailures).isEmpty();
        Ffprobe probe = Ffprobe.of(fileOf(manifest, "camera"));
        assertThat(probe.errors()).isEmpty();
        assertThat(probe.framesDecoded()).isEqualTo(manifest.tracks().get(0).counts().frames()).isGreaterThanOrEqualTo(5);
        assertThat(sha256(fileOf(manifest, "camera"))).isEqualTo(manifest.tracks().get(0).sha256());
    }

    @Test
    void aTrackThatReceivedNoMediaHasNoFile() throws Exception {
        CallRecording recording = start("call-1");
        recording.addTrack(CITIZEN_CAMERA);

        RecordingManifest manifest = stop(recording);

        assertThat(manifest.tracks().get(0).file()).isNull();
        assertThat(manifest.tracks().get(0).sha256()).isNull();
        assertThat(recording.directory().resolve(CITIZEN_CAMERA.fileName())).doesNotExist();
    }

    @Test
    void neverOverwritesAnExistingRecordingOfTheCall() throws Exception {
        stop(start("call-1"));

        assertThatThrownBy(() -> start("call-1"))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void rejectsIdsThatCouldEscapeTheRecordingDirectory() {
        RecordingSettings settings = RecordingSettings.defaults().withDirectory(root);

        assertThatThrownBy(() -> CallRecording.start("../etc", settings, counters))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("call id");
        assertThatThrownBy(() -> new TrackDescription("citizen/..", "camera", RecordedCodec.VP8, 96, 90_000, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("participant id");
    }

    @Test
    void rejectsATrackWhoseClockRateContradictsItsCodec() {
        assertThatThrownBy(() -> new TrackDescription("citizen", "microphone", RecordedCodec.OPUS, 111, 8_000, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("48000");
    }

    @Test
    void refusesTheSameTrackTwiceAndTracksAfterTheRecordingStopped() throws Exception {
        CallRecording recording = start("call-1");
        recording.addTrack(CITIZEN_CAMERA);

        assertThatThrownBy(() -> recording.addTrack(CITIZEN_CAMERA)).isInstanceOf(IllegalArgumentException.class);
        stop(recording);
        assertThatThrownBy(() -> recording.addTrack(CITIZEN_MICROPHONE)).isInstanceOf(IllegalStateException.class);
    }

    /** Every 20 ms packet sent plays, except the first 80 ms, which Ogg Opus pre-skips (RFC 7845 5.1). */
    private static int audioFramesPlayed() {
        return FfmpegRtpStream.opus().size() - 4;
    }

    /** The stream's duration by its final granule position: every packet sent, 20 ms each. */
    private static double audioSecondsPlayed() {
        return FfmpegRtpStream.opus().size() * 0.020;
    }

    private RecordingManifest record(TrackDescription track, List<byte[]> packets) throws Exception {
        return record(track, packets, () -> { });
    }

    private RecordingManifest record(TrackDescription track, List<byte[]> packets, Runnable keyframeRequest)
            throws Exception {
        CallRecording recording = start("call-1");
        TrackRecorder recorder = recording.addTrack(track, keyframeRequest);
        packets.forEach(packet -> recorder.onRtp(packet, 0, packet.length));
        return stop(recording);
    }

    private CallRecording start(String callId) throws Exception {
        return CallRecording.start(callId, RecordingSettings.defaults().withDirectory(root), counters)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static RecordingManifest stop(CallRecording recording) throws Exception {
        return recording.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Path fileOf(RecordingManifest manifest, String trackId) {
        RecordingManifest.Track track = manifest.tracks().stream().filter(t -> t.trackId().equals(trackId))
                .findFirst().orElseThrow();
        return root.resolve(manifest.callId()).resolve(track.file());
    }

    private static void feed(CountDownLatch go, TrackRecorder track, List<byte[]> packets) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new CompletionException(e);
        }
        packets.forEach(packet -> track.onRtp(packet, 0, packet.length));
    }

    /** Index of the first packet of the n-th frame (frames counted from 0 by their marker bits). */
    private static int firstPacketOfFrame(List<byte[]> packets, int frame) {
        int frames = 0;
        for (int i = 0; i < packets.size(); i++) {
            if (frames == frame) {
                return i;
            }
            if (FfmpegRtpStream.marker(packets.get(i))) {
                frames++;
            }
        }
        throw new IllegalArgumentException("no frame " + frame);
    }

    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition met before the deadline").isBefore(deadline);
            Thread.sleep(10);
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
