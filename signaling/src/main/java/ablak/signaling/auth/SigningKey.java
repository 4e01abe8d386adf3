package ablak.signaling.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** The visit-token key shared by all nodes: the first node to start creates it, the rest read it. */
public final class SigningKey {

  private SigningKey() {}

  public static Future<byte[]> load(Pool pool) {
    return pool.preparedQuery("INSERT INTO accounts.signing_key (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
        .execute(Tuple.of(Buffer.buffer(Tokens.randomBytes(32))))
        .compose(inserted -> pool.query("SELECT secret FROM accounts.signing_key WHERE id = 1").execute())
        .map(rows -> rows.iterator().next().getBuffer("secret").getBytes());
  }
}
