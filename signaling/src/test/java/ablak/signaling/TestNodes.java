package ablak.signaling;

import ablak.signaling.config.AblakSettings;
import ablak.signaling.config.SettingsLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Nodes for tests. Most test classes share one node on embedded stores (started once per test
 * JVM, stopped at its exit), because starting PostgreSQL takes seconds.
 */
final class TestNodes {

  private static AblakServer shared;

  private TestNodes() {}

  static synchronized AblakServer shared() {
    if (shared == null) {
      Path dataDir = tempDataDir();
      shared = AblakServer.start(embeddedSettings(dataDir, Map.of()));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        shared.close();
        delete(dataDir);
      }));
    }
    return shared;
  }

  /**
   * A node for tests of lost and regained connections, on the machine's stores: a heartbeat every second,
   * so that resume tokens and presence refresh quickly, and a resume time of a minute, so that nobody is
   * taken out as lost while a test runs; {@code extra} adds or overrides settings.
   */
  static AblakServer reconnecting(MachineStores stores, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("ABLAK_PROTOCOL_HEARTBEAT_SECONDS", "1", "ABLAK_PROTOCOL_RESUME_TTL_SECONDS", "60"));
    env.putAll(extra);
    return AblakServer.start(embeddedSettings(tempDataDir(), stores.environment(env)));
  }

  /** Default settings except: free port, one event loop, the given data directory and overrides. */
  static AblakSettings embeddedSettings(Path dataDir, Map<String, String> environment) {
    Map<String, String> env = new HashMap<>(environment);
    env.put("ABLAK_HTTP_PORT", "0");
    env.put("ABLAK_HTTP_EVENT_LOOPS", "1");
    env.put("ABLAK_HTTP_SHUTDOWN_GRACE_SECONDS", "1");
    env.put("ABLAK_STORES_DATA_DIR", dataDir.toString());
    env.putAll(Map.of("ABLAK_MEDIA_BIND_ADDRESS", "127.0.0.1", "ABLAK_MEDIA_PORT", "0", "ABLAK_MEDIA_ACCEPT_LOOPBACK_ONLY", "true"));
    return SettingsLoader.load(null, env);
  }

  /** Removes a data directory (an embedded PostgreSQL's is tens of megabytes). */
  static void delete(Path dir) {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path tempDataDir() {
    try {
      return Files.createTempDirectory("ablak-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
