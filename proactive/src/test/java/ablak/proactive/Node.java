package ablak.proactive;

import ablak.mail.MailSettings;
import ablak.mail.Mailer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** One node of the proactive service in a test: its own Vert.x, its own pool, the shared database. */
public final class Node implements AutoCloseable {

  public final Vertx vertx = Vertx.vertx();
  public final Pool pool;
  public final Proactive proactive;

  /** Every node of a test shares this link key, as the nodes of a cluster share theirs. */
  public static final byte[] LINK_KEY = "a test key for appointment links, 32+ bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** A node whose e-mail goes to the test relay on 127.0.0.1:{@code smtpPort}. */
  public Node(TestDatabase database, ProactiveSettings settings, int smtpPort, TestClock clock, String name) {
    pool = database.pool(vertx, 8);
    Mailer mailer = new Mailer(vertx, MailSettings.relay("127.0.0.1", smtpPort), clock);
    proactive = new Proactive(vertx, pool, settings, mailer, clock, name, new SimpleMeterRegistry(), LINK_KEY);
  }

  /** Test settings: no real rate limit unless a test sets one. */
  public static ProactiveSettings settings() {
    return settings(1000.0, 3);
  }

  public static ProactiveSettings settings(double sendsPerSecond, int maxAttempts) {
    ProactiveSettings d = ProactiveSettings.defaults();
    return new ProactiveSettings(d.zone(), d.sendHour(), d.batchSize(), d.leaseSeconds(), maxAttempts, 60, 3600, sendsPerSecond,
        d.pollMillis(), "https://ablak.test/appointments",
        d.slotMinutes(), d.joinEarlyMinutes(), d.noShowGraceMinutes(), d.citizenUrl(), d.callbackAhead(),
        d.callbackWaitSeconds(), d.callbackGraceMinutes());
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
