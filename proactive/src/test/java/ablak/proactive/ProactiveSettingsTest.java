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
  void withoutAnSmtpHostNothingIsSent() {
    assertThat(ProactiveSettings.defaults().smtpHost()).isEmpty();
    assertThat(ProactiveSettings.defaults().mailEnabled()).isFalse();
  }

  @Test
  void theSmtpPasswordNeverAppearsInTheSettingsText() {
    ProactiveSettings d = ProactiveSettings.defaults();
    ProactiveSettings withPassword = new ProactiveSettings(d.zone(), d.sendHour(), d.batchSize(), d.leaseSeconds(),
        d.maxAttempts(), d.retryBaseSeconds(), d.retryMaxSeconds(), d.sendsPerSecond(), d.pollMillis(), d.bookingUrl(),
        d.mailFrom(), d.smtpHost(), d.smtpPort(), true, "relay-user", "s3cret-relay-password", d.smtpTimeoutMillis(),
        d.slotMinutes(), d.joinEarlyMinutes(), d.noShowGraceMinutes(), d.citizenUrl(), d.callbackAhead(),
        d.callbackWaitSeconds(), d.callbackGraceMinutes());

    assertThat(withPassword.toString()).contains("smtpUser=relay-user").doesNotContain("s3cret-relay-password");
  }

  @Test
  void aSlotLengthThatDoesNotDivideADayIsRefused() {
    ProactiveSettings d = ProactiveSettings.defaults();
    ProactiveSettings bad = new ProactiveSettings(d.zone(), d.sendHour(), d.batchSize(), d.leaseSeconds(),
        d.maxAttempts(), d.retryBaseSeconds(), d.retryMaxSeconds(), d.sendsPerSecond(), d.pollMillis(), d.bookingUrl(),
        d.mailFrom(), d.smtpHost(), d.smtpPort(), d.smtpStartTls(), d.smtpUser(), d.smtpPassword(), d.smtpTimeoutMillis(),
        7, d.joinEarlyMinutes(), d.noShowGraceMinutes(), d.citizenUrl(), d.callbackAhead(), d.callbackWaitSeconds(),
        d.callbackGraceMinutes());

    assertThatThrownBy(bad::validate).hasMessageContaining("proactive.slotMinutes");
  }
}
