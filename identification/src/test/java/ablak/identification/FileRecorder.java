package ablak.identification;

import ablak.identification.evidence.Sha256;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the media server, which this module's tests do not run: it leaves what the real
 * recorder leaves, a manifest when recording starts and, when it stops, a track file and the final
 * manifest with the file's hash and the stop time. A manifest found on disk counts as a recording
 * already running, and is left alone.
 */
final class FileRecorder implements CallRecorder {

  private final Path recordings;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  final List<String> started = new CopyOnWriteArrayList<>();
  final List<String> finished = new CopyOnWriteArrayList<>();

  FileRecorder(Path recordings) {
    this.recordings = recordings;
  }

  @Override
  public Future<Void> ensureRecording(String callId) {
    Path directory = recordings.resolve(callId);
    if (running.contains(callId) || Files.exists(directory.resolve("manifest.json"))) {
      return Future.succeededFuture();
    }
    try {
      Files.createDirectories(directory);
      Files.writeString(directory.resolve("manifest.json"), "{\"callId\":\"" + callId + "\",\"tracks\":[]}");
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    running.add(callId);
    started.add(callId);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> finish(String callId) {
    if (!running.remove(callId)) {
      return Future.succeededFuture();
    }
    try {
      Path directory = recordings.resolve(callId);
      Path video = directory.resolve("citizen.camera.ivf");
      Files.write(video, "DKIF recorded frames".getBytes(StandardCharsets.US_ASCII));
      Files.writeString(directory.resolve("manifest.json"), "{\"callId\":\"" + callId + "\",\"stoppedAt\":\"2026-12-01T10:05:00Z\","
          + "\"tracks\":[{\"participantId\":\"citizen\",\"trackId\":\"camera\",\"file\":\"citizen.camera.ivf\",\"sha256\":\""
          + Sha256.of(video) + "\"}]}");
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    finished.add(callId);
    return Future.succeededFuture();
  }
}
