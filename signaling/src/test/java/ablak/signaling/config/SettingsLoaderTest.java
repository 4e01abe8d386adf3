package ablak.signaling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

  @TempDir
  Path dir;

  @Test
  void withNothingGivenEverySettingHasItsDocumentedDefault() {
    AblakSettings settings = SettingsLoader.load(null, Map.of());

    assertThat(settings).isEqualTo(AblakSettings.defaults());
    assertThat(settings.http().host()).isEqualTo("127.0.0.1");
    assertThat(settings.http().port()).isEqualTo(8080);
    assertThat(settings.stores().embeddedRedis()).isTrue();
    assertThat(settings.stores().embeddedDatabase()).isTrue();
  }

  @Test
  void theFileOverridesDefaultsAndTheEnvironmentOverridesTheFile() throws IOException {
    Path file = Files.writeString(dir.resolve("ablak.yaml"), """
        http:
          port: 9000
          host: 127.0.0.2
        protocol:
          rateLimitBurst: 10
        """);

    AblakSettings settings = SettingsLoader.load(file, Map.of("ABLAK_HTTP_PORT", "9443", "ABLAK_STORES_REDIS_KEY_PREFIX", "x:"));

    assertThat(settings.http().port()).isEqualTo(9443);
    assertThat(settings.http().host()).isEqualTo("127.0.0.2");
    assertThat(settings.protocol().rateLimitBurst()).isEqualTo(10);
    assertThat(settings.stores().redisKeyPrefix()).isEqualTo("x:");
  }

  @Test
  void recordingAndSessionSettingsKeepRelativePathsAndReadDurations() throws IOException {
    Path file = Files.writeString(dir.resolve("ablak.yaml"), """
        media:
          recording:
            directory: evidence/recordings
            queueCapacity: 100
        """);

    AblakSettings settings = SettingsLoader.load(file, Map.of("ABLAK_MEDIA_SESSION_IDLE_TIMEOUT", "PT30S"));
    AblakSettings absolute = SettingsLoader.load(null, Map.of("ABLAK_MEDIA_RECORDING_DIRECTORY", "/srv/recordings"));

    assertThat(AblakSettings.defaults().media().recording().directory()).isEqualTo(Path.of("recordings"));
    assertThat(settings.media().recording().directory()).isEqualTo(Path.of("evidence/recordings"));
    assertThat(settings.media().recording().queueCapacity()).isEqualTo(100);
    assertThat(settings.media().sessionIdleTimeout()).hasSeconds(30);
    assertThat(absolute.media().recording().directory()).isEqualTo(Path.of("/srv/recordings"));
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_MEDIA_RECORDING_QUEUE_CAPACITY", "0")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_MEDIA_SESSION_IDLE_TIMEOUT", "-PT1S")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theUsualRedisAndDatabaseVariablesAreUnderstood() {
    AblakSettings settings = SettingsLoader.load(null, Map.of(
        "REDIS_URL", "redis://cache:6379", "DATABASE_URL", "postgresql://a:b@db:5432/ablak"));

    assertThat(settings.stores().redisUrl()).isEqualTo("redis://cache:6379");
    assertThat(settings.stores().databaseUrl()).isEqualTo("postgresql://a:b@db:5432/ablak");
    assertThat(settings.stores().embeddedRedis()).isFalse();
  }

  @Test
  void aMistypedKeyInTheFileIsAnErrorNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("ablak.yaml"), "http:\n  prot: 9000\n");

    assertThatThrownBy(() -> SettingsLoader.load(file, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http.prot");
  }

  @Test
  void anInvalidValueIsAnErrorNamingTheSetting() {
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_HTTP_PORT", "70000")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http.port");
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_HTTP_TLS", "maybe")))
        .hasMessageContaining("http.tls");
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_HTTP_PORT", "eighty")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid configuration");
  }
}
