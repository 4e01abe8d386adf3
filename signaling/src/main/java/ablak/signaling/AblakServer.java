package ablak.signaling;

import ablak.cases.Cases;
import ablak.cases.CasesMigrations;
import ablak.identification.IdentificationMigrations;
import ablak.identification.Identifications;
import ablak.media.call.Sfu;
import ablak.signaling.auth.Authenticator;
import ablak.signaling.auth.DemoAccounts;
import ablak.signaling.auth.LoginThrottle;
import ablak.signaling.auth.PasswordHasher;
import ablak.signaling.auth.Sessions;
import ablak.signaling.auth.SigningKey;
import ablak.signaling.auth.StaffAccounts;
import ablak.signaling.auth.VisitTokens;
import ablak.signaling.config.AblakSettings;
import ablak.signaling.config.HttpSettings;
import ablak.signaling.http.AdminRoutes;
import ablak.signaling.http.ApiErrors;
import ablak.signaling.http.AuthRoutes;
import ablak.signaling.http.WebAppRoutes;
import ablak.signaling.http.OperationsRoutes;
import ablak.signaling.http.RoleGuard;
import ablak.signaling.http.RouteGroup;
import ablak.signaling.cases.CaseMessages;
import ablak.signaling.cases.CaseRoutes;
import ablak.signaling.identification.IdentificationRoutes;
import ablak.signaling.media.WhipRoutes;
import ablak.signaling.protocol.Connections;
import ablak.signaling.protocol.ControlSocket;
import ablak.signaling.protocol.MessageGroup;
import ablak.signaling.protocol.MessageRegistry;
import ablak.signaling.protocol.ResumeTokens;
import ablak.signaling.protocol.SessionMessages;
import ablak.signaling.store.DatabaseLocation;
import ablak.signaling.store.RedisKeys;
import ablak.signaling.store.Stores;
import ablak.signaling.tls.ServerCertificate;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Ablak node: stores, migrations, services, message types and routes, wired in that order.
 * Everything shared between nodes lives in Redis or PostgreSQL; a node keeps only its own
 * connections, so any number can run side by side behind a load balancer.
 */
public final class AblakServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AblakServer.class);

  /** Each module's migrations, run in this order at every start. */
  private static final List<Migration> MIGRATIONS = List.of(
      AccountsMigrations::migrate,
      CasesMigrations::migrate,
      IdentificationMigrations::migrate);

  @FunctionalInterface
  interface Migration {
    void migrate(String jdbcUrl, String user, String password);
  }

  private final AblakSettings settings;
  private final List<AutoCloseable> resources;
  private final Vertx vertx;
  private final String deploymentId;
  private final AtomicBoolean draining;
  private final Connections connections;
  private final MessageRegistry messages;
  private final PrometheusMeterRegistry meters;
  private final String baseUrl;
  private final String tlsFingerprint;
  private final List<DemoAccounts.Credential> demoCredentials;

  private AblakServer(AblakSettings settings, List<AutoCloseable> resources, Vertx vertx, String deploymentId, AtomicBoolean draining,
      Connections connections, MessageRegistry messages, PrometheusMeterRegistry meters, String baseUrl, String tlsFingerprint,
      List<DemoAccounts.Credential> demoCredentials) {
    this.settings = settings;
    this.resources = resources;
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.draining = draining;
    this.connections = connections;
    this.messages = messages;
    this.meters = meters;
    this.baseUrl = baseUrl;
    this.tlsFingerprint = tlsFingerprint;
    this.demoCredentials = demoCredentials;
  }

  /** Starts a node and returns once it accepts connections. Blocks: call it from main or a test. */
  public static AblakServer start(AblakSettings settings) {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      return start(settings, resources);
    } catch (RuntimeException | Error e) {
      // Also on errors such as a missing class: otherwise embedded Redis and PostgreSQL outlive the failed start.
      closeAll(resources);
      throw e;
    }
  }

  private static AblakServer start(AblakSettings settings, List<AutoCloseable> resources) {
    Clock clock = Clock.systemUTC();
    HttpSettings http = settings.http();
    ServerCertificate certificate = certificate(settings);

    // Stores and schemas.
    Stores stores = Stores.open(settings.stores());
    resources.add(stores);
    DatabaseLocation database = stores.database();
    MIGRATIONS.forEach(migration -> migration.migrate(database.jdbcUrl(), database.user(), database.password()));

    // Runtime: Vert.x reporting into the same registry as our own meters.
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true).setJvmMetricsEnabled(true).setRegistryName("ablak-" + UUID.randomUUID())))
        .withMetrics(new MicrometerMetricsFactory(meters))
        .build();
    resources.add(0, () -> await(vertx.close()));
    RedisClient redisClient = RedisClient.create(stores.redisUrl());
    // While Redis is unreachable, fail commands at once (the client gets "unavailable" and
    // readiness turns false) instead of queueing them; Lettuce reconnects in the background.
    redisClient.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
        .build());
    resources.add(0, redisClient::shutdown);
    StatefulRedisConnection<String, String> redisConnection = redisClient.connect();
    resources.add(0, redisConnection::close);
    RedisAsyncCommands<String, String> redis = redisConnection.async();
    RedisKeys keys = new RedisKeys(settings.stores().redisKeyPrefix());
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(settings.stores().databasePoolSize()))
        .connectingTo(database.connectOptions())
        .using(vertx)
        .build();
    resources.add(0, () -> await(pool.close()));

    // Accounts and authentication.
    StaffAccounts accounts = new StaffAccounts(vertx, pool, new PasswordHasher());
    Sessions sessions = new Sessions(vertx, redis, keys, clock, settings.auth().sessionTtlSeconds());
    VisitTokens visitTokens = new VisitTokens(await(SigningKey.load(pool)), clock, settings.auth().visitTokenTtlSeconds());
    Authenticator authenticator = new Authenticator(sessions, visitTokens);
    RoleGuard guard = new RoleGuard(authenticator);
    Sfu sfu = WhipRoutes.startSfu(settings.media(), meters);
    resources.add(0, sfu);
    List<DemoAccounts.Credential> demoCredentials = settings.auth().seedDemoAccounts() ? await(DemoAccounts.seed(accounts)) : List.of();

    // Cases: catalogue, forms, case lifecycle, outbox relay to the back offices.
    Cases cases = await(Cases.start(vertx, database.connectOptions(), settings.cases(), meters));
    resources.add(0, () -> await(cases.close()));

    // Video identification: checklist, sealed evidence, review queue, retention.
    Identifications identifications = await(Identifications.start(vertx, database.connectOptions(),
        settings.identification().under(Path.of(settings.stores().dataDir())), clock));
    resources.add(0, () -> await(identifications.close()));

    // The WebSocket control protocol: every capability's message types.
    MessageRegistry messages = new MessageRegistry(meters, clock);
    Connections connections = new Connections(meters);
    ResumeTokens resumeTokens = new ResumeTokens(vertx, redis, keys, settings.protocol().resumeTtlSeconds());
    List<MessageGroup> messageGroups = List.of(
        new SessionMessages(authenticator, resumeTokens, connections, settings.protocol(), clock),
        new CaseMessages(cases, connections));
    messageGroups.forEach(group -> group.register(messages));

    // REST: every capability's routes.
    AtomicBoolean draining = new AtomicBoolean();
    List<RouteGroup> routeGroups = List.of(
        new OperationsRoutes(vertx, redis, pool, meters, draining),
        new AuthRoutes(accounts, new LoginThrottle(vertx, redis, keys), sessions, visitTokens, guard, settings.auth().sessionTtlSeconds()),
        new AdminRoutes(accounts, guard),
        new CaseRoutes(cases, guard),
        new IdentificationRoutes(identifications, cases, guard),
        new WhipRoutes(vertx, sfu, authenticator),
        new WebAppRoutes());

    int port = http.port() == 0 ? freePort() : http.port();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(http.host())
        .setPort(port)
        // Past this hard limit the socket is closed (1009); below it, oversized messages get a typed error.
        .setMaxWebSocketFrameSize(settings.protocol().maxMessageBytes() * 4)
        .setMaxWebSocketMessageSize(settings.protocol().maxMessageBytes() * 4)
        // Control messages are a few hundred bytes of JSON: permessage-deflate (RFC 7692) saves little
        // and cost most of the event loops' time under load (a zlib context set up per message).
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    if (certificate != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertValue(Buffer.buffer(certificate.certificatePem()))
          .setKeyValue(Buffer.buffer(certificate.privateKeyPem())));
    }
    ControlSocket controlSocket = new ControlSocket(vertx, messages, connections, resumeTokens, settings.protocol());
    ApiErrors errors = new ApiErrors(meters);
    int instances = http.eventLoops() > 0 ? http.eventLoops() : Runtime.getRuntime().availableProcessors();
    String deploymentId = await(vertx.deployVerticle(
        () -> new HttpVerticle(options, routeGroups, controlSocket, errors, certificate != null, http.shutdownGraceSeconds()),
        new DeploymentOptions().setInstances(instances)));

    String baseUrl = http.publicUrl() != null && !http.publicUrl().isBlank()
        ? http.publicUrl().replaceAll("/+$", "")
        : (certificate != null ? "https://" : "http://") + displayHost(http.host()) + ":" + port;
    LOG.atInfo().addKeyValue("url", baseUrl).addKeyValue("embeddedStores", stores.embedded()).log("ablak node started");
    return new AblakServer(settings, resources, vertx, deploymentId, draining, connections, messages, meters, baseUrl,
        certificate == null ? null : certificate.fingerprint(), demoCredentials);
  }

  /** Where users reach this node, e.g. {@code http://127.0.0.1:8080}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** SHA-256 fingerprint of the served certificate, or null on plain HTTP. */
  public String tlsFingerprint() {
    return tlsFingerprint;
  }

  /** Demo accounts created by this start (empty when they existed already or seeding is off). */
  public List<DemoAccounts.Credential> demoCredentials() {
    return demoCredentials;
  }

  public MessageRegistry messages() {
    return messages;
  }

  public Connections connections() {
    return connections;
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  public AblakSettings settings() {
    return settings;
  }

  /**
   * Graceful stop: readiness turns false, connected clients are told to go (1001) and resume on
   * another node, requests in flight finish within the grace period, then the stores close.
   */
  @Override
  public void close() {
    draining.set(true);
    connections.closeAll((short) 1001, "server shutting down");
    try {
      await(vertx.undeploy(deploymentId));
    } catch (RuntimeException e) {
      LOG.warn("http servers did not stop cleanly", e);
    }
    closeAll(resources);
    LOG.info("ablak node stopped");
  }

  private static ServerCertificate certificate(AblakSettings settings) {
    HttpSettings http = settings.http();
    boolean loopback = isLoopback(http.host());
    boolean pemGiven = http.tlsCertFile() != null && http.tlsKeyFile() != null;
    return switch (http.tls()) {
      case "pem" -> ServerCertificate.fromFiles(Path.of(http.tlsCertFile()), Path.of(http.tlsKeyFile()));
      case "self-signed" -> ServerCertificate.selfSigned(Path.of(settings.stores().dataDir()), http.host());
      case "off" -> {
        if (!loopback) {
          // Browsers grant camera and microphone only to secure origins; http:// is one only on loopback.
          throw new IllegalArgumentException("invalid configuration: http.tls=off is allowed only on a loopback host, not " + http.host());
        }
        yield null;
      }
      default -> pemGiven
          ? ServerCertificate.fromFiles(Path.of(http.tlsCertFile()), Path.of(http.tlsKeyFile()))
          : loopback ? null : ServerCertificate.selfSigned(Path.of(settings.stores().dataDir()), http.host());
    };
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  private static String displayHost(String host) {
    return host.equals("0.0.0.0") || host.equals("::") ? localHostName() : host.contains(":") ? "[" + host + "]" : host;
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting or stopping", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out while starting or stopping", e);
    }
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("could not close a resource", e);
      }
    }
  }
}
