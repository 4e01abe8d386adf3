package ablak.signaling.auth;

import ablak.signaling.ClientError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Anonymous, signed, short-lived tokens that let a citizen through one visit without an account:
 * {@code v1.<base64url payload>.<base64url HMAC-SHA256>} with payload {@code {"vid":..,"exp":..}}.
 * Stateless, so any node holding the shared signing key can verify them. An eID sign-in can later
 * issue the same {@link Principal} behind the same interface.
 */
public final class VisitTokens {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final Clock clock;
  private final int ttlSeconds;

  public VisitTokens(byte[] signingKey, Clock clock, int ttlSeconds) {
    this.key = new SecretKeySpec(signingKey, "HmacSHA256");
    this.clock = clock;
    this.ttlSeconds = ttlSeconds;
  }

  public record Issued(String token, String visitId, long expiresAt) {}

  public Issued issue() {
    String visitId = UUID.randomUUID().toString();
    long expiresAt = clock.instant().getEpochSecond() + ttlSeconds;
    String payload = B64.encodeToString(new JsonObject().put("vid", visitId).put("exp", expiresAt).encode().getBytes(StandardCharsets.UTF_8));
    String signed = "v1." + payload;
    return new Issued(signed + "." + B64.encodeToString(sign(signed)), visitId, expiresAt);
  }

  /** The citizen principal of a valid token; otherwise throws {@code token_invalid} or {@code token_expired}. */
  public Principal verify(String token) {
    String[] parts = token == null ? new String[0] : token.split("\\.");
    if (parts.length != 3 || !parts[0].equals("v1")) {
      throw invalid();
    }
    try {
      byte[] signature = B64D.decode(parts[2]);
      if (!MessageDigest.isEqual(signature, sign(parts[0] + "." + parts[1]))) {
        throw invalid();
      }
      JsonObject payload = new JsonObject(new String(B64D.decode(parts[1]), StandardCharsets.UTF_8));
      String visitId = payload.getString("vid");
      long expiresAt = payload.getLong("exp");
      if (clock.instant().getEpochSecond() >= expiresAt) {
        throw new ClientError(ClientError.TOKEN_EXPIRED, 401, "the visit token has expired; request a new one");
      }
      return new Principal("visit:" + visitId, "citizen", Role.CITIZEN, null, expiresAt);
    } catch (IllegalArgumentException | DecodeException | ClassCastException | NullPointerException e) {
      throw invalid();
    }
  }

  private static ClientError invalid() {
    return new ClientError(ClientError.TOKEN_INVALID, 401, "the token is not valid");
  }

  private byte[] sign(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }
}
