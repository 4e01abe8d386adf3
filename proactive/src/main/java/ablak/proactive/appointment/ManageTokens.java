package ablak.proactive.appointment;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token that lets whoever holds the confirmation e-mail read, move or cancel one appointment:
 * HMAC-SHA256 of the appointment id under a key every node shares. Derived, not stored, so every
 * e-mail about the appointment (booking, rescheduling, cancelling) carries the same working link
 * and nothing secret sits in the appointment table.
 */
public final class ManageTokens {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;

  /** @param key at least 32 bytes, the same on every node */
  public ManageTokens(byte[] key) {
    if (key == null || key.length < 32) {
      throw new IllegalArgumentException("the appointment link key needs at least 32 bytes");
    }
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  public String token(UUID appointmentId) {
    return B64.encodeToString(mac(appointmentId));
  }

  /** Constant-time comparison, so the time taken tells nothing about how much of a guess was right. */
  public boolean matches(UUID appointmentId, String token) {
    return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII), token(appointmentId).getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] mac(UUID appointmentId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(("appointment:" + appointmentId).getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }
}
