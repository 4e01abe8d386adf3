package ablak.queue.routing;

import ablak.queue.QueueError;
import ablak.queue.QueueException;
import ablak.queue.QueueSettings;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The routing engine's API for one node: every call is one atomic script on Redis (see
 * {@code routing.lua}), shared by all nodes, over one shared Lettuce connection. Each node also
 * sweeps expired offers, presence and wrap-ups, and heart-beats the clerks signed in through it.
 */
public final class RoutingEngine implements AutoCloseable {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");
  private static final String SCRIPT = readScript();
  private static final int HEARTBEAT_BATCH = 200;
  private static final int FIGURES_BATCH = 5;
  private static final int RANKS_IN_SCRIPT = 32;

  private final Vertx vertx;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisAsyncCommands<String, String> redis;
  private final QueueSettings settings;
  private final QueueDefinitions definitions;
  private final Clock clock;
  private final String nodeId;
  private final String[] keys;
  private final String tunables;
  private final Set<String> localClerks = ConcurrentHashMap.newKeySet();
  private final List<Long> timers = new ArrayList<>();
  private volatile String sha;

  private RoutingEngine(Vertx vertx, RedisClient client, QueueSettings settings,
      QueueDefinitions definitions, Clock clock, String nodeId) {
    this.vertx = vertx;
    this.connection = client.connect();
    this.redis = connection.async();
    this.settings = settings;
    this.definitions = definitions;
    this.clock = clock;
    this.nodeId = nodeId;
    this.keys = new String[] {settings.keyPrefix()};
    this.tunables = settings.offerTimeout().toMillis() + "," + settings.maxNoAnswer() + ","
        + settings.routingScanDepth() + "," + settings.clerkScanDepth() + ","
        + settings.streamMaxLength() + "," + settings.serviceLevelThreshold().toMillis() + ","
        + settings.shortAbandonThreshold().toMillis() + "," + settings.statsWindow().toMinutes();
  }

  /**
   * Connects, loads the script, publishes the queue definitions to Redis and starts this node's
   * sweeper and presence heartbeat. {@code clock} is the wall clock in production; nodes must
   * keep their clocks in sync (NTP), as offer expiry and waits compare their times.
   */
  public static Future<RoutingEngine> start(Vertx vertx, RedisClient client, QueueSettings settings,
      QueueDefinitions definitions, Clock clock, String nodeId) {
    RoutingEngine engine = new RoutingEngine(vertx, client, settings, definitions, clock, nodeId);
    Future<Void> defined = engine.loadScript().compose(v -> {
      List<Future<List<Object>>> all = definitions.queues().stream()
          .map(q -> engine.run("define", q.name(), scriptDefinition(q))).toList();
      return Future.all(all).mapEmpty();
    });
    return defined.map(v -> {
      engine.timers.add(vertx.setPeriodic(settings.sweepInterval().toMillis(), t -> engine.sweep()));
      engine.timers.add(vertx.setPeriodic(settings.presenceTtl().toMillis() / 3, t -> engine.heartbeat()));
      return engine;
    });
  }

  public QueueDefinitions definitions() {
    return definitions;
  }

  public QueueSettings settings() {
    return settings;
  }

  /** Adds or updates a clerk (not while the clerk holds contacts); a new clerk starts offline. */
  public Future<Void> registerClerk(ClerkProfile clerk) {
    try {
      checkId(clerk.clerkId());
      if (clerk.capacity() < 1) {
        throw new QueueException(QueueError.INVALID_INPUT, "capacity " + clerk.capacity());
      }
      clerk.skills().forEach((skill, proficiency) -> {
        if (!definitions.skills().contains(skill)) {
          throw new QueueException(QueueError.UNKNOWN_SKILL, skill);
        }
        if (proficiency < 1 || proficiency > 5) {
          throw new QueueException(QueueError.INVALID_INPUT, "proficiency " + proficiency + " of " + skill);
        }
      });
      clerk.languages().forEach(this::checkLanguage);
    } catch (QueueException e) {
      return Future.failedFuture(e);
    }
    String skills = clerk.skills().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
    String queues = String.join(",", definitions.queuesFor(clerk.skills().keySet()));
    return run("register", clerk.clerkId(), String.valueOf(clerk.capacity()), skills,
        String.join(",", clerk.languages()), queues).mapEmpty();
  }

  /**
   * Sets what a clerk chose: READY to take offers (also ends wrap-up early and clears not
   * responding), BREAK with a reason code, OFFLINE. BREAK and OFFLINE are refused while the
   * clerk holds contacts. A clerk set READY or BREAK here is heart-beated by this node.
   */
  public Future<Void> setStatus(String clerkId, ClerkStatus status, String reason) {
    Future<List<Object>> result = run("state", clerkId, status.wire(), reason == null ? "" : reason, nodeId,
        String.valueOf(settings.presenceTtl().toMillis()));
    return result.map(ok -> {
      if (status == ClerkStatus.OFFLINE) {
        localClerks.remove(clerkId);
      } else {
        localClerks.add(clerkId);
      }
      return null;
    });
  }

  /**
   * This node heart-beats the clerk too, from now on, while they are signed in: a clerk who reconnects
   * here after the node that signed them in died keeps their presence (and their contacts). The first
   * beat is at once, as the dead node's last one may be about to lapse. Signs nobody in.
   */
  public Future<Void> heartbeatHere(String clerkId) {
    localClerks.add(clerkId);
    return run("heartbeat", nodeId, String.valueOf(settings.presenceTtl().toMillis()), clerkId).mapEmpty();
  }

  /** Puts a contact in its queue, in priority-then-arrival order, and offers it at once if a clerk is free. */
  public Future<Enqueued> enqueue(ContactRequest request) {
    QueueDefinition queue;
    Instant now = clock.instant();
    try {
      checkId(request.contactId());
      queue = definitions.queue(request.queue());
      checkLanguage(request.language());
      if (request.priority() < 0 || request.priority() > 9) {
        throw new QueueException(QueueError.INVALID_INPUT, "priority " + request.priority());
      }
      if (request.preferredClerk() != null) {
        checkId(request.preferredClerk());
      }
      if (queue.hours() != null && !queue.hours().isOpen(now)) {
        throw new QueueException(QueueError.QUEUE_CLOSED, queue.name() + " opens "
            + queue.hours().nextOpening(now).map(Instant::toString).orElse("never"));
      }
    } catch (QueueException e) {
      return Future.failedFuture(e);
    }
    int priority = request.priority();
    Instant order = now;
    if (request.appointmentAt() != null) {
      order = request.appointmentAt();
      priority = Math.min(9, priority + queue.appointmentPriority());
    } else if (request.originalArrival() != null) {
      order = request.originalArrival();
    }
    String preferred = request.preferredClerk() == null ? "" : request.preferredClerk();
    long preferredUntil = now.plus(queue.preferredClerkFor()).toEpochMilli();
    return run("enqueue", request.contactId(), queue.name(), request.language(),
        String.valueOf(priority), String.valueOf(order.toEpochMilli()), preferred, String.valueOf(preferredUntil))
        .map(reply -> {
          List<?> r = reply;
          Offer offer = "offered".equals(r.get(0))
              ? new Offer(request.contactId(), (String) r.get(1), queue.name(), number(r.get(2)),
                  Instant.ofEpochMilli(number(r.get(3))))
              : null;
          return new Enqueued(request.contactId(), queue.name(), (int) number(r.get(4)), offer);
        });
  }

  /** The clerk takes the offer: the contact is connected and leaves the queue. */
  public Future<Void> accept(String clerkId, String contactId, long offerSeq) {
    return run("accept", clerkId, String.valueOf(offerSeq), contactId).mapEmpty();
  }

  /** The clerk turns the offer down: the contact goes back to its place and the next clerk is offered. */
  public Future<Void> decline(String clerkId, String contactId, long offerSeq) {
    return run("decline", clerkId, String.valueOf(offerSeq), contactId).mapEmpty();
  }

  /** The call ended: the clerk goes to the queue's wrap-up, then is offered again. */
  public Future<Void> complete(String clerkId, String contactId) {
    return run("complete", clerkId, contactId).mapEmpty();
  }

  /** The citizen left while waiting or ringing. */
  public Future<Void> abandon(String contactId) {
    return run("leave", contactId, "ABANDON").mapEmpty();
  }

  /** The contact is taken out of the queue by the system (not counted as abandoned). */
  public Future<Void> cancel(String contactId) {
    return run("leave", contactId, "CANCEL").mapEmpty();
  }

  /**
   * Sends a connected contact to another queue, keeping its priority and original place; with a
   * clerk named, only that clerk is offered it for the target queue's preferred-clerk time.
   */
  public Future<Void> transfer(String clerkId, String contactId, String targetQueue, String targetClerk) {
    QueueDefinition queue;
    try {
      queue = definitions.queue(targetQueue);
    } catch (QueueException e) {
      return Future.failedFuture(e);
    }
    long until = clock.instant().plus(queue.preferredClerkFor()).toEpochMilli();
    return run("transfer", clerkId, contactId, targetQueue, targetClerk == null ? "" : targetClerk,
        String.valueOf(until)).mapEmpty();
  }

  /** Records a third party (an interpreter) joining a connected contact's call. */
  public Future<Void> conference(String clerkId, String contactId, String thirdParty) {
    try {
      checkId(thirdParty);
    } catch (QueueException e) {
      return Future.failedFuture(e);
    }
    return run("conference", clerkId, contactId, thirdParty).mapEmpty();
  }

  /** One sweep: returns expired offers, signs out clerks whose presence lapsed, ends wrap-ups, overflows, routes. */
  public Future<Long> sweep() {
    return run("sweep").map(n -> (Long) n.get(0));
  }

  /**
   * Extends the presence of the clerks signed in through this node, in calls of at most
   * {@value #HEARTBEAT_BATCH} clerks: one script for a thousand clerks held Redis for 5-9 ms,
   * which every other node's routing waited behind.
   */
  public Future<Long> heartbeat() {
    List<String> clerks = new ArrayList<>(localClerks);
    List<Future<Long>> calls = new ArrayList<>();
    for (int i = 0; i < clerks.size(); i += HEARTBEAT_BATCH) {
      List<String> args = new ArrayList<>(List.of(nodeId, String.valueOf(settings.presenceTtl().toMillis())));
      args.addAll(clerks.subList(i, Math.min(clerks.size(), i + HEARTBEAT_BATCH)));
      calls.add(run("heartbeat", args.toArray(String[]::new)).map(n -> (Long) n.get(0)));
    }
    return Future.all(calls).map(all -> calls.stream().mapToLong(Future::result).sum());
  }

  /**
   * Raw figures for these queues (see {@link QueueFigures}), each queue's read atomically, in
   * calls of at most {@value #FIGURES_BATCH} queues: a queue's figures read every clerk serving it,
   * so one call for 50 queues of 100 clerks held Redis for milliseconds every metrics interval.
   */
  public Future<List<QueueFigures>> figures(List<String> queues) {
    List<Future<List<QueueFigures>>> calls = new ArrayList<>();
    for (int i = 0; i < queues.size(); i += FIGURES_BATCH) {
      List<String> batch = queues.subList(i, Math.min(queues.size(), i + FIGURES_BATCH));
      calls.add(run("metrics", batch.toArray(String[]::new)).map(reply -> {
        List<QueueFigures> out = new ArrayList<>();
        List<?> rows = reply;
        for (int j = 0; j < rows.size(); j++) {
          out.add(QueueFigures.of(batch.get(j), (List<?>) rows.get(j)));
        }
        return out;
      }));
    }
    return Future.all(calls).map(all -> calls.stream().flatMap(f -> f.result().stream()).toList());
  }

  /**
   * Places of these contacts in one queue (-1: not waiting there) and the queue's figures. A few contacts
   * are looked up one by one in the script, in one round trip. For more than {@value #RANKS_IN_SCRIPT}, the
   * queue's whole order is read once instead (a plain read beside the figures): a node's flush of 7,000
   * waiting citizens was 7,000 lookups in one script, which held Redis for 16-240 ms every half second
   * while every other command of every node waited.
   */
  public Future<Map.Entry<List<Integer>, QueueFigures>> positions(String queue, List<String> contactIds) {
    if (contactIds.size() > RANKS_IN_SCRIPT) {
      Future<List<String>> order = Future.fromCompletionStage(redis.zrange(settings.keyPrefix() + "waiting:" + queue, 0, -1),
          vertx.getOrCreateContext());
      Future<List<QueueFigures>> figures = figures(List.of(queue));
      return Future.all(order, figures).map(both -> Map.entry(ranks(order.result(), contactIds), figures.result().get(0)));
    }
    List<String> args = new ArrayList<>();
    args.add(queue);
    args.addAll(contactIds);
    return run("positions", args.toArray(String[]::new)).map(reply -> {
      List<?> r = reply;
      List<Integer> ranks = ((List<?>) r.get(0)).stream().map(x -> (int) number(x)).toList();
      return Map.entry(ranks, QueueFigures.of(queue, (List<?>) r.get(1)));
    });
  }

  private static List<Integer> ranks(List<String> order, List<String> contactIds) {
    Map<String, Integer> wanted = new HashMap<>(contactIds.size() * 2);
    contactIds.forEach(id -> wanted.put(id, -1));
    for (int i = 0; i < order.size(); i++) {
      wanted.replace(order.get(i), i + 1);
    }
    return contactIds.stream().map(wanted::get).toList();
  }

  /**
   * How many contacts wait in {@code queue} ahead of a priority-0 contact ordered at {@code orderingTime}
   * (docs/routing.md, "Which contact"): a read of the waiting set, not a script. Contacts ringing at
   * a clerk are not counted; they are about to leave the queue.
   */
  public Future<Long> waitingAhead(String queue, Instant orderingTime) {
    try {
      definitions.queue(queue);
    } catch (QueueException e) {
      return Future.failedFuture(e);
    }
    double score = 9 * 1e13 + orderingTime.toEpochMilli();
    return Future.fromCompletionStage(redis.zcount(settings.keyPrefix() + "waiting:" + queue,
        io.lettuce.core.Range.create(Double.NEGATIVE_INFINITY, score).lt(score)), vertx.getOrCreateContext());
  }

  /** The queue a contact is in now (a transfer or an overflow moves it), or null once routing no longer has it. */
  public Future<String> contactQueue(String contactId) {
    return Future.fromCompletionStage(redis.hget(settings.keyPrefix() + "contact:" + contactId, "queue"), vertx.getOrCreateContext());
  }

  /** The visible state of these clerks, read in one pipelined round trip (no script: nothing changes). */
  public Future<List<ClerkState>> clerkStates(List<String> clerkIds) {
    List<CompletableFuture<ClerkState>> reads = clerkIds.stream().map(id -> redis
        .hmget(settings.keyPrefix() + "clerk:" + id, "state", "reason", "since", "last_queue")
        .thenApply(values -> {
          String state = values.get(0).getValueOrElse(null);
          String since = values.get(2).getValueOrElse(null);
          return state == null
              ? new ClerkState(id, "offline", null, Instant.EPOCH, null)
              : new ClerkState(id, state, emptyToNull(values.get(1).getValueOrElse(null)),
                  Instant.ofEpochMilli(since == null ? 0 : Long.parseLong(since)), emptyToNull(values.get(3).getValueOrElse(null)));
        }).toCompletableFuture()).toList();
    return Future.fromCompletionStage(CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .thenApply(done -> reads.stream().map(CompletableFuture::join).toList()), vertx.getOrCreateContext());
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  /** Stops this node's timers. Clerks it heart-beated go offline when their presence lapses. */
  @Override
  public void close() {
    timers.forEach(vertx::cancelTimer);
    connection.close();
  }

  /** Runs one operation of the script; a scalar reply comes back as a one-element list. */
  private Future<List<Object>> run(String op, String... args) {
    String[] argv = new String[args.length + 3];
    argv[0] = op;
    argv[1] = String.valueOf(clock.millis());
    argv[2] = tunables;
    System.arraycopy(args, 0, argv, 3, args.length);
    CompletionStage<List<Object>> reply = redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, argv)
        .exceptionallyCompose(e -> {
          // Redis restarted without the script cache: load it again and retry once.
          if (cause(e) instanceof RedisNoScriptException) {
            return redis.scriptLoad(SCRIPT).thenCompose(s -> {
              sha = s;
              return redis.<List<Object>>evalsha(s, ScriptOutputType.MULTI, keys, argv);
            });
          }
          return CompletableFuture.failedStage(e);
        });
    return Future.fromCompletionStage(reply, vertx.getOrCreateContext()).recover(e -> Future.failedFuture(typed(e)));
  }

  private Future<Void> loadScript() {
    return Future.fromCompletionStage(redis.scriptLoad(SCRIPT), vertx.getOrCreateContext())
        .map(s -> {
          sha = s;
          return null;
        });
  }

  static long number(Object reply) {
    return reply instanceof Long l ? l : Long.parseLong(reply.toString());
  }

  private static Throwable cause(Throwable e) {
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private static Throwable typed(Throwable e) {
    Throwable c = cause(e);
    if (c instanceof RedisCommandExecutionException && c.getMessage() != null) {
      String[] parts = c.getMessage().split(" ", 2);
      for (QueueError error : QueueError.values()) {
        if (error.name().equals(parts[0])) {
          return new QueueException(error, parts.length > 1 ? parts[1].trim() : "");
        }
      }
    }
    return c;
  }

  private void checkId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new QueueException(QueueError.INVALID_INPUT, "bad id " + id);
    }
  }

  private void checkLanguage(String language) {
    if (!definitions.languages().contains(language)) {
      throw new QueueException(QueueError.UNKNOWN_LANGUAGE, String.valueOf(language));
    }
  }

  /** The queue as the script reads it: only set fields, durations in milliseconds. */
  private static String scriptDefinition(QueueDefinition q) {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (QueueDefinition.RelaxationStep s : q.steps()) {
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("afterMs", s.after().toMillis());
      if (s.minProficiency() != null) {
        step.put("minProficiency", s.minProficiency());
      }
      if (s.overflowTo() != null) {
        step.put("overflowTo", s.overflowTo());
      }
      steps.add(step);
    }
    Map<String, Object> def = new LinkedHashMap<>();
    def.put("skills", q.skills());
    def.put("minProficiency", q.minProficiency());
    def.put("steps", steps);
    def.put("wrapUpMs", q.wrapUp().toMillis());
    try {
      return QueueDefinitions.JSON.writeValueAsString(def);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String readScript() {
    try (InputStream in = RoutingEngine.class.getResourceAsStream("routing.lua")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
