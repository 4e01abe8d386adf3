package ablak.proactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProactiveSettingsTest {

  @Test
  void theDefaultsAreValid() {
    assertThat(ProactiveSettings.defaults().validate()).isEqualTo(ProactiveSettings.defaults());
  }

  @Test
  void aSlotLengthThatDoesNotDivideADayIsRefused() {
    ProactiveSettings d = ProactiveSettings.defaults();
    ProactiveSettings bad = new ProactiveSettings(d.zone(), d.sendHour(), d.batchSize(), d.leaseSeconds(),
        d.maxAttempts(), d.retryBaseSeconds(), d.retryMaxSeconds(), d.sendsPerSecond(), d.pollMillis(), d.bookingUrl(),
        7, d.joinEarlyMinutes(), d.noShowGraceMinutes(), d.citizenUrl(), d.callbackAhead(), d.callbackWaitSeconds(),
        d.callbackGraceMinutes());

    assertThatThrownBy(bad::validate).hasMessageContaining("proactive.slotMinutes");
  }
}
