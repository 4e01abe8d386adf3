package ablak.signaling.queue;

import ablak.signaling.call.CallStore;
import ablak.cases.catalogue.Catalogue;
import ablak.queue.routing.ClerkState;
import ablak.queue.routing.QueueDefinition;
import ablak.queue.routing.QueueFigures;
import ablak.queue.routing.RoutingEngine;
import ablak.queue.routing.WaitEstimator;
import ablak.signaling.auth.Role;
import ablak.signaling.auth.StaffAccounts;
import ablak.signaling.protocol.MessageGroup;
import ablak.signaling.protocol.MessageRegistry;
import ablak.signaling.protocol.MessageType;
import ablak.signaling.protocol.Outbound;
import ablak.signaling.protocol.Push;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The supervisors' wallboard (docs/protocol.md, "Supervisor"): {@code wallboard.subscribe} answers
 * with a snapshot of every queue and clerk, then the node pushes a new one to its subscribers when
 * routing changes anything: at once after a quiet interval, else when the interval since the last
 * push ends ({@link PushThrottle}); and every few seconds regardless, as waits grow.
 * Every node computes it from the shared Redis state, so wallboards on different nodes agree.
 */
public final class Wallboard implements MessageGroup, AutoCloseable {

  /*
   * A change waits at most this long, plus one snapshot, for its push. In a busy centre changes never
   * stop, so the oldest change of a push is about one interval old: half a second keeps the board
   * within the one second that supervisors are promised, for at most two snapshots a second.
   */
  private static final Duration PUSH_INTERVAL = Duration.ofMillis(500);
  /** Waits grow without any routing event; a snapshot this old is refreshed anyway. */
  private static final Duration REFRESH = Duration.ofSeconds(5);
  /** Clerks created on another node appear on this node's board at most this late. */
  private static final Duration ROSTER_REFRESH = Duration.ofSeconds(30);

  public record Subscribe() {}

  private final Vertx vertx;
  private final RoutingEngine engine;
  private final ClerkRoster roster;
  private final Catalogue catalogue;
  private final Pool pool;
  private final Push push;
  private final CallStore calls;
  private final WaitEstimator estimator;
  private final List<String> queues;
  private final Set<String> subscribers = ConcurrentHashMap.newKeySet();
  private final PushThrottle throttle;
  private final long timer;

  public Wallboard(Vertx vertx, RoutingEngine engine, StaffAccounts accounts, Catalogue catalogue, Pool pool, Push push, CallStore calls) {
    this.vertx = vertx;
    this.engine = engine;
    this.roster = new ClerkRoster(vertx, accounts, ROSTER_REFRESH);
    this.catalogue = catalogue;
    this.pool = pool;
    this.push = push;
    this.calls = calls;
    this.estimator = new WaitEstimator(engine.settings().defaultHandleTime());
    // The queues of the catalogue's case types; the interpreters' queues (docs/routing.md) are not citizens waiting.
    this.queues = engine.definitions().queues().stream().map(QueueDefinition::name).filter(catalogue.caseTypes()::containsKey).toList();
    this.throttle = new PushThrottle(PUSH_INTERVAL.toMillis(), System::currentTimeMillis,
        (delay, task) -> vertx.setTimer(delay, t -> task.run()), this::push);
    this.timer = vertx.setPeriodic(PUSH_INTERVAL.toMillis(), t -> {
      if (!subscribers.isEmpty()) {
        throttle.refreshIfOlderThan(REFRESH.toMillis());
      }
    });
  }

  @Override
  public void register(MessageRegistry registry) {
    registry.register(MessageType.of("wallboard.subscribe", EnumSet.of(Role.SUPERVISOR), Subscribe.class, (context, m) ->
        snapshot().map(body -> {
          subscribers.add(context.connection().id());
          return Outbound.of("wallboard.snapshot", body);
        })));
  }

  /**
   * Something changed in routing. After a quiet interval the subscribers get the new snapshot at once;
   * otherwise when the interval since the last push ends, so a busy centre costs one snapshot per interval.
   */
  public void changed() {
    if (!subscribers.isEmpty()) {
      throttle.changed();
    }
  }

  private void push() {
    snapshot().onSuccess(body -> {
      Outbound board = Outbound.of("wallboard.snapshot", body).encodedOnce();
      subscribers.removeIf(connectionId -> !push.toConnection(connectionId, board));
    });
  }

  /**
   * Every queue's figures and every clerk's state, in the shapes QueueFigures and ClerkRow of the apps:
   * Redis and today's abandons; the clerks' names come from the {@link ClerkRoster} in memory.
   */
  Future<JsonObject> snapshot() {
    Future<List<QueueFigures>> figures = engine.figures(queues);
    Future<Map<String, Long>> abandonedToday = abandonedToday();
    Future<Map<String, String>> names = roster.names();
    Future<List<ClerkState>> states = names.compose(byId -> engine.clerkStates(List.copyOf(byId.keySet())));
    Future<Map<String, String>> callIds = states.compose(this::callsOf);
    return Future.all(figures, abandonedToday, callIds).map(all -> {
      JsonArray queueRows = new JsonArray();
      for (QueueFigures f : figures.result()) {
        Duration next = estimator.estimate(f.waiting() + 1, f);
        long counted = f.answered() + f.abandoned() - f.abandonedShort();
        queueRows.add(new JsonObject()
            .put("queueId", f.queue())
            .put("name", names(f.queue()))
            .put("waiting", f.waiting())
            .put("longestWaitSeconds", f.longestWait().toSeconds())
            .put("estimatedWaitSeconds", next == null ? null : next.toSeconds())
            .put("serviceLevel", counted == 0 ? null : f.serviceLevel())
            .put("abandonmentRate", f.abandonmentRate())
            .put("averageSpeedOfAnswerSeconds", f.averageSpeedOfAnswer().toSeconds())
            .put("averageHandleTimeSeconds", f.averageHandleTime() == null ? null : f.averageHandleTime().toSeconds())
            .put("abandonedToday", abandonedToday.result().getOrDefault(f.queue(), 0L))
            .put("clerks", new JsonObject(new HashMap<>(f.clerksByState()))));
      }
      JsonArray clerkRows = new JsonArray();
      for (ClerkState state : states.result()) {
        clerkRows.add(new JsonObject()
            .put("clerkId", state.clerkId())
            .put("name", names.result().get(state.clerkId()))
            .put("state", QueueMessages.wireState(state.state()))
            .put("reason", state.reason())
            .put("sinceEpochMillis", state.since().toEpochMilli())
            .put("queue", state.lastQueue())
            .put("callId", callIds.result().get(state.clerkId())));
      }
      return new JsonObject().put("queues", queueRows).put("clerks", clerkRows);
    });
  }

  /** The call each busy clerk is in, so a supervisor can monitor it from the board. */
  private Future<Map<String, String>> callsOf(List<ClerkState> states) {
    Map<String, String> callIds = new ConcurrentHashMap<>();
    List<Future<Void>> lookups = states.stream()
        .filter(state -> QueueMessages.wireState(state.state()).equals("busy"))
        .map(state -> calls.callOf(state.clerkId()).onSuccess(callId -> {
          if (callId != null) {
            callIds.put(state.clerkId(), callId);
          }
        }).<Void>mapEmpty())
        .toList();
    return Future.all(lookups).map(done -> callIds);
  }

  private JsonObject names(String queue) {
    JsonObject names = new JsonObject();
    catalogue.texts().forEach((language, texts) -> {
      var text = texts.caseTypes().get(queue);
      names.put(language, text == null ? queue : text.name());
    });
    return names;
  }

  /** Abandons since midnight in the database's time zone, from the queue log (copied from the event stream within a second or so). */
  private Future<Map<String, Long>> abandonedToday() {
    return pool.query("SELECT queue, count(*) AS n FROM queue.queue_log WHERE event = 'ABANDON' AND at >= current_date::timestamptz GROUP BY queue")
        .execute()
        .map(rows -> {
          Map<String, Long> counts = new HashMap<>();
          rows.forEach(row -> counts.put(row.getString("queue"), row.getLong("n")));
          return counts;
        });
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    roster.close();
  }
}
