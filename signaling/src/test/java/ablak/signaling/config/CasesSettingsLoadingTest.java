package ablak.signaling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ablak.cases.CasesSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CasesSettingsLoadingTest {

  @Test
  void casesSettingsDefaultAndAreOverriddenFromTheEnvironment() {
    AblakSettings defaults = SettingsLoader.load(null, Map.of());
    AblakSettings configured = SettingsLoader.load(null, Map.of(
        "ABLAK_CASES_BACK_OFFICE_BASE_URL", "http://127.0.0.1:9999",
        "ABLAK_CASES_RELAY_LEASE", "PT45S",
        "ABLAK_CASES_MAX_DELIVERY_ATTEMPTS", "20",
        "ABLAK_CASES_RELAY_ENABLED", "false",
        "ABLAK_CASES_AUDIT_CHAIN_INTERVAL", "PT2S",
        "ABLAK_CASES_POOL_WAIT_QUEUE_SIZE", "50",
        "ABLAK_CASES_POOL_CONNECTION_TIMEOUT", "PT3S"));

    assertThat(defaults.cases().relayLease()).isEqualTo(CasesSettings.defaults().relayLease());
    assertThat(defaults.cases().catalogueDirectory()).isNull();
    assertThat(configured.cases().backOfficeBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:9999"));
    assertThat(configured.cases().relayLease()).isEqualTo(Duration.ofSeconds(45));
    assertThat(configured.cases().maxDeliveryAttempts()).isEqualTo(20);
    assertThat(configured.cases().relayEnabled()).isFalse();
    assertThat(defaults.cases().auditChainBatchSize()).isEqualTo(500);
    assertThat(configured.cases().auditChainInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.cases().poolWaitQueueSize()).isEqualTo(1000);
    assertThat(defaults.cases().poolConnectionTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(configured.cases().poolWaitQueueSize()).isEqualTo(50);
    assertThat(configured.cases().poolConnectionTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aMalformedDurationOrAnInconsistentLeaseIsRefused() {
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_CASES_RELAY_LEASE", "30 seconds")))
        .hasMessageContaining("invalid configuration").hasMessageContaining("ISO-8601");
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_CASES_RELAY_LEASE", "PT5S")))
        .hasMessageContaining("relayLease must exceed deliveryTimeout");
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_CASES_AUDIT_CHAIN_BATCH_SIZE", "0")))
        .hasMessageContaining("auditChainBatchSize must be positive");
    assertThatThrownBy(() -> SettingsLoader.load(null, Map.of("ABLAK_CASES_AUDIT_CHAIN_INTERVAL", "PT0S")))
        .hasMessageContaining("auditChainInterval must be positive");
  }
}
