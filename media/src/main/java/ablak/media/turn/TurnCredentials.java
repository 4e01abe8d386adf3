package ablak.media.turn;

import ablak.media.MediaSettings.TurnSettings;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Short-lived TURN credentials in the "TURN REST API" scheme (draft-uberti-behave-turn-rest-00), which coturn
 * checks with {@code use-auth-secret}: username = expiry as Unix seconds + ":" + user, password =
 * base64(HMAC-SHA1(shared secret, username)). Handed to clients as RTCPeerConnection iceServers.
 */
public record TurnCredentials(List<String> urls, String username, String credential, Instant expiresAt) {

    public static TurnCredentials issue(TurnSettings settings, String user, Instant now) {
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("user must not contain ':'");
        }
        Instant expiry = now.plus(settings.credentialTtl());
        String username = expiry.getEpochSecond() + ":" + user;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(settings.sharedSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String credential = Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
            return new TurnCredentials(settings.urls(), username, credential, expiry);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "TurnCredentials[urls=" + urls + ", username=" + username + ", expiresAt=" + expiresAt + "]";
    }
}
