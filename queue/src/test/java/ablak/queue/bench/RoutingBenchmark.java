package ablak.queue.bench;

import ablak.queue.QueueSettings;
import ablak.queue.events.QueueEvents;
import ablak.queue.routing.BusinessHours;
import ablak.queue.routing.ClerkProfile;
import ablak.queue.routing.ClerkStatus;
import ablak.queue.routing.ContactRequest;
import ablak.queue.routing.QueueDefinition;
import ablak.queue.routing.QueueDefinitions;
import ablak.queue.routing.RoutingEngine;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import redis.embedded.RedisServer;

/**
 * Routing throughput and latency with 1,000 clerks, 10,000 waiting contacts and 50 queues, beside
 * raw EVALSHA round trips on the same Redis in the same run. Starts its own embedded Redis unless
 * REDIS_URL is set (then it uses a unique hash tag and deletes nothing outside it).
 * Run: mvn -B -q -pl queue test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=ablak.queue.bench.RoutingBenchmark
 *      [-Dexec.args="arrivalsPerSecond arrivals"] (default 2000 10000)
 */
public final class RoutingBenchmark {
  private static final int QUEUES = 50;
  private static final int CLERKS = 1000;
  private static final int WAITING = 10_000;
  private static final int SKILLS_PER_CLERK = 5;

  public static void main(String[] args) throws Exception {
    String url = System.getenv("REDIS_URL");
    RedisServer server = null;
    if (url == null) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("appendonly no").setting("save \"\"").build();
      server.start();
      url = "redis://127.0.0.1:" + port;
    }
    Vertx vertx = Vertx.vertx();
    RedisClient client = RedisClient.create(url);
    try {
      run(vertx, client, server != null, args.length > 0 ? Integer.parseInt(args[0]) : 2000, args.length > 1 ? Integer.parseInt(args[1]) : 10_000);
    } finally {
      client.shutdown();
      vertx.close().toCompletionStage().toCompletableFuture().get();
      if (server != null) {
        server.stop();
      }
    }
  }

  private static void run(Vertx vertx, RedisClient client, boolean embedded, int rate, int arrivals) throws Exception {
    QueueSettings settings = QueueSettings.defaults().withHashTag("bench-" + UUID.randomUUID());
    List<QueueDefinition> queues = new ArrayList<>();
    List<String> skills = new ArrayList<>();
    for (int q = 0; q < QUEUES; q++) {
      skills.add("s" + q);
      queues.add(new QueueDefinition("q" + q, List.of("s" + q), 1, List.of(), Duration.ZERO, null, 0, (BusinessHours) null));
    }
    QueueDefinitions defs = new QueueDefinitions(Set.copyOf(skills), Set.of("hu"), queues);
    RoutingEngine engine = get(RoutingEngine.start(vertx, client, settings, defs, Clock.systemUTC(), "bench"));
    RedisProbe probe = new RedisProbe(client, embedded);
    QueueEvents events = get(QueueEvents.start(vertx, client, settings));

    double[] baseline = baseline(client);


    // Clerks: five queues each, spread so every queue has about 100 clerks; all on break while contacts arrive.
    for (int c = 0; c < CLERKS; c++) {
      Map<String, Integer> sk = new HashMap<>();
      for (int j = 0; j < SKILLS_PER_CLERK; j++) {
        sk.put("s" + ((c + j * 10) % QUEUES), 1 + (c + j) % 5);
      }
      get(engine.registerClerk(new ClerkProfile("k" + c, sk, Set.of("hu"), 1)));
      get(engine.setStatus("k" + c, ClerkStatus.BREAK, "setup"));
    }
    List<Future<?>> joins = new ArrayList<>();
    for (int i = 0; i < WAITING; i++) {
      joins.add(engine.enqueue(new ContactRequest("w" + i, "q" + (i % QUEUES), "hu", i % 3, null, null, null)));
      if (joins.size() == 256) {
        get(Future.all(joins));
        joins.clear();
      }
    }
    get(Future.all(joins));

    // Drain: every clerk accepts and completes each offer it sees on the event stream; each
    // complete is one script that frees the clerk and makes the next offer.
    CountDownLatch drained = new CountDownLatch(WAITING);
    List<Long> acceptNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Long> completeNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    events.subscribe(vertx, e -> {
      if (e.event().equals("OFFER")) {
        Long sent = sentAt.remove(e.contactId());
        if (sent != null) {
          latencies.add(System.nanoTime() - sent);
        }
        long t0 = System.nanoTime();
        engine.accept(e.clerkId(), e.contactId(), Long.parseLong(e.data1()))
            .compose(v -> {
              long t1 = System.nanoTime();
              acceptNanos.add(t1 - t0);
              return engine.complete(e.clerkId(), e.contactId()).onSuccess(x -> completeNanos.add(System.nanoTime() - t1));
            })
            .onSuccess(v -> {
              if (e.contactId().startsWith("w")) {
                drained.countDown();
              }
            });
      }
    });
    probe.begin();
    long start = System.nanoTime();
    for (int c = 0; c < CLERKS; c++) {
      engine.setStatus("k" + c, ClerkStatus.READY, null);
    }
    if (!drained.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not drained: " + drained.getCount() + " left");
    }
    double drainSeconds = (System.nanoTime() - start) / 1e9;
    String drainSplit = probe.end(drainSeconds);

    // Latency: contacts arriving at a steady rate (args: rate per second, count) while the 1,000
    // clerks take them; from the enqueue call to the OFFER event seen on the stream, as the
    // clerk's node would see it. Above the drain rate this measures the backlog, not routing.
    CountDownLatch offered = new CountDownLatch(arrivals);
    List<Long> enqueueNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    events.subscribe(vertx, e -> {
      if (e.event().equals("OFFER") && e.contactId().startsWith("a")) {
        offered.countDown();
      }
    });
    long timer = vertx.setPeriodic(Math.max(1, 1000 / rate), t -> {
      for (int k = 0; k < Math.max(1, rate / 1000) && next.get() < arrivals; k++) {
        int i = next.getAndIncrement();
        long sent = System.nanoTime();
        sentAt.put("a" + i, sent);
        engine.enqueue(new ContactRequest("a" + i, "q" + (i % QUEUES), "hu", 0, null, null, null))
            .onSuccess(x -> enqueueNanos.add(System.nanoTime() - sent));
      }
    });
    latencies.clear();
    probe.begin();
    long latencyStart = System.nanoTime();
    if (!offered.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not offered: " + offered.getCount() + " left");
    }
    double arrivalSeconds = (System.nanoTime() - latencyStart) / 1e9;
    vertx.cancelTimer(timer);
    String arrivalSplit = probe.end(arrivalSeconds);

    // What every node's QueueMetrics asks every metrics interval: all queues' figures.
    List<String> names = queues.stream().map(QueueDefinition::name).toList();
    probe.begin();
    long figuresStart = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      get(engine.figures(names));
    }
    double figuresMillis = (System.nanoTime() - figuresStart) / 1e6 / 10;
    String figuresSplit = probe.end(figuresMillis * 10 / 1000);
    long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();

    System.out.printf("baseline EVALSHA 'return 1': sequential p50 %.3f ms p99 %.3f ms; 64 in flight %.0f calls/s%n",
        baseline[0], baseline[1], baseline[2]);
    System.out.printf("drain %d waiting contacts with %d clerks over %d queues: %.0f assignments/s (%.2f s);"
        + " each assignment = offer + accept + complete = 3 scripts%n", WAITING, CLERKS, QUEUES, WAITING / drainSeconds, drainSeconds);
    System.out.printf("enqueue-to-offer (seen on the event stream) at %.0f arrivals/s: p50 %.3f ms p99 %.3f ms (n=%d)%n",
        arrivals / arrivalSeconds, pct(lat, 0.50), pct(lat, 0.99), lat.length);
    System.out.printf("ratio: assignments/s over baseline calls/s = %.3f; p99 enqueue-to-offer over baseline p99 = %.1f%n",
        WAITING / drainSeconds / baseline[2], pct(lat, 0.99) / baseline[1]);
    System.out.printf("drain round trips as the client sees them: accept p50 %.3f ms p99 %.3f ms; complete p50 %.3f ms p99 %.3f ms%n",
        pct(sorted(acceptNanos), 0.5), pct(sorted(acceptNanos), 0.99), pct(sorted(completeNanos), 0.5), pct(sorted(completeNanos), 0.99));
    System.out.println("drain in Redis: " + drainSplit);
    long[] enq = sorted(enqueueNanos);
    System.out.printf("arrivals: enqueue call-to-reply p50 %.3f ms p99 %.3f ms, %d of %d over 10 ms; the rest of enqueue-to-offer is the stream hop%n",
        pct(enq, 0.5), pct(enq, 0.99), java.util.Arrays.stream(enq).filter(n -> n > 10_000_000).count(), enq.length);
    System.out.println("arrivals in Redis: " + arrivalSplit);
    System.out.printf("figures of all %d queues (each node's wallboard refresh): %.2f ms per refresh; in Redis: %s%n",
        QUEUES, figuresMillis, figuresSplit);
    probe.close();
    events.close();
    engine.close();
  }

  private static long[] sorted(List<Long> nanos) {
    synchronized (nanos) {
      return nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    }
  }

  /**
   * Where a phase's time went: Redis CPU (INFO cpu) against the benchmark JVM's CPU and the wall
   * time, per-script time and the commands the scripts ran (INFO commandstats deltas), and on the
   * embedded Redis the slowest calls (SLOWLOG over 1 ms).
   */
  private static final class RedisProbe implements AutoCloseable {
    private final io.lettuce.core.api.StatefulRedisConnection<String, String> connection;
    private final boolean embedded;
    private Map<String, long[]> stats;
    private double redisCpu;
    private long jvmCpu;
    private long gcMillis;

    RedisProbe(RedisClient client, boolean embedded) {
      this.connection = client.connect();
      this.embedded = embedded;
    }

    void begin() {
      var r = connection.sync();
      if (embedded) {
        r.configSet("slowlog-log-slower-than", "1000");
        r.slowlogReset();
      }
      stats = commandStats();
      redisCpu = redisCpu();
      jvmCpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
      gcMillis = gcMillis();
    }

    private static long gcMillis() {
      return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
          .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    String end(double wallSeconds) {
      double redis = redisCpu() - redisCpu;
      double jvm = (((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() - jvmCpu) / 1e9;
      Map<String, long[]> now = commandStats();
      StringBuilder out = new StringBuilder(String.format("wall %.2f s, Redis CPU %.2f s (%.0f%% of one core), benchmark JVM CPU %.2f s, JVM GC %d ms, load average %s;",
          wallSeconds, redis, 100 * redis / wallSeconds, jvm, gcMillis() - gcMillis, loadAverage()));
      List<Map.Entry<String, long[]>> deltas = new ArrayList<>();
      now.forEach((cmd, v) -> {
        long[] before = stats.getOrDefault(cmd, new long[2]);
        if (v[0] > before[0]) {
          deltas.add(Map.entry(cmd, new long[] {v[0] - before[0], v[1] - before[1]}));
        }
      });
      deltas.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
      for (var d : deltas) {
        out.append(String.format("%n    %-16s calls %8d  usec %9d  usec/call %7.1f", d.getKey(), d.getValue()[0], d.getValue()[1], (double) d.getValue()[1] / d.getValue()[0]));
      }
      if (embedded) {
        // the slow log keeps the newest 128 entries: enough to show which scripts run long
        List<Object> slow = connection.sync().slowlogGet(128);
        Map<String, long[]> byOp = new java.util.TreeMap<>();
        for (Object entry : slow) {
          List<?> e = (List<?>) entry;
          List<?> cmd = (List<?>) e.get(3);
          String op = cmd.size() > 4 && cmd.get(0).toString().equalsIgnoreCase("evalsha") ? cmd.get(4).toString() : cmd.get(0).toString();
          long[] v = byOp.computeIfAbsent(op, x -> new long[2]);
          v[0]++;
          v[1] = Math.max(v[1], (Long) e.get(2));
        }
        out.append(String.format("%n    slowlog over 1 ms: %d calls; newest %d by operation (count, max us): %s",
            connection.sync().slowlogLen(), slow.size(), byOp.entrySet().stream().map(x -> x.getKey() + " " + x.getValue()[0] + " " + x.getValue()[1]).toList()));
      }
      return out.toString();
    }

    private Map<String, long[]> commandStats() {
      Map<String, long[]> out = new HashMap<>();
      for (String line : connection.sync().info("commandstats").lines().toList()) {
        if (line.startsWith("cmdstat_")) {
          String name = line.substring(8, line.indexOf(':'));
          long calls = 0;
          long usec = 0;
          for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
            String[] p = kv.split("=");
            if (p[0].equals("calls")) {
              calls = Long.parseLong(p[1]);
            } else if (p[0].equals("usec")) {
              usec = Long.parseLong(p[1]);
            }
          }
          out.put(name, new long[] {calls, usec});
        }
      }
      return out;
    }

    private static String loadAverage() {
      try {
        return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
      } catch (java.io.IOException e) {
        return "?";
      }
    }

    private double redisCpu() {
      double cpu = 0;
      for (String line : connection.sync().info("cpu").lines().toList()) {
        if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
          cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return cpu;
    }

    @Override
    public void close() {
      connection.close();
    }
  }

  /** Raw EVALSHA of a script that does nothing: sequential round trips, then throughput with 64 in flight. */
  private static double[] baseline(RedisClient client) throws Exception {
    try (var connection = client.connect()) {
      RedisAsyncCommands<String, String> redis = connection.async();
      String sha = redis.scriptLoad("return 1").get();
      String[] keys = {"{bench}:x"};
      long[] rtt = new long[20_000];
      for (int i = 0; i < rtt.length; i++) {
        long t = System.nanoTime();
        redis.evalsha(sha, ScriptOutputType.INTEGER, keys).get();
        rtt[i] = System.nanoTime() - t;
      }
      Arrays.sort(rtt);
      int calls = 200_000;
      java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(64);
      CountDownLatch done = new CountDownLatch(calls);
      long start = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        window.acquire();
        redis.evalsha(sha, ScriptOutputType.INTEGER, keys).whenComplete((r, e) -> {
          window.release();
          done.countDown();
        });
      }
      done.await();
      double seconds = (System.nanoTime() - start) / 1e9;
      return new double[] {pct(rtt, 0.50), pct(rtt, 0.99), calls / seconds};
    }
  }

  private static double pct(long[] sortedNanos, double p) {
    return sortedNanos.length == 0 ? Double.NaN : sortedNanos[(int) Math.min(sortedNanos.length - 1, p * sortedNanos.length)] / 1e6;
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
