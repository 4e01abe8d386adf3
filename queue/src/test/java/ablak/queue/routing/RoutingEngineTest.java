package ablak.queue.routing;

import static ablak.queue.routing.Fixture.await;
import static ablak.queue.routing.Fixture.clerk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ablak.queue.QueueError;
import ablak.queue.QueueException;
import ablak.queue.events.QueueEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutingEngineTest {
  private Fixture fx;
  private RoutingEngine engine;

  @BeforeEach
  void start() {
    fx = new Fixture();
    engine = fx.engine("node-a");
  }

  @AfterEach
  void stop() {
    engine.close();
    fx.close();
  }

  private void ready(String clerkId, Map<String, Integer> skills) {
    await(engine.registerClerk(clerk(clerkId, skills)));
    await(engine.setStatus(clerkId, ClerkStatus.READY, null));
  }

  private Enqueued join(String contactId, String queue) {
    return await(engine.enqueue(ContactRequest.of(contactId, queue, "hu")));
  }

  private List<Integer> places(String queue, String... contacts) {
    return await(engine.positions(queue, List.of(contacts))).getKey();
  }

  private String clerkState(String clerkId) {
    return fx.redis().hget(fx.settings.keyPrefix() + "clerk:" + clerkId, "state");
  }

  @Test
  void offersTheContactToTheBestSkilledAvailableClerk() {
    ready("anna", Map.of("moving", 3));
    ready("bela", Map.of("moving", 5));

    Enqueued joined = join("c1", "moving");

    assertThat(joined.offer().clerkId()).isEqualTo("bela");
    assertThat(clerkState("bela")).isEqualTo("offered");
  }

  @Test
  void offersTheLongestIdleClerkAmongEquallySkilled() {
    ready("anna", Map.of("moving", 4));
    fx.clock.advance(Duration.ofSeconds(5));
    ready("bela", Map.of("moving", 4));

    assertThat(join("c1", "moving").offer().clerkId()).isEqualTo("anna");
  }

  @Test
  void placesOfManyContactsAreTheSameAsLookedUpOneByOne() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String id = "c" + i;
      await(engine.enqueue(new ContactRequest(id, "general", "hu", i % 7 == 0 ? 3 : 0, null, null, null)));
      fx.clock.advance(Duration.ofMillis(10));
      ids.add(id);
    }
    await(engine.abandon("c10"));
    ids.add("never-queued");
    java.util.Collections.shuffle(ids, new java.util.Random(7));

    List<Integer> all = places("general", ids.toArray(String[]::new));

    List<Integer> oneByOne = ids.stream().map(id -> places("general", id).get(0)).toList();
    assertThat(all).isEqualTo(oneByOne);
    assertThat(all.get(ids.indexOf("c0"))).isEqualTo(1); // priority 3, first to arrive
    assertThat(all.get(ids.indexOf("c10"))).isEqualTo(-1);
    assertThat(all.get(ids.indexOf("never-queued"))).isEqualTo(-1);
    assertThat(all).filteredOn(place -> place > 0).containsExactlyInAnyOrderElementsOf(
        java.util.stream.IntStream.rangeClosed(1, 49).boxed().toList());
  }

  @Test
  void servesHigherPriorityFirstThenEarliestArrival() {
    join("c1", "general");
    fx.clock.advance(Duration.ofSeconds(1));
    join("c2", "general");
    await(engine.enqueue(new ContactRequest("urgent", "general", "hu", 5, null, null, null)));

    assertThat(places("general", "urgent", "c1", "c2")).containsExactly(1, 2, 3);
    ready("anna", Map.of("general", 1));
    assertThat(fx.events("OFFER")).extracting(QueueEvent::contactId).containsExactly("urgent");
  }

  @Test
  void aCallbackKeepsThePlaceOfItsOriginalArrival() {
    join("c1", "general");
    await(engine.enqueue(new ContactRequest("callback", "general", "hu", 0,
        null, Fixture.START.minusSeconds(600), null)));

    assertThat(places("general", "callback", "c1")).containsExactly(1, 2);
  }

  @Test
  void anAppointmentJumpsAheadByTheQueuesAppointmentPriority() {
    join("c1", "idcard");
    await(engine.enqueue(new ContactRequest("booked", "idcard", "hu", 0, Fixture.START.plusSeconds(60), null, null)));

    assertThat(places("idcard", "booked", "c1")).containsExactly(1, 2);
  }

  @Test
  void contactsNeedTheClerksLanguage() {
    await(engine.registerClerk(new ClerkProfile("anna", Map.of("general", 5), Set.of("en"), 1)));
    await(engine.setStatus("anna", ClerkStatus.READY, null));

    assertThat(join("c1", "general").offer()).isNull();
    assertThat(await(engine.enqueue(ContactRequest.of("c2", "general", "en"))).offer().clerkId()).isEqualTo("anna");
  }

  @Test
  void relaxesTheRequiredProficiencyAfterTheConfiguredWaitKeepingThePlace() {
    ready("novice", Map.of("moving", 2));
    join("c1", "moving");
    assertThat(fx.events("OFFER")).isEmpty();

    fx.clock.advance(Duration.ofSeconds(61));
    await(engine.sweep());

    assertThat(fx.events("OFFER")).extracting(QueueEvent::clerkId).containsExactly("novice");
  }

  @Test
  void aClerkFreedByACallTakesARelaxedContactInItsPlace() {
    ready("novice", Map.of("moving", 2, "general", 1));
    Offer call = join("g1", "general").offer();
    await(engine.accept("novice", "g1", call.seq()));
    join("c1", "moving");
    fx.clock.advance(Duration.ofSeconds(1));
    join("c2", "moving");
    fx.clock.advance(Duration.ofSeconds(60));
    assertThat(places("moving", "c1", "c2")).containsExactly(1, 2);

    await(engine.complete("novice", "g1"));

    assertThat(fx.events("OFFER")).extracting(QueueEvent::contactId).containsExactly("g1", "c1");
    assertThat(places("moving", "c2")).containsExactly(1);
  }

  @Test
  void aClerkFreedByACallYieldsToALongerIdleEqualClerk() {
    ready("anna", Map.of("moving", 2));
    ready("bela", Map.of("moving", 2, "general", 1));
    Offer call = join("g1", "general").offer();
    await(engine.accept("bela", "g1", call.seq()));
    join("c1", "moving");
    fx.clock.advance(Duration.ofSeconds(61));

    // c1 is now open to proficiency 2: anna, idle since the start, goes before bela, idle from now
    await(engine.complete("bela", "g1"));

    assertThat(offerOf("c1").clerkId()).isEqualTo("anna");
    assertThat(clerkState("bela")).isEqualTo("available");
  }

  @Test
  void aFreedClerkTakesTheFirstContactAcrossAllItsQueues() {
    ready("anna", Map.of("general", 1, "idcard", 1));
    Offer call = join("g0", "general").offer();
    await(engine.accept("anna", "g0", call.seq()));
    join("i1", "idcard");
    fx.clock.advance(Duration.ofSeconds(1));
    join("g1", "general");
    await(engine.enqueue(new ContactRequest("urgent", "idcard", "hu", 3, null, null, null)));

    List<String> served = new java.util.ArrayList<>();
    String current = "g0";
    for (int i = 0; i < 3; i++) {
      await(engine.complete("anna", current));
      List<QueueEvent> offers = fx.events("OFFER");
      Offer next = offerOf(offers.get(offers.size() - 1).contactId());
      served.add(next.contactId());
      await(engine.accept("anna", next.contactId(), next.seq()));
      current = next.contactId();
    }

    assertThat(served).containsExactly("urgent", "i1", "g1");
  }

  @Test
  void oneSweepReoffersEveryContactAClerkCanTakeAfterManyUnansweredOffers() {
    for (int c = 0; c < 30; c++) {
      ready("k" + c, Map.of("general", 1 + c % 5, "idcard", 1 + c % 3));
    }
    for (int i = 0; i < 45; i++) {
      join("p" + i, i % 2 == 0 ? "general" : "idcard");
    }
    assertThat(fx.events("OFFER")).hasSize(30);

    fx.clock.advance(Duration.ofSeconds(21));
    await(engine.sweep());

    // more than routingScanDepth (20) offers in one pass; nobody gets the contact it let ring out
    assertThat(fx.events("RINGNOANSWER")).hasSize(30);
    List<QueueEvent> again = fx.events("OFFER").subList(30, fx.events("OFFER").size());
    assertThat(again).hasSize(30);
    Map<String, String> rangOut = new java.util.HashMap<>();
    fx.events("RINGNOANSWER").forEach(e -> rangOut.put(e.contactId(), e.clerkId()));
    assertThat(again).allSatisfy(e -> assertThat(e.clerkId()).isNotEqualTo(rangOut.get(e.contactId())));
    assertThat(again).extracting(QueueEvent::clerkId).doesNotHaveDuplicates();
  }

  @Test
  void overflowsToAnotherQueueAfterTheConfiguredWait() {
    ready("generalist", Map.of("general", 1));
    join("c1", "moving");

    fx.clock.advance(Duration.ofSeconds(301));
    await(engine.sweep());

    assertThat(fx.events("OVERFLOW")).extracting(QueueEvent::queue).containsExactly("general");
    assertThat(fx.events("OFFER")).extracting(QueueEvent::clerkId).containsExactly("generalist");
  }

  @Test
  void aPreferredClerkIsWaitedForOnlyForTheQueuesPreferredTime() {
    ready("anna", Map.of("general", 3));
    await(engine.registerClerk(clerk("bela", Map.of("general", 3))));
    await(engine.enqueue(new ContactRequest("c1", "general", "hu", 0, null, null, "bela")));
    assertThat(fx.events("OFFER")).isEmpty();

    fx.clock.advance(Duration.ofMinutes(2).plusSeconds(1));
    await(engine.sweep());

    assertThat(fx.events("OFFER")).extracting(QueueEvent::clerkId).containsExactly("anna");
  }

  @Test
  void aPreferredClerkGetsTheContactBeforeALongerIdleClerk() {
    ready("anna", Map.of("general", 3));
    fx.clock.advance(Duration.ofSeconds(10));
    ready("bela", Map.of("general", 3));

    Enqueued joined = await(engine.enqueue(new ContactRequest("c1", "general", "hu", 0, null, null, "bela")));

    assertThat(joined.offer().clerkId()).isEqualTo("bela");
  }

  @Test
  void aDeclinedContactKeepsItsPlaceAndTheNextContactIsOffered() {
    join("c1", "general");
    join("c2", "general");
    ready("anna", Map.of("general", 1));
    Offer first = offerOf("c1");

    await(engine.decline("anna", "c1", first.seq()));

    assertThat(places("general", "c1")).containsExactly(1);
    assertThat(fx.events("OFFER")).extracting(QueueEvent::contactId).containsExactly("c1", "c2");
  }

  @Test
  void anUnansweredOfferReturnsAndAfterTwoTheClerkIsNotResponding() {
    join("c1", "general");
    join("c2", "general");
    ready("anna", Map.of("general", 1));

    fx.clock.advance(Duration.ofSeconds(21));
    await(engine.sweep());
    fx.clock.advance(Duration.ofSeconds(21));
    await(engine.sweep());

    assertThat(fx.events("RINGNOANSWER")).extracting(QueueEvent::contactId).containsExactly("c1", "c2");
    assertThat(clerkState("anna")).isEqualTo("not_responding");
    assertThat(places("general", "c1", "c2")).containsExactly(1, 2);
  }

  @Test
  void afterACallTheClerkWrapsUpForTheQueuesTimeBeforeTheNextOffer() {
    ready("anna", Map.of("moving", 5));
    Offer offer = join("c1", "moving").offer();
    await(engine.accept("anna", "c1", offer.seq()));
    await(engine.complete("anna", "c1"));
    join("c2", "moving");
    assertThat(clerkState("anna")).isEqualTo("wrapup");

    fx.clock.advance(Duration.ofSeconds(31));
    await(engine.sweep());

    assertThat(fx.events("OFFER")).extracting(QueueEvent::contactId).containsExactly("c1", "c2");
  }

  @Test
  void aClerkNeverHoldsMoreOffersThanCapacity() {
    await(engine.registerClerk(new ClerkProfile("anna", Map.of("general", 1), Set.of("hu"), 2)));
    await(engine.setStatus("anna", ClerkStatus.READY, null));

    join("c1", "general");
    join("c2", "general");
    join("c3", "general");

    assertThat(fx.events("OFFER")).extracting(QueueEvent::contactId).containsExactly("c1", "c2");
    assertThat(places("general", "c3")).containsExactly(1);
  }

  @Test
  void abandonRecordsPositionOriginalPositionAndWait() {
    join("c1", "general");
    join("c2", "general");
    fx.clock.advance(Duration.ofSeconds(42));
    await(engine.abandon("c1"));

    await(engine.abandon("c2"));

    QueueEvent abandon = fx.events("ABANDON").get(1);
    assertThat(List.of(abandon.data1(), abandon.data2(), abandon.data3())).containsExactly("1", "2", "42000");
  }

  @Test
  void abandoningARingingContactFreesTheClerk() {
    ready("anna", Map.of("general", 1));
    join("c1", "general");

    await(engine.abandon("c1"));

    assertThat(clerkState("anna")).isEqualTo("available");
  }

  @Test
  void aTransferredContactKeepsItsPlaceInTheTargetQueue() {
    ready("anna", Map.of("idcard", 1));
    Offer offer = join("early", "idcard").offer();
    await(engine.accept("anna", "early", offer.seq()));
    fx.clock.advance(Duration.ofSeconds(30));
    join("later", "general");

    await(engine.transfer("anna", "early", "general", null));

    assertThat(places("general", "early", "later")).containsExactly(1, 2);
    assertThat(fx.events("TRANSFER")).extracting(QueueEvent::data1).containsExactly("general");
  }

  @Test
  void aTransferToANamedClerkOffersThatClerk() {
    ready("anna", Map.of("general", 1));
    Offer offer = join("c1", "general").offer();
    await(engine.accept("anna", "c1", offer.seq()));
    ready("bela", Map.of("general", 1));
    fx.clock.advance(Duration.ofSeconds(10));
    ready("cecil", Map.of("general", 1));

    await(engine.transfer("anna", "c1", "general", "cecil"));

    assertThat(fx.events("OFFER")).extracting(QueueEvent::clerkId).containsExactly("anna", "cecil");
  }

  @Test
  void aThirdPartyJoinsAConnectedContactOnce() {
    ready("anna", Map.of("general", 1));
    Offer offer = join("c1", "general").offer();
    await(engine.accept("anna", "c1", offer.seq()));

    await(engine.conference("anna", "c1", "interpreter-7"));

    assertThat(fx.events("CONFERENCE")).extracting(QueueEvent::data1).containsExactly("interpreter-7");
    assertError(() -> engine.conference("anna", "c1", "interpreter-7"), QueueError.ALREADY_IN_CONFERENCE);
  }

  @Test
  void joiningAClosedQueueSaysWhenItOpens() {
    assertThatThrownBy(() -> join("c1", "night"))
        .isInstanceOfSatisfying(QueueException.class, e -> assertThat(e.error()).isEqualTo(QueueError.QUEUE_CLOSED))
        .hasMessageContaining("2026-12-07T08:00:00Z");
    assertThat(fx.events()).isEmpty();
  }

  @Test
  void badRequestsAreRefusedWithATypedErrorAndChangeNothing() {
    ready("anna", Map.of("general", 1));
    ready("bela", Map.of("idcard", 1));
    Offer offer = join("c1", "general").offer();
    int before = fx.events().size();

    assertError(() -> join("c9", "nosuchqueue"), QueueError.UNKNOWN_QUEUE);
    assertError(() -> engine.registerClerk(clerk("zoe", Map.of("juggling", 5))), QueueError.UNKNOWN_SKILL);
    assertError(() -> engine.registerClerk(clerk("zoe", Map.of("general", 6))), QueueError.INVALID_INPUT);
    assertError(() -> engine.enqueue(ContactRequest.of("c9", "general", "xx")), QueueError.UNKNOWN_LANGUAGE);
    assertError(() -> join("c1", "general"), QueueError.CONTACT_EXISTS);
    assertError(() -> engine.accept("bela", "c1", offer.seq()), QueueError.NOT_YOUR_OFFER);
    assertError(() -> engine.accept("anna", "c1", offer.seq() - 1), QueueError.OFFER_EXPIRED);
    assertError(() -> engine.accept("nobody", "c1", offer.seq()), QueueError.UNKNOWN_CLERK);
    assertError(() -> engine.complete("anna", "c1"), QueueError.NOT_YOUR_CONTACT);
    assertError(() -> engine.abandon("ghost"), QueueError.UNKNOWN_CONTACT);
    assertError(() -> engine.setStatus("anna", ClerkStatus.BREAK, "lunch"), QueueError.CLERK_BUSY);
    assertThat(fx.events()).hasSize(before);

    await(engine.accept("anna", "c1", offer.seq()));
    assertError(() -> engine.accept("anna", "c1", offer.seq()), QueueError.ALREADY_ACCEPTED);
  }

  @Test
  void acceptingAnOfferPastItsExpiryIsRefusedEvenBeforeTheSweep() {
    ready("anna", Map.of("general", 1));
    Offer offer = join("c1", "general").offer();
    fx.clock.advance(Duration.ofSeconds(21));

    assertError(() -> engine.accept("anna", "c1", offer.seq()), QueueError.OFFER_EXPIRED);
    assertThat(fx.events("CONNECT")).isEmpty();
  }

  @Test
  void aBreakCarriesItsReasonCode() {
    await(engine.registerClerk(clerk("anna", Map.of("general", 1))));

    await(engine.setStatus("anna", ClerkStatus.BREAK, "training"));

    QueueEvent state = fx.events("CLERKSTATE").get(fx.events("CLERKSTATE").size() - 1);
    assertThat(List.of(state.data1(), state.data2())).containsExactly("break", "training");
    assertThat(join("c1", "general").offer()).isNull();
  }

  @Test
  void figuresOfManyQueuesComeBackInTheOrderAsked() {
    ready("anna", Map.of("general", 1));
    join("g1", "general");
    join("g2", "general");
    join("i1", "idcard");
    List<String> asked = List.of("idcard", "general", "moving", "night", "general", "idcard", "moving");

    List<QueueFigures> figures = await(engine.figures(asked));

    assertThat(figures).extracting(QueueFigures::queue).containsExactlyElementsOf(asked);
    assertThat(figures).extracting(QueueFigures::waiting).containsExactly(1, 1, 0, 0, 1, 1, 0);
    assertThat(figures.get(4).clerksByState().get("offered")).isEqualTo(1);
    // a clerk whose state has not changed since clerkstates was introduced is read from its own hash
    fx.redis().hdel(fx.settings.keyPrefix() + "clerkstates", "anna");
    assertThat(await(engine.figures(List.of("general"))).get(0).clerksByState().get("offered")).isEqualTo(1);
  }

  @Test
  void figuresFollowTheDocumentedDefinitions() {
    ready("anna", Map.of("general", 1));
    join("fast", "general");
    fx.clock.advance(Duration.ofSeconds(10));
    await(engine.accept("anna", "fast", 1));
    fx.clock.advance(Duration.ofSeconds(100));
    await(engine.complete("anna", "fast"));
    await(engine.setStatus("anna", ClerkStatus.BREAK, "lunch"));
    join("quitter", "general");
    join("impatient", "general");
    join("waiting", "general");
    fx.clock.advance(Duration.ofSeconds(3));
    await(engine.abandon("impatient"));
    fx.clock.advance(Duration.ofSeconds(7));
    await(engine.abandon("quitter"));

    QueueFigures f = await(engine.figures(List.of("general"))).get(0);

    assertThat(f.waiting()).isEqualTo(1);
    assertThat(f.longestWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(f.serviceLevel()).isEqualTo(0.5);
    assertThat(f.abandonmentRate()).isEqualTo(0.5);
    assertThat(f.averageSpeedOfAnswer()).isEqualTo(Duration.ofSeconds(10));
    assertThat(f.averageHandleTime()).isEqualTo(Duration.ofSeconds(100));
    assertThat(f.clerksByState().get("break")).isEqualTo(1);
  }

  @Test
  void theWaitEstimateUsesStaffedClerksAndRecentHandleTime() {
    for (String c : List.of("anna", "bela")) {
      ready(c, Map.of("general", 1));
      Offer offer = join("warmup-" + c, "general").offer();
      await(engine.accept(c, offer.contactId(), offer.seq()));
    }
    fx.clock.advance(Duration.ofMinutes(4));
    await(engine.complete("anna", "warmup-anna"));
    await(engine.setStatus("anna", ClerkStatus.OFFLINE, null));
    for (int i = 1; i <= 3; i++) {
      join("c" + i, "general");
    }

    var result = await(engine.positions("general", List.of("c3")));
    Duration wait = new WaitEstimator(Duration.ofMinutes(9)).estimate(result.getKey().get(0), result.getValue());

    // three ahead counting itself, one staffed clerk (bela, busy), AHT 4 min
    assertThat(wait).isEqualTo(Duration.ofMinutes(12));
  }

  private Offer offerOf(String contactId) {
    QueueEvent e = fx.events("OFFER").stream().filter(x -> x.contactId().equals(contactId)).reduce((a, b) -> b).orElseThrow();
    return new Offer(contactId, e.clerkId(), e.queue(), Long.parseLong(e.data1()), Instant.ofEpochMilli(Long.parseLong(e.data2())));
  }

  private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, QueueError error) {
    assertThatThrownBy(() -> {
      Object r = null;
      try {
        call.call();
      } catch (RuntimeException e) {
        throw e;
      }
    }).isInstanceOfSatisfying(QueueException.class, e -> assertThat(e.error()).isEqualTo(error));
  }

  private static void assertError(java.util.function.Supplier<io.vertx.core.Future<?>> call, QueueError error) {
    assertThatThrownBy(() -> await(call.get()))
        .isInstanceOfSatisfying(QueueException.class, e -> assertThat(e.error()).isEqualTo(error));
  }
}
