package ablak.signaling.call;

import ablak.signaling.ClientError;
import ablak.signaling.auth.Role;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed tokens that let one participant put media into one call:
 * {@code m1.<base64url payload>.<base64url HMAC-SHA256>} with payload
 * {@code {"call":..,"user":..,"role":..,"exp":..}}. The sibling of visit tokens: stateless, so the
 * node hosting the call's SFU verifies a token issued by whichever node accepted the call. Its key
 * is derived from the shared signing key, so a media token can never pass as a visit token.
 */
public final class MediaTokens {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  static final String PREFIX = "m1.";
  private static final String INTERPRETER = "interpreter";

  /**
   * Who may do what with media: {@code role} is citizen or clerk; an interpreter (a clerk account)
   * holds {@code interpreter} true and takes part in the call's media as the SFU's interpreter role.
   */
  public record Grant(String callId, String userId, Role role, long expiresAt, boolean interpreter) {}

  private final SecretKeySpec key;
  private final Clock clock;
  private final int ttlSeconds;

  public MediaTokens(byte[] signingKey, Clock clock, int ttlSeconds) {
    this.key = new SecretKeySpec(hmac(new SecretKeySpec(signingKey, "HmacSHA256"), "ablak media tokens"), "HmacSHA256");
    this.clock = clock;
    this.ttlSeconds = ttlSeconds;
  }

  public static boolean looksLikeOne(String token) {
    return token != null && token.startsWith(PREFIX);
  }

  public String issue(String callId, String userId, Role role) {
    return issue(callId, userId, role.wireName());
  }

  /** A token of role {@code interpreter}: a clerk account joining a call as its interpreter. */
  public String issueInterpreter(String callId, String userId) {
    return issue(callId, userId, INTERPRETER);
  }

  private String issue(String callId, String userId, String role) {
    long expiresAt = clock.instant().getEpochSecond() + ttlSeconds;
    JsonObject payload = new JsonObject().put("call", callId).put("user", userId).put("role", role).put("exp", expiresAt);
    String signed = PREFIX + B64.encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8));
    return signed + "." + B64.encodeToString(hmac(key, signed));
  }

  /** The grant of a valid token; otherwise throws {@code token_invalid} or {@code token_expired}. */
  public Grant verify(String token) {
    String[] parts = token == null ? new String[0] : token.split("\\.");
    if (parts.length != 3 || !(parts[0] + ".").equals(PREFIX)) {
      throw invalid();
    }
    try {
      if (!MessageDigest.isEqual(B64D.decode(parts[2]), hmac(key, parts[0] + "." + parts[1]))) {
        throw invalid();
      }
      JsonObject payload = new JsonObject(new String(B64D.decode(parts[1]), StandardCharsets.UTF_8));
      long expiresAt = payload.getLong("exp");
      if (clock.instant().getEpochSecond() >= expiresAt) {
        throw new ClientError(ClientError.TOKEN_EXPIRED, 401, "the media token has expired; it is renewed with call.media");
      }
      boolean interpreter = INTERPRETER.equals(payload.getString("role"));
      return new Grant(payload.getString("call"), payload.getString("user"),
          interpreter ? Role.CLERK : Role.fromWireName(payload.getString("role")), expiresAt, interpreter);
    } catch (IllegalArgumentException | DecodeException | ClassCastException | NullPointerException e) {
      throw invalid();
    }
  }

  private static ClientError invalid() {
    return new ClientError(ClientError.TOKEN_INVALID, 401, "the media token is not valid");
  }

  private static byte[] hmac(SecretKeySpec key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }
}
