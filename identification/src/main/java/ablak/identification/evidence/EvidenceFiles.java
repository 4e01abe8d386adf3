package ablak.identification.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of the evidence: stills under {@code <evidence>/<identification id>/}, and the call
 * recordings the media recorder writes under {@code <recordings>/<call id>/} with a manifest.json
 * listing each file's SHA-256. Blocking: callers run it on worker threads.
 */
public final class EvidenceFiles {

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path evidence;
  private final Path recordings;

  public EvidenceFiles(Path evidence, Path recordings) {
    this.evidence = evidence;
    this.recordings = recordings;
  }

  /** Writes a still atomically (temporary file, then rename), so a reader never sees half of one. */
  public Path writeStill(UUID identification, String fileName, byte[] bytes) throws IOException {
    Path directory = evidence.resolve(identification.toString());
    Files.createDirectories(directory);
    Path target = directory.resolve(safe(fileName));
    Path temporary = Files.createTempFile(directory, ".still", ".tmp");
    Files.write(temporary, bytes);
    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  public Path still(UUID identification, String fileName) {
    return evidence.resolve(identification.toString()).resolve(safe(fileName));
  }

  public Path manifest(String callId) {
    return recordings.resolve(safe(callId)).resolve("manifest.json");
  }

  public Optional<String> manifestSha256(String callId) throws IOException {
    Path manifest = manifest(callId);
    return Files.exists(manifest) ? Optional.of(Sha256.of(manifest)) : Optional.empty();
  }

  /** A file the call's manifest lists; empty when there is no such recording or file. */
  public Optional<Path> recordingFile(String callId, String fileName) throws IOException {
    if (!SAFE_NAME.matcher(fileName).matches() || !Files.exists(manifest(callId))) {
      return Optional.empty();
    }
    for (JsonNode track : JSON.readTree(manifest(callId).toFile()).path("tracks")) {
      if (fileName.equals(track.path("file").asText())) {
        return Optional.of(recordings.resolve(safe(callId)).resolve(fileName));
      }
    }
    return Optional.empty();
  }

  /** Checks every file the manifest lists against its SHA-256; one line per problem. */
  public List<String> checkRecording(String callId) throws IOException {
    List<String> problems = new ArrayList<>();
    for (JsonNode track : JSON.readTree(manifest(callId).toFile()).path("tracks")) {
      String file = track.path("file").asText();
      String expected = track.path("sha256").isTextual() ? track.path("sha256").asText() : null;
      Path path = recordings.resolve(safe(callId)).resolve(safe(file));
      if (!Files.exists(path)) {
        problems.add("recording file " + file + " is missing");
      } else if (expected == null) {
        problems.add("recording file " + file + " has no hash in the manifest (the recording did not stop cleanly)");
      } else if (!expected.equals(Sha256.of(path))) {
        problems.add("recording file " + file + " does not match its SHA-256");
      }
    }
    return problems;
  }

  public void deleteStills(UUID identification) throws IOException {
    deleteTree(evidence.resolve(identification.toString()));
  }

  public void deleteRecording(String callId) throws IOException {
    deleteTree(recordings.resolve(safe(callId)));
  }

  private static void deleteTree(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(path);
        } catch (NoSuchFileException alreadyGone) {
          // deleted by another node's retention run at the same time
        }
      }
    }
  }

  private static String safe(String name) {
    if (!SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("unsafe file name: " + name);
    }
    return name;
  }
}
