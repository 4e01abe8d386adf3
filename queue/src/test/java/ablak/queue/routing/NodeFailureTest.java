package ablak.queue.routing;

import static ablak.queue.routing.Fixture.await;
import static ablak.queue.routing.Fixture.clerk;
import static org.assertj.core.api.Assertions.assertThat;

import ablak.queue.events.PositionTracker;
import ablak.queue.events.PositionTracker.WaitingPosition;
import ablak.queue.events.QueueEvent;
import ablak.queue.events.QueueEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two nodes sharing one Redis: what one node does, the other sees; when one dies, nothing is stranded. */
class NodeFailureTest {
  private final Fixture fx = new Fixture("redis://127.0.0.1:6379", Duration.ofSeconds(10));
  private final RoutingEngine nodeA = fx.engine("node-a");
  private final RoutingEngine nodeB = fx.engine("node-b");

  @AfterEach
  void stop() {
    nodeA.close();
    nodeB.close();
    fx.close();
  }

  @Test
  void whenANodeDiesItsClerksGoOfflineAndTheirOffersReturnToTheQueue() {
    await(nodeB.registerClerk(clerk("remote", Map.of("general", 5))));
    await(nodeB.setStatus("remote", ClerkStatus.READY, null));
    await(nodeA.enqueue(ContactRequest.of("c1", "general", "hu")));
    nodeB.close();
    await(nodeA.registerClerk(clerk("local", Map.of("general", 1))));

    fx.clock.advance(Duration.ofSeconds(11));
    await(nodeA.setStatus("local", ClerkStatus.READY, null));
    await(nodeA.sweep());

    assertThat(fx.redis().hget(fx.settings.keyPrefix() + "clerk:remote", "state")).isEqualTo("offline");
    assertThat(fx.events("RINGCANCELED")).extracting(QueueEvent::clerkId).containsExactly("remote");
    assertThat(fx.events("OFFER")).extracting(QueueEvent::clerkId).containsExactly("remote", "local");
  }

  @Test
  void aClerkWhoseNodeHeartBeatsStaysSignedIn() {
    await(nodeB.registerClerk(clerk("anna", Map.of("general", 5))));
    await(nodeB.setStatus("anna", ClerkStatus.READY, null));

    fx.clock.advance(Duration.ofSeconds(8));
    await(nodeB.heartbeat());
    fx.clock.advance(Duration.ofSeconds(8));
    await(nodeA.sweep());

    assertThat(fx.redis().hget(fx.settings.keyPrefix() + "clerk:anna", "state")).isEqualTo("available");
  }

  @Test
  void theHeartbeatExtendsOnlyClerksStillSignedInAcrossBatches() {
    for (int c = 0; c < 250; c++) {
      await(nodeB.registerClerk(clerk("k" + c, Map.of("general", 1))));
      await(nodeB.setStatus("k" + c, ClerkStatus.BREAK, "setup"));
    }
    await(nodeA.setStatus("k7", ClerkStatus.OFFLINE, null));

    fx.clock.advance(Duration.ofSeconds(8));
    assertThat(await(nodeB.heartbeat())).isEqualTo(249L);

    String presence = fx.settings.keyPrefix() + "presence";
    assertThat(fx.redis().zscore(presence, "k7")).isNull();
    assertThat(fx.redis().zscore(presence, "k249")).isEqualTo((double) fx.clock.millis() + 10_000);
  }

  @Test
  void anOfferMadeOnOneNodeReachesTheOtherNodesSubscribers() throws Exception {
    QueueEvents events = await(QueueEvents.start(fx.vertx, fx.client, fx.settings));
    CompletableFuture<QueueEvent> offer = new CompletableFuture<>();
    events.subscribe(fx.vertx, e -> {
      if (e.event().equals("OFFER")) {
        offer.complete(e);
      }
    });
    await(nodeB.registerClerk(clerk("anna", Map.of("general", 5))));
    await(nodeB.setStatus("anna", ClerkStatus.READY, null));

    await(nodeA.enqueue(ContactRequest.of("c1", "general", "hu")));

    QueueEvent seen = offer.get(10, TimeUnit.SECONDS);
    assertThat(List.of(seen.contactId(), seen.clerkId())).containsExactly("c1", "anna");
    events.close();
  }

  @Test
  void aWaitingCitizenIsPushedANewPositionWhenTheOneAheadLeavesOnAnotherNode() throws Exception {
    QueueEvents events = await(QueueEvents.start(fx.vertx, fx.client, fx.settings));
    List<WaitingPosition> pushed = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> placed = new CompletableFuture<>();
    CompletableFuture<Void> moved = new CompletableFuture<>();
    await(nodeA.enqueue(ContactRequest.of("first", "general", "hu")));
    await(nodeA.enqueue(ContactRequest.of("second", "general", "hu")));
    fx.vertx.runOnContext(v -> {
      PositionTracker tracker = new PositionTracker(fx.vertx, nodeA, events);
      tracker.track("second", "general", p -> {
        pushed.add(p);
        placed.complete(null);
        if (p.position() == 1) {
          moved.complete(null);
        }
      });
    });

    placed.get(10, TimeUnit.SECONDS);

    await(nodeB.abandon("first"));

    moved.get(10, TimeUnit.SECONDS);
    assertThat(pushed).extracting(WaitingPosition::position).containsExactly(2, 1);
    events.close();
  }
}
