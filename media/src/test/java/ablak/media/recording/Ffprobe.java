package ablak.media.recording;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What Debian's ffprobe says about a file after decoding every frame of its first stream
 * ({@code ffprobe -v error -count_frames -show_streams}): the stream's fields, and the decoder's
 * complaints, which a playable file has none of.
 */
record Ffprobe(Map<String, String> stream, String errors) {

    static Ffprobe of(Path file) {
        try {
            Process ffprobe = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-show_streams",
                    "-select_streams", "0", "-of", "default=noprint_wrappers=1", file.toString()).start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(ffprobe.getErrorStream()));
            String output = read(ffprobe.getInputStream());
            if (!ffprobe.waitFor(30, TimeUnit.SECONDS)) {
                ffprobe.destroyForcibly();
                throw new IllegalStateException("ffprobe did not finish on " + file);
            }
            Map<String, String> stream = new HashMap<>();
            output.lines().map(line -> line.split("=", 2)).filter(kv -> kv.length == 2)
                    .forEach(kv -> stream.put(kv[0], kv[1]));
            return new Ffprobe(stream, errors.join() + (ffprobe.exitValue() == 0 ? "" : "exit " + ffprobe.exitValue()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String codec() {
        return stream.get("codec_name");
    }

    int framesDecoded() {
        return Integer.parseInt(stream.get("nb_read_frames"));
    }

    int width() {
        return Integer.parseInt(stream.get("width"));
    }

    int height() {
        return Integer.parseInt(stream.get("height"));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
