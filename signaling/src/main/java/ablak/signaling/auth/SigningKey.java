package ablak.signaling.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The visit-token key shared by all nodes: the first node to start creates it, the rest read it. */
public final class SigningKey {

  private SigningKey() {}

  public static Future<byte[]> load(Pool pool) {
    return pool.preparedQuery("INSERT INTO accounts.signing_key (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
        .execute(Tuple.of(Buffer.buffer(Tokens.randomBytes(32))))
        .compose(inserted -> pool.query("SELECT secret FROM accounts.signing_key WHERE id = 1").execute())
        .map(rows -> rows.iterator().next().getBuffer("secret").getBytes());
  }

  /**
   * A key for another purpose derived from the shared one (HMAC-SHA256 of the purpose), so each
   * kind of token has its own key and none can be replayed as another kind.
   */
  public static byte[] derive(byte[] key, String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }
}
