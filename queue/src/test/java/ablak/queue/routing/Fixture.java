package ablak.queue.routing;

import ablak.queue.QueueSettings;
import ablak.queue.events.QueueEvent;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.io.ByteArrayInputStream;

/** A routing engine on a real Redis under a hash tag of its own, a clock the test moves, and the event log to read. */
public final class Fixture implements AutoCloseable {
  public static final String DEFINITIONS = """
      {"skills": ["moving", "idcard", "general"], "languages": ["hu", "en"],
       "queues": [
         {"name": "moving", "skills": ["moving"], "minProficiency": 3, "wrapUp": "PT30S",
          "steps": [{"after": "PT60S", "minProficiency": 2}, {"after": "PT300S", "overflowTo": "general"}]},
         {"name": "idcard", "skills": ["idcard"], "appointmentPriority": 5},
         {"name": "general", "skills": ["general"]},
         {"name": "night", "skills": ["general"],
          "hours": {"zone": "UTC", "weekly": {"MONDAY": "08:00-09:00"}, "holidays": ["2026-11-30"]}}]}
      """;

  /** A Monday, 10:00 UTC. */
  public static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  public final Vertx vertx = Vertx.vertx();
  public final RedisClient client;
  public final MovableClock clock = new MovableClock(START);
  public final QueueSettings settings;
  public final QueueDefinitions definitions;
  private final StatefulRedisConnection<String, String> plain;

  public Fixture() {
    this("redis://127.0.0.1:6379");
  }

  /** Presence lasts an hour unless a test is about presence: tests move the clock by minutes. */
  public Fixture(String redisUri) {
    this(redisUri, Duration.ofHours(1));
  }

  public Fixture(String redisUri, Duration presenceTtl) {
    this(redisUri, presenceTtl, QueueSettings.defaults().offerTimeout());
  }

  public Fixture(String redisUri, Duration presenceTtl, Duration offerTimeout) {
    client = RedisClient.create(redisUri);
    plain = client.connect();
    QueueSettings d = QueueSettings.defaults();
    settings = new QueueSettings("t-" + UUID.randomUUID(), offerTimeout, d.maxNoAnswer(), d.routingScanDepth(),
        d.clerkScanDepth(), d.streamMaxLength(), d.serviceLevelThreshold(), d.shortAbandonThreshold(),
        d.statsWindow(), presenceTtl, d.sweepInterval(), d.metricsInterval(), d.positionInterval(),
        d.defaultHandleTime());
    definitions = definitions(DEFINITIONS);
  }

  public static QueueDefinitions definitions(String json) {
    try {
      return QueueDefinitions.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RoutingEngine engine(String nodeId) {
    return engine(nodeId, clock);
  }

  public RoutingEngine engine(String nodeId, Clock clock) {
    return await(RoutingEngine.start(vertx, client, settings, definitions, clock, nodeId));
  }

  public RedisCommands<String, String> redis() {
    return plain.sync();
  }

  public List<QueueEvent> events() {
    return redis().xrange(settings.keyPrefix() + "events", io.lettuce.core.Range.create("-", "+")).stream()
        .map(m -> QueueEvent.of(m.getId(), m.getBody())).toList();
  }

  public List<QueueEvent> events(String type) {
    return events().stream().filter(e -> e.event().equals(type)).toList();
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static ClerkProfile clerk(String id, Map<String, Integer> skills) {
    return new ClerkProfile(id, skills, Set.of("hu", "en"), 1);
  }

  /** Removes every key of this run's tag (never anything else on the shared Redis). */
  @Override
  public void close() {
    RedisCommands<String, String> r = redis();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(settings.keyPrefix() + "*").limit(1000));
      if (!page.getKeys().isEmpty()) {
        r.del(page.getKeys().toArray(String[]::new));
      }
      cursor = page;
    } while (!cursor.isFinished());
    plain.close();
    client.shutdown();
    vertx.close();
  }

  /** A clock tests move forward by hand: no test waits for real time to pass. */
  public static final class MovableClock extends Clock {
    private final AtomicLong millis;

    MovableClock(Instant start) {
      millis = new AtomicLong(start.toEpochMilli());
    }

    public void advance(Duration d) {
      millis.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
