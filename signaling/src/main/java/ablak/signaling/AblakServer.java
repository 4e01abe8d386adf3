package ablak.signaling;

import ablak.cases.Cases;
import ablak.cases.CasesMigrations;
import ablak.cases.catalogue.CaseType;
import ablak.cases.catalogue.Catalogue;
import ablak.queue.QueueMigrations;
import ablak.queue.QueueSettings;
import ablak.queue.events.PositionTracker;
import ablak.queue.events.QueueEvents;
import ablak.queue.log.QueueLogConsumer;
import ablak.queue.metrics.QueueMetrics;
import ablak.queue.routing.QueueDefinition;
import ablak.queue.routing.QueueDefinitions;
import ablak.queue.routing.RoutingEngine;
import ablak.signaling.call.CallMessages;
import ablak.signaling.call.CallMonitors;
import ablak.signaling.call.MonitorMessages;
import ablak.signaling.call.CallStore;
import ablak.signaling.call.Calls;
import ablak.signaling.call.MediaNodes;
import ablak.signaling.call.MediaTokens;
import ablak.signaling.queue.CallbackScheduler;
import ablak.signaling.queue.Contacts;
import ablak.signaling.queue.QueueMessages;
import ablak.signaling.queue.SignalingNodes;
import ablak.signaling.queue.Wallboard;
import ablak.signaling.protocol.ClusterPush;
import io.vertx.core.Context;
import java.util.Set;
import ablak.identification.IdentificationMigrations;
import ablak.identification.Identifications;
import ablak.media.call.Sfu;
import ablak.mail.Mailer;
import ablak.proactive.Proactive;
import ablak.proactive.ProactiveMigrations;
import ablak.proactive.ProactiveSettings;
import ablak.media.recording.RecordingSettings;
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
import ablak.signaling.media.CallRecordings;
import ablak.signaling.media.CallStatsRoutes;
import ablak.signaling.identification.IdentificationRequired;
import ablak.signaling.identification.IdentificationRoutes;
import ablak.signaling.identification.SfuCallRecorder;
import ablak.signaling.media.MediaForwarder;
import ablak.signaling.media.WhipRoutes;
import ablak.signaling.proactive.BookedAppointments;
import ablak.signaling.proactive.ProactiveRoutes;
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
      QueueMigrations::migrate,
      ProactiveMigrations::migrate,
      IdentificationMigrations::migrate);

  /** Where each node finds its queues: one per case type of the catalogue (docs/routing.md, "Wiring"). */
  private static final String QUEUES = "/ablak/signaling/queue/queues.json";

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
  private final CallRecordings callRecordings;
  private final Sfu sfu;

  private AblakServer(AblakSettings settings, List<AutoCloseable> resources, Vertx vertx, String deploymentId, AtomicBoolean draining,
      Connections connections, MessageRegistry messages, PrometheusMeterRegistry meters, String baseUrl, String tlsFingerprint,
      List<DemoAccounts.Credential> demoCredentials, CallRecordings callRecordings, Sfu sfu) {
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
    this.callRecordings = callRecordings;
    this.sfu = sfu;
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
    String nodeId = UUID.randomUUID().toString();
    int port = http.port() == 0 ? freePort() : http.port();
    // Known before anything starts: the calls this node accepts have their media here, and e-mail links point here.
    String listenerUrl = (certificate != null ? "https://" : "http://") + displayHost(http.host()) + ":" + port;
    String baseUrl = http.publicUrl() != null && !http.publicUrl().isBlank() ? http.publicUrl().replaceAll("/+$", "") : listenerUrl;
    // Where the other nodes reach this one: they hand it the media requests of the calls it hosts.
    String nodeUrl = http.nodeUrl() != null && !http.nodeUrl().isBlank() ? http.nodeUrl().replaceAll("/+$", "") : listenerUrl;

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
    byte[] signingKey = await(SigningKey.load(pool));
    VisitTokens visitTokens = new VisitTokens(signingKey, clock, settings.auth().visitTokenTtlSeconds());
    MediaTokens mediaTokens = new MediaTokens(signingKey, clock, settings.calls().mediaTokenTtlSeconds());
    Authenticator authenticator = new Authenticator(sessions, visitTokens);
    RoleGuard guard = new RoleGuard(authenticator);
    Sfu sfu = WhipRoutes.startSfu(settings.media(), meters);
    resources.add(0, sfu);
    QueueDefinitions queueDefinitions = queueDefinitions();
    List<DemoAccounts.Credential> demoCredentials = settings.auth().seedDemoAccounts()
        ? await(DemoAccounts.seed(accounts, queueDefinitions.skills())) : List.of();
    // A relative recording directory lives in the data directory, beside the embedded stores.
    RecordingSettings recording = settings.media().recording();
    CallRecordings callRecordings = new CallRecordings(vertx, sfu,
        recording.withDirectory(Path.of(settings.stores().dataDir()).resolve(recording.directory())), meters);

    // Cases: catalogue, forms, case lifecycle, outbox relay to the back offices.
    Cases cases = await(Cases.start(vertx, database.connectOptions(), settings.cases(), meters));
    resources.add(0, () -> await(cases.close()));
    requireQueuePerCaseType(queueDefinitions, cases.catalogue());

    // Routing: the engine with its sweeper and heartbeat, this node's view of the event stream,
    // the copy of the stream into PostgreSQL, and the queue gauges.
    QueueSettings queueSettings = settings.queue();
    RoutingEngine engine = await(RoutingEngine.start(vertx, redisClient, queueSettings, queueDefinitions, clock, nodeId));
    resources.add(0, engine);
    QueueEvents queueEvents = await(QueueEvents.start(vertx, redisClient, queueSettings));
    resources.add(0, queueEvents);
    QueueLogConsumer queueLog = new QueueLogConsumer(redisClient, queueSettings, nodeId, database.jdbcUrl(), database.user(), database.password());
    resources.add(0, queueLog);
    QueueMetrics queueMetrics = new QueueMetrics(vertx, engine, meters);
    resources.add(0, queueMetrics);

    // Proactive service: reminders, appointments; its scheduler runs on every node.
    ProactiveSettings proactiveSettings = settings.proactive().bookingUrl().isEmpty()
        ? settings.proactive().withBookingUrl(baseUrl + "/appointments/")
        : settings.proactive();
    if (proactiveSettings.citizenUrl().isEmpty()) {
      proactiveSettings = proactiveSettings.withCitizenUrl(baseUrl + "/citizen/");
    }
    // One SMTP relay for every e-mail: reminders, confirmations, call-back links, identification codes.
    Mailer mailer = new Mailer(vertx, settings.mail(), clock);
    Proactive proactive = new Proactive(vertx, pool, proactiveSettings, mailer, clock, "node-" + UUID.randomUUID(), meters,
        SigningKey.derive(signingKey, "appointment links"));
    proactive.start();
    resources.add(0, () -> await(proactive.stop()));

    // The WebSocket control protocol: every capability's message types.
    MessageRegistry messages = new MessageRegistry(meters, clock);
    Connections connections = new Connections(meters);
    ClusterPush push = new ClusterPush(connections, redisClient, redis, settings.stores().redisKeyPrefix(), nodeId);
    resources.add(0, push);
    ResumeTokens resumeTokens = new ResumeTokens(vertx, redis, keys, settings.protocol().resumeTtlSeconds());
    Contacts contacts = new Contacts(vertx, redis, settings.stores().redisKeyPrefix());
    CallMonitors monitors = new CallMonitors(vertx, redisClient, redis, settings.stores().redisKeyPrefix(), nodeId);
    resources.add(0, monitors);
    CallStore callStore = new CallStore(vertx, redis, settings.stores().redisKeyPrefix());
    MediaNodes mediaNodes = new MediaNodes(vertx, redis, settings.stores().redisKeyPrefix(), nodeUrl);
    resources.add(0, mediaNodes);
    MediaForwarder mediaForwarder = new MediaForwarder(vertx, redis, settings.stores().redisKeyPrefix(), callStore, nodeUrl);
    resources.add(0, mediaForwarder);
    Calls calls = new Calls(callStore, contacts, engine, cases, push, mediaTokens, sfu, callRecordings, monitors, mediaNodes, baseUrl);

    // Video identification: checklist, sealed evidence, review queue, retention; it records the
    // identified call with this node's SFU recorder.
    Identifications identifications = await(Identifications.start(vertx, database.connectOptions(),
        settings.identification().under(Path.of(settings.stores().dataDir())), mailer, clock,
        new SfuCallRecorder(callRecordings, callStore, push)));
    resources.add(0, () -> await(identifications.close()));
    IdentificationRequired identificationRequired = new IdentificationRequired(cases, identifications);
    Wallboard wallboard = new Wallboard(vertx, engine, accounts, cases.catalogue(), pool, push, callStore);
    resources.add(0, wallboard);
    // The position tracker and the routing event handlers share one context, as the tracker requires.
    Context queueContext = vertx.getOrCreateContext();
    PositionTracker positions = onContext(queueContext, () -> new PositionTracker(vertx, engine, queueEvents));
    resources.add(0, positions);
    SignalingNodes signalingNodes = new SignalingNodes(vertx, redis, settings.stores().redisKeyPrefix(), nodeId,
        Duration.ofSeconds(settings.protocol().resumeTtlSeconds()), clock);
    resources.add(0, signalingNodes);
    QueueMessages queueMessages = onContext(queueContext, () -> new QueueMessages(vertx, queueContext, engine, queueEvents, positions,
        cases, push, connections, contacts, calls, accounts, new BookedAppointments(proactive.appointments()), proactive.callbacks(), redis,
        signalingNodes, settings.stores().redisKeyPrefix(), clock, wallboard::changed));
    resources.add(0, queueMessages);
    CallbackScheduler callbackScheduler = new CallbackScheduler(vertx, proactive.callbacks(), engine, proactiveSettings).start();
    resources.add(0, callbackScheduler);
    MonitorMessages monitorMessages = new MonitorMessages(calls, monitors, cases.audit(), push);
    List<MessageGroup> messageGroups = List.of(
        new SessionMessages(authenticator, resumeTokens, connections, settings.protocol(), clock),
        new CaseMessages(cases, connections, identificationRequired),
        queueMessages,
        new CallMessages(calls, push, accounts, engine),
        monitorMessages,
        wallboard);
    messageGroups.forEach(group -> group.register(messages));

    // REST: every capability's routes.
    AtomicBoolean draining = new AtomicBoolean();
    List<RouteGroup> routeGroups = List.of(
        new OperationsRoutes(vertx, redis, pool, meters, draining),
        new AuthRoutes(accounts, new LoginThrottle(vertx, redis, keys), sessions, visitTokens, guard, settings.auth().sessionTtlSeconds()),
        new AdminRoutes(accounts, queueDefinitions, guard),
        new CaseRoutes(cases, guard, identificationRequired),
        new ProactiveRoutes(proactive, cases.catalogue(), accounts, guard, proactiveSettings.zoneId(), mailer.relayConfigured(),
            clock),
        new WhipRoutes(vertx, sfu, authenticator, mediaTokens, monitors, mediaForwarder, monitorMessages::mediaLost),
        new CallStatsRoutes(sfu, guard),
        new IdentificationRoutes(identifications, cases, callStore, push, guard),
        new WebAppRoutes());

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

    LOG.atInfo().addKeyValue("url", baseUrl).addKeyValue("embeddedStores", stores.embedded()).log("ablak node started");
    return new AblakServer(settings, resources, vertx, deploymentId, draining, connections, messages, meters, baseUrl,
        certificate == null ? null : certificate.fingerprint(), demoCredentials, callRecordings, sfu);
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

  /** Starts and stops the recording of calls in this node's SFU. */
  public CallRecordings callRecordings() {
    return callRecordings;
  }

  /** This node's SFU: the media of the calls it hosts. */
  public Sfu sfu() {
    return sfu;
  }

  public MessageRegistry messages() {
    return messages;
  }

  public Connections connections() {
    return connections;
  }

  /** Tests in this package stop its event loops to play a node that dies without closing anything. */
  Vertx vertx() {
    return vertx;
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

  private static QueueDefinitions queueDefinitions() {
    try (java.io.InputStream in = AblakServer.class.getResourceAsStream(QUEUES)) {
      return QueueDefinitions.fromJson(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("could not read " + QUEUES, e);
    }
  }

  /** Every case type a citizen can pick must have its queue, needing the skills the catalogue names. */
  private static void requireQueuePerCaseType(QueueDefinitions queues, Catalogue catalogue) {
    for (CaseType type : catalogue.caseTypes().values()) {
      QueueDefinition queue = queues.queues().stream().filter(q -> q.name().equals(type.id())).findFirst()
          .orElseThrow(() -> new IllegalStateException("no queue for case type " + type.id() + " in " + QUEUES));
      if (!Set.copyOf(queue.skills()).equals(Set.copyOf(type.skills())) || !queues.languages().containsAll(type.languages())) {
        throw new IllegalStateException("queue " + type.id() + " does not match the catalogue's skills or languages");
      }
    }
  }

  /** Runs {@code create} on {@code context} and waits for it: for objects that must live on one context. */
  private static <T> T onContext(Context context, java.util.function.Supplier<T> create) {
    io.vertx.core.Promise<T> created = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      try {
        created.complete(create.get());
      } catch (RuntimeException e) {
        created.fail(e);
      }
    });
    return await(created.future());
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
