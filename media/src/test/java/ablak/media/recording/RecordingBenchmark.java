package ablak.media.recording;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * How many calls one node can record: every call publishes the ffmpeg VP8 and Opus streams of the
 * tests, replayed to {@code seconds} of media, fed by two packet threads as fast as they go. The
 * baseline in the same run writes the same packets to one plain file per track with no parsing,
 * reordering or container, so the ratio holds on a noisy machine.
 *
 * <pre>
 * mvn -B -q -pl media test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=ablak.media.recording.RecordingBenchmark -Dexec.args="50 30"
 * </pre>
 */
public final class RecordingBenchmark {

    private static final int PACKET_THREADS = 2;
    /** Two participants, each 1.5 Mbit/s of video in 1200-byte packets (about 156/s) and 50 Opus packets/s. */
    private static final double PACKETS_PER_RECORDED_CALL = 2 * (1_500_000 / 8.0 / 1200 + 50);

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger recordingLog = java.util.logging.Logger.getLogger("ablak.media.recording");
        recordingLog.setLevel(java.util.logging.Level.WARNING); // one line per track and call would drown the figures
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        List<byte[]> video = replay(FfmpegRtpStream.vp8(), seconds / 2, 180_000);
        List<byte[]> audio = replay(FfmpegRtpStream.opus(), seconds / 2, FfmpegRtpStream.opus().size() * 960L);
        long packets = (long) calls * (video.size() + audio.size());
        long bytes = (long) calls * (video.stream().mapToLong(p -> p.length).sum()
                + audio.stream().mapToLong(p -> p.length).sum());
        Path root = Files.createTempDirectory("ablak-recording-benchmark");
        System.out.printf("%d calls, each %d s of VP8 (%d packets) and Opus (%d packets): %d packets, %.1f MB%n",
                calls, seconds, video.size(), audio.size(), packets, bytes / 1e6);

        for (int round = 1; round <= 3; round++) { // the first round warms the JIT up
            Path plainRoot = root.resolve("plain-" + round);
            Path recordedRoot = root.resolve("recorded-" + round);
            double plain = secondsFor(() -> plainFiles(plainRoot, calls, video, audio));
            RecordingCounters counters = new RecordingCounters();
            double recorded = secondsFor(() -> recordings(recordedRoot, calls, video, audio,
                    counters));
            long dropped = 0;
            for (DropReason reason : DropReason.values()) {
                dropped += counters.drops(reason);
            }
            System.out.printf("round %d: plain files %.0f packets/s; recorder %.0f packets/s (%.0f Mbit/s), "
                    + "%.2f of plain; %d frames written, %d packets dropped; "
                    + "enough for %.0f recorded 1:1 calls%n", round, packets / plain, packets / recorded,
                    bytes * 8 / recorded / 1e6, plain / recorded, counters.framesWritten(), dropped,
                    packets / recorded / PACKETS_PER_RECORDED_CALL);
            delete(plainRoot);
            delete(recordedRoot);
        }
        delete(root);
    }

    private static void recordings(Path root, int calls, List<byte[]> video, List<byte[]> audio,
            RecordingCounters counters) throws Exception {
        RecordingSettings settings = new RecordingSettings(root, 1 << 20, 64, 4 << 20);
        List<CallRecording> recordings = new ArrayList<>();
        for (int call = 0; call < calls; call++) {
            recordings.add(CallRecording.start("call-" + call, settings, counters).toCompletableFuture().get());
        }
        feed(recordings, recording -> {
            TrackRecorder camera = recording.addTrack(new TrackDescription("citizen", "camera", RecordedCodec.VP8,
                    FfmpegRtpStream.PAYLOAD_TYPE, 90_000, FfmpegRtpStream.VIDEO_SSRC));
            TrackRecorder microphone = recording.addTrack(new TrackDescription("citizen", "microphone",
                    RecordedCodec.OPUS, FfmpegRtpStream.PAYLOAD_TYPE, 48_000, FfmpegRtpStream.AUDIO_SSRC));
            interleave(video, audio, (isVideo, packet) ->
                    (isVideo ? camera : microphone).onRtp(packet, 0, packet.length));
        });
        CompletableFuture.allOf(recordings.stream().map(r -> r.stop().toCompletableFuture())
                .toArray(CompletableFuture[]::new)).get();
    }

    private static void plainFiles(Path root, int calls, List<byte[]> video, List<byte[]> audio) throws Exception {
        Files.createDirectories(root);
        List<Integer> ids = new ArrayList<>();
        for (int call = 0; call < calls; call++) {
            ids.add(call);
        }
        feed(ids, call -> {
            try (FileChannel v = open(root.resolve(call + ".video")); FileChannel a = open(root.resolve(call + ".audio"))) {
                interleave(video, audio, (isVideo, packet) -> {
                    try {
                        (isVideo ? v : a).write(ByteBuffer.wrap(packet));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                v.force(true);
                a.force(true);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void delete(Path directory) throws IOException {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private interface Sink {
        void accept(boolean video, byte[] packet);
    }

    private interface Work<T> {
        void run(T item) throws Exception;
    }

    private interface Timed {
        void run() throws Exception;
    }

    /** Video and audio packets in the order a sender would emit them: by time. */
    private static void interleave(List<byte[]> video, List<byte[]> audio, Sink sink) {
        int a = 0;
        for (int v = 0; v < video.size(); v++) {
            double videoTime = (double) v / video.size();
            while (a < audio.size() && (double) a / audio.size() <= videoTime) {
                sink.accept(false, audio.get(a++));
            }
            sink.accept(true, video.get(v));
        }
        while (a < audio.size()) {
            sink.accept(false, audio.get(a++));
        }
    }

    private static <T> void feed(List<T> items, Work<T> work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(PACKET_THREADS);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (T item : items) {
            done.add(CompletableFuture.runAsync(() -> {
                try {
                    work.run(item);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
        threads.shutdown();
        threads.awaitTermination(1, TimeUnit.MINUTES);
    }

    private static double secondsFor(Timed timed) throws Exception {
        long start = System.nanoTime();
        timed.run();
        return (System.nanoTime() - start) / 1e9;
    }

    /** The stream played {@code times} over, with sequence numbers and timestamps running on. */
    private static List<byte[]> replay(List<byte[]> packets, int times, long timestampStep) {
        List<byte[]> replayed = new ArrayList<>();
        for (int time = 0; time < times; time++) {
            for (byte[] original : packets) {
                byte[] packet = original.clone();
                ByteBuffer header = ByteBuffer.wrap(packet);
                header.putShort(2, (short) (header.getShort(2) + time * packets.size()));
                header.putInt(4, (int) (header.getInt(4) + time * timestampStep));
                replayed.add(packet);
            }
        }
        return replayed;
    }
}
