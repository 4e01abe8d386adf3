package ablak.identification;

import ablak.mail.MailSettings;
import ablak.mail.Mailer;
import ablak.cases.CasesMigrations;
import ablak.cases.audit.AuditTrail;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One test's world: its own database (cases and identification schemas migrated) on a PostgreSQL 16
 * shared by the test JVM, a real SMTP server (GreenMail) on loopback, fresh evidence and recording
 * directories, a clock the test moves, and the module started on them.
 */
final class Harness implements AutoCloseable {

  private static EmbeddedPostgres postgres;

  final String database = "t_" + UUID.randomUUID().toString().replace("-", "");
  final Vertx vertx = Vertx.vertx();
  final GreenMail mail;
  final Path evidence;
  final Path recordings;
  final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
  final IdentificationSettings settings;
  final Identifications module;
  final Pool sql;
  final AuditTrail audit;
  final FileRecorder recorder;

  Harness(UnaryOperator<IdentificationSettings> configure) {
    this(configure, true);
  }

  /** {@code recording}: whether calls can be recorded here (a {@link FileRecorder}), or not at all ({@link CallRecorder#NONE}). */
  Harness(UnaryOperator<IdentificationSettings> configure, boolean recording) {
    try {
      startPostgres();
      try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "")) {
        admin.createStatement().execute("create database " + database);
      }
      CasesMigrations.migrate(jdbcUrl(database), "postgres", "");
      IdentificationMigrations.migrate(jdbcUrl(database), "postgres", "");
      int smtpPort;
      try (ServerSocket probe = new ServerSocket(0)) {
        smtpPort = probe.getLocalPort();
      }
      mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
      mail.start();
      evidence = Files.createTempDirectory("ablak-evidence");
      recordings = Files.createTempDirectory("ablak-recordings");
      IdentificationSettings d = IdentificationSettings.defaults();
      settings = configure.apply(new IdentificationSettings(evidence.toString(), recordings.toString(), d.requireRecording(), d.minWidth(), d.minHeight(),
          d.minFps(), d.minSharpness(), d.maxGlare(), d.maxStillBytes(), d.maxAttempts(), d.codeLength(), d.codeTtl(),
          d.maxCodeAttempts(), d.reviewCaseTypes(),
          d.retention(), d.abortedRetention(), Duration.ofDays(1), 2, d.poolWaitQueueSize(), d.poolConnectionTimeout()));
      PgConnectOptions options = new PgConnectOptions().setHost("127.0.0.1").setPort(postgres.getPort())
          .setDatabase(database).setUser("postgres");
      recorder = new FileRecorder(recordings);
      Mailer mailer = new Mailer(vertx, MailSettings.relay("127.0.0.1", smtpPort), clock);
      module = await(Identifications.start(vertx, options, settings, mailer, clock, recording ? recorder : CallRecorder.NONE));
      sql = PgBuilder.pool().connectingTo(options).using(vertx).build();
      audit = new AuditTrail(sql);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  Harness() {
    this(settings -> settings);
  }

  IdentificationService service() {
    return module.service();
  }

  /** Runs a statement as the test's superuser would behind the application's back. */
  void tamper(String statement) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl(database), "postgres", "")) {
      connection.createStatement().execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The digits of the last code e-mailed. */
  String lastCode() {
    try {
      var messages = mail.getReceivedMessages();
      String body = messages[messages.length - 1].getContent().toString();
      var matcher = java.util.regex.Pattern.compile("\\b(\\d{" + settings.codeLength() + "})\\b").matcher(body);
      if (!matcher.find()) {
        throw new AssertionError("no code in " + body);
      }
      return matcher.group(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  List<String> auditActions(UUID id) {
    return await(audit.forSubject("identification", id.toString())).stream().map(record -> record.entry().action()).toList();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static synchronized void startPostgres() throws IOException {
    if (postgres == null) {
      postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          postgres.close();
        } catch (IOException ignored) {
          // the JVM is exiting
        }
      }));
    }
  }

  private static String jdbcUrl(String name) {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name;
  }

  @Override
  public void close() {
    await(module.close());
    await(sql.close());
    mail.stop();
    await(vertx.close());
    try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "")) {
      admin.createStatement().execute("drop database if exists " + database + " with (force)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A clock the test advances by hand. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
