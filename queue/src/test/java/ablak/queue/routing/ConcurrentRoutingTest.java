package ablak.queue.routing;

import static ablak.queue.routing.Fixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import ablak.queue.events.QueueEvent;
import ablak.queue.events.QueueEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Four nodes (each its own connection and sweeper), forty clerks and six hundred contacts at once,
 * with accepts, declines, unanswered offers and abandons racing each other; then the event log is
 * replayed to prove the routing rules held.
 */
class ConcurrentRoutingTest {
  private static final int NODES = 4;
  private static final int CLERKS = 40;
  private static final int CONTACTS = 600;

  @Test
  void underConcurrentLoadNoContactIsAssignedTwiceNoClerkExceedsCapacityNobodyIsLostAndOrderHolds() throws Exception {
    try (Fixture fx = new Fixture("redis://127.0.0.1:6379", Duration.ofMinutes(5), Duration.ofMillis(300))) {
      List<RoutingEngine> nodes = new ArrayList<>();
      List<QueueEvents> feeds = new ArrayList<>();
      Map<String, Integer> capacity = new HashMap<>();
      for (int n = 0; n < NODES; n++) {
        RoutingEngine node = fx.engine("node-" + n, Clock.systemUTC());
        nodes.add(node);
        QueueEvents feed = await(QueueEvents.start(fx.vertx, fx.client, fx.settings));
        feeds.add(feed);
        int nodeIndex = n;
        feed.subscribe(fx.vertx, e -> actAsClerks(node, nodeIndex, e));
      }
      for (int c = 0; c < CLERKS; c++) {
        RoutingEngine node = nodes.get(c % NODES);
        int cap = c % 4 == 0 ? 2 : 1;
        capacity.put("k" + c, cap);
        await(node.registerClerk(new ClerkProfile("k" + c, Map.of("general", 1 + c % 5, "idcard", 1 + c % 3),
            Set.of("hu", "en"), cap)));
        await(node.setStatus("k" + c, ClerkStatus.READY, null));
      }

      ExecutorService citizens = Executors.newFixedThreadPool(NODES);
      for (int t = 0; t < NODES; t++) {
        RoutingEngine node = nodes.get(t);
        int thread = t;
        citizens.submit(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = thread; i < CONTACTS; i += NODES) {
            String id = "p" + i;
            await(node.enqueue(new ContactRequest(id, i % 3 == 0 ? "idcard" : "general", i % 2 == 0 ? "hu" : "en",
                random.nextInt(3), null, null, null)));
            if (random.nextInt(10) == 0) {
              node.abandon("p" + random.nextInt(i + 1));
            }
          }
          return null;
        });
      }
      citizens.shutdown();
      assertThat(citizens.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (finished(fx) < CONTACTS && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      feeds.forEach(QueueEvents::close);
      nodes.forEach(RoutingEngine::close);

      List<QueueEvent> log = fx.events();
      new LogChecker(capacity).check(log);
      assertThat(log.stream().filter(e -> e.event().equals("ENTERQUEUE")).count()).isEqualTo(CONTACTS);
      assertThat(finished(fx)).isEqualTo(CONTACTS);
      assertThat(log.stream().filter(e -> e.event().equals("CONNECT")).count()).isGreaterThan(CONTACTS / 2);
      assertThat(log.stream().filter(e -> e.event().equals("RINGNOANSWER")).count()).isPositive();
      assertThat(log.stream().filter(e -> e.event().equals("DECLINE")).count()).isPositive();
    }
  }

  private static long finished(Fixture fx) {
    return fx.events().stream().filter(e -> Set.of("COMPLETE", "ABANDON").contains(e.event())).count();
  }

  /** Each node plays its own clerks: mostly accept then complete, sometimes decline, sometimes let it ring out. */
  private static void actAsClerks(RoutingEngine node, int nodeIndex, QueueEvent e) {
    if (e.clerkId().isEmpty() || Integer.parseInt(e.clerkId().substring(1)) % NODES != nodeIndex) {
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (e.event().equals("CLERKSTATE") && e.data1().equals("not_responding")) {
      node.setStatus(e.clerkId(), ClerkStatus.READY, null);
    } else if (e.event().equals("OFFER")) {
      int roll = random.nextInt(20);
      if (roll < 15) {
        node.accept(e.clerkId(), e.contactId(), Long.parseLong(e.data1()))
            .onSuccess(v -> node.complete(e.clerkId(), e.contactId()));
      } else if (roll < 18) {
        node.decline(e.clerkId(), e.contactId(), Long.parseLong(e.data1()));
      }
    }
  }

  /** Replays the event log in stream order (the order the scripts ran in) against the routing rules. */
  static final class LogChecker {
    private record Waiting(String id, double score) {}

    private final Map<String, Integer> capacity;
    private List<QueueEvent> recent;
    private final Map<String, Integer> held = new HashMap<>();
    private final Map<String, String> state = new HashMap<>();
    private final Map<String, String> clerkOf = new HashMap<>();
    private final Map<String, String> skip = new HashMap<>();
    private final Map<String, Double> score = new HashMap<>();
    private final TreeSet<Waiting> waiting = new TreeSet<>(Comparator.comparingDouble(Waiting::score).thenComparing(Waiting::id));

    LogChecker(Map<String, Integer> capacity) {
      this.capacity = capacity;
    }

    void check(List<QueueEvent> log) {
      for (int i = 0; i < log.size(); i++) {
        QueueEvent e = log.get(i);
        recent = log.subList(Math.max(0, i - 8), i + 1);
        String c = e.contactId();
        switch (e.event()) {
          case "ENTERQUEUE" -> {
            assertThat(state).doesNotContainKey(c);
            score.put(c, Double.parseDouble(e.data3()));
            wait(c);
          }
          case "OFFER" -> {
            assertThat(state.get(c)).as("%s offered while %s", c, state.get(c)).isEqualTo("waiting");
            Waiting head = waiting.stream().filter(w -> !e.clerkId().equals(skip.get(w.id()))).findFirst().orElseThrow();
            assertThat(c).as("offer goes to the first waiting contact by priority then arrival: %s skip %s score %s vs %s; %s", head.id(), skip.get(head.id()), head.score(), score.get(c), recent).isEqualTo(head.id());
            waiting.remove(new Waiting(c, score.get(c)));
            state.put(c, "offered");
            clerkOf.put(c, e.clerkId());
            int load = held.merge(e.clerkId(), 1, Integer::sum);
            assertThat(load).as("load of %s", e.clerkId()).isLessThanOrEqualTo(capacity.get(e.clerkId()));
          }
          case "RINGNOANSWER", "DECLINE", "RINGCANCELED" -> {
            assertThat(state.get(c)).isEqualTo("offered");
            assertThat(clerkOf.get(c)).isEqualTo(e.clerkId());
            release(c);
            skip.put(c, e.clerkId());
            wait(c);
          }
          case "CONNECT" -> {
            assertThat(state.get(c)).isEqualTo("offered");
            assertThat(clerkOf.get(c)).isEqualTo(e.clerkId());
            state.put(c, "connected");
          }
          case "COMPLETE" -> {
            assertThat(state.get(c)).isEqualTo("connected");
            release(c);
            state.put(c, "done");
          }
          case "ABANDON" -> {
            assertThat(state.get(c)).isIn("waiting", "offered");
            if (state.get(c).equals("offered")) {
              release(c);
            } else {
              waiting.remove(new Waiting(c, score.get(c)));
            }
            state.put(c, "done");
          }
          case "CLERKSTATE" -> { }
          default -> throw new AssertionError("unexpected event " + e);
        }
      }
      assertThat(state.values()).as("nobody is left waiting, ringing or connected").containsOnly("done");
    }

    private void wait(String c) {
      state.put(c, "waiting");
      waiting.add(new Waiting(c, score.get(c)));
    }

    private void release(String c) {
      held.merge(clerkOf.remove(c), -1, Integer::sum);
    }
  }
}
