package ablak.signaling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ablak.queue.QueueSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  @Test
  void everyProactiveAndMailSettingIsReadFromTheEnvironmentWhateverItsType() {
    AblakSettings settings = SettingsLoader.load(null, Map.ofEntries(
        Map.entry("ABLAK_PROACTIVE_ZONE", "Europe/Vienna"),
        Map.entry("ABLAK_PROACTIVE_SEND_HOUR", "7"),
        Map.entry("ABLAK_PROACTIVE_BATCH_SIZE", "10"),
        Map.entry("ABLAK_PROACTIVE_LEASE_SECONDS", "30"),
        Map.entry("ABLAK_PROACTIVE_MAX_ATTEMPTS", "3"),
        Map.entry("ABLAK_PROACTIVE_RETRY_BASE_SECONDS", "5"),
        Map.entry("ABLAK_PROACTIVE_RETRY_MAX_SECONDS", "50"),
        Map.entry("ABLAK_PROACTIVE_SENDS_PER_SECOND", "2.5"),
        Map.entry("ABLAK_PROACTIVE_POLL_MILLIS", "250"),
        Map.entry("ABLAK_PROACTIVE_BOOKING_URL", "https://ablak.example/appointments/"),
        Map.entry("ABLAK_MAIL_FROM", "noreply@ablak.example"),
        Map.entry("ABLAK_MAIL_SMTP_HOST", "relay.internal"),
        Map.entry("ABLAK_MAIL_SMTP_PORT", "587"),
        Map.entry("ABLAK_MAIL_SMTP_START_TLS", "true"),
        Map.entry("ABLAK_MAIL_SMTP_USER", "ablak"),
        Map.entry("ABLAK_MAIL_SMTP_PASSWORD", "relay-secret-value"),
        Map.entry("ABLAK_MAIL_SMTP_TIMEOUT_MILLIS", "2000"),
        Map.entry("ABLAK_PROACTIVE_SLOT_MINUTES", "30"),
        Map.entry("ABLAK_PROACTIVE_JOIN_EARLY_MINUTES", "5"),
        Map.entry("ABLAK_PROACTIVE_NO_SHOW_GRACE_MINUTES", "20"),
        Map.entry("ABLAK_PROACTIVE_CITIZEN_URL", "https://ablak.example/citizen/"),
        Map.entry("ABLAK_PROACTIVE_CALLBACK_AHEAD", "5"),
        Map.entry("ABLAK_PROACTIVE_CALLBACK_WAIT_SECONDS", "600"),
        Map.entry("ABLAK_PROACTIVE_CALLBACK_GRACE_MINUTES", "30")));

    assertThat(settings.proactive()).isEqualTo(new ablak.proactive.ProactiveSettings("Europe/Vienna", 7, 10, 30, 3, 5, 50, 2.5, 250,
        "https://ablak.example/appointments/", 30, 5, 20, "https://ablak.example/citizen/", 5, 600, 30));
    assertThat(settings.mail()).isEqualTo(new ablak.mail.MailSettings("noreply@ablak.example", "relay.internal", 587, true, "ablak",
        "relay-secret-value", 2000));
    assertThat(settings.mail().relayConfigured()).isTrue();
    assertThat(settings.toString()).doesNotContain("relay-secret-value");
  }

  @Test
  void withoutAnSmtpHostNoMailIsSentAndBadProactiveValuesAreRefused() {
    assertThat(SettingsLoader.load(null, Map.of()).mail().relayConfigured()).isFalse();
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_MAIL_FROM", "nobody")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mail.from");
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_PROACTIVE_SLOT_MINUTES", "7")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proactive.slotMinutes");
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_PROACTIVE_ZONE", "Mars/Olympus")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proactive.zone");
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_MAIL_SMTP_START_TLS", "perhaps")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid configuration");
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_PROACTIVE_SENDS_PER_SECOND", "fast")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid configuration");
  }

  @Test
  void queueDurationsLoadAsIso8601FromTheFileAndTheEnvironment() throws IOException {
    Path file = Files.writeString(dir.resolve("ablak.yaml"), """
        queue:
          offerTimeout: PT15S
          hashTag: centre-1
        """);

    AblakSettings settings = SettingsLoader.load(file, Map.of("ABLAK_QUEUE_PRESENCE_TTL", "PT45S", "ABLAK_QUEUE_MAX_NO_ANSWER", "3",
        "ABLAK_CALLS_MEDIA_TOKEN_TTL_SECONDS", "60"));

    assertThat(settings.queue().offerTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.queue().presenceTtl()).isEqualTo(Duration.ofSeconds(45));
    assertThat(settings.queue().maxNoAnswer()).isEqualTo(3);
    assertThat(settings.queue().hashTag()).isEqualTo("centre-1");
    assertThat(settings.queue().sweepInterval()).isEqualTo(QueueSettings.defaults().sweepInterval());
    assertThat(settings.calls().mediaTokenTtlSeconds()).isEqualTo(60);
  }

  @Test
  void anInvalidQueueSettingIsAnErrorNamingIt() {
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_QUEUE_OFFER_TIMEOUT", "PT0S")))
        .hasMessageContaining("queue durations");
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_QUEUE_HASH_TAG", "a}b")))
        .hasMessageContaining("queue.hashTag");
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_QUEUE_OFFER_TIMEOUT", "twenty")))
        .hasMessageContaining("invalid configuration");
  }
}
