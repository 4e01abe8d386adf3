package ablak.media.turn;

import ablak.media.MediaSettings.TurnSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TurnCredentialsTest {
    private final TurnSettings settings = new TurnSettings(List.of("turn:turn.example.org:3478"), "s3cret", Duration.ofHours(1));

    @Test
    void usernameIsExpiryAndUserAndPasswordIsItsHmac() {
        TurnCredentials c = TurnCredentials.issue(settings, "clerk-7", Instant.ofEpochSecond(1_000_000));
        assertThat(c.username()).isEqualTo("1003600:clerk-7");
        // base64(HMAC-SHA1("s3cret", "1003600:clerk-7")), as coturn's use-auth-secret computes it
        assertThat(c.credential()).isEqualTo("9PAi5t58uARQx29r6z40yXRB7n4=");
        assertThat(c.toString()).doesNotContain(c.credential());
    }

    @Test
    void aUserWithAColonIsRefused() {
        assertThatThrownBy(() -> TurnCredentials.issue(settings, "a:b", Instant.now())).isInstanceOf(IllegalArgumentException.class);
    }
}
