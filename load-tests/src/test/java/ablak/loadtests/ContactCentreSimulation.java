package ablak.loadtests;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.WsFrameCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A contact centre on one node, over the real WebSocket protocol and REST API: citizens who join
 * the queue of their case and are served by clerks, supervisors on the wallboard, visitors who only
 * hold a session. The load shape is the {@link Profile} named by {@code -Dprofile}; the assertions
 * turn a run into pass or fail: no errors, the profile's bounds, node heap under 1 GiB.
 *
 * <p>Pushes (positions, offers, calls, wallboards) are read from Gatling's buffer of unmatched
 * messages, which keeps each message's arrival time, so a user that looks every few hundred
 * milliseconds still measures to the millisecond. Spans between two users or between a server
 * event and a push are reported with {@link Timings}:
 * <ul>
 *   <li>{@code join-to-position-update}: queue.join sent → first queue.position received;
 *   <li>{@code enqueue-to-offer}: queue.join sent → first queue.offer of that contact at a clerk;
 *   <li>{@code offer-to-accept}: queue.offer received → queue.offer.accepted received (includes the
 *       simulated clerk's reaction, at most {@link #CLERK_LOOK});
 *   <li>{@code accept-to-call-started}: queue.offer.accept sent → call.started at the clerk;
 *   <li>{@code wallboard update delay}: a clerk's state change (its {@code sinceEpochMillis}) →
 *       the wallboard push showing it, the oldest change of each push.
 * </ul>
 */
public class ContactCentreSimulation extends Simulation {

  /** The server's heartbeat (docs/protocol.md, "Heartbeats"): a client checking liveness sends `ping` this often. */
  private static final Duration HEARTBEAT = Duration.ofSeconds(20);
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
  /** How often each kind of user reads its pushes; arrival times are exact whatever the interval. */
  private static final Duration CITIZEN_LOOK = Duration.ofMillis(500);
  private static final Duration CLERK_LOOK = Duration.ofMillis(100);
  private static final Duration SUPERVISOR_LOOK = Duration.ofMillis(500);
  private static final double HEAP_LIMIT_BYTES = 1024.0 * 1024 * 1024;
  private static final List<String> SKILLS = List.of("driving-licences", "identity-documents", "passports", "registry", "vehicles");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Profile profile = Profile.fromSystemProperties();
  private final Target target = Target.resolve(profile.offerTimeoutSeconds());
  private final Rendezvous joinsAndOffers = new Rendezvous();
  /** Citizens done with the queue; when all are, staff and the node watch stop before their shift ends. */
  private final AtomicInteger citizensDone = new AtomicInteger();

  {
    HttpProtocolBuilder protocol = http
        .baseUrl(target.baseUrl())
        .wsBaseUrl(target.webSocketBaseUrl())
        .wsUnmatchedInboundMessageBufferSize(512)
        .contentTypeHeader("application/json")
        .acceptHeader("application/json")
        // One pool for REST: 10,000 citizens would otherwise keep 10,000 idle keep-alive sockets beside their WebSockets.
        .shareConnections();

    List<Target.Staff> clerkAccounts = target.createStaff("clerk", profile.clerks());
    target.giveSkills(clerkAccounts, SKILLS);

    setUp(
        citizens().injectOpen(citizenArrivals()),
        visitors().injectOpen(nothingFor(Duration.ofSeconds(profile.staffSignInSeconds())),
            rampUsers(profile.visitors()).during(Duration.ofSeconds(Math.max(1, profile.rampSeconds())))),
        staff("clerks", clerkAccounts, clerkDuty())
            .injectOpen(rampUsers(profile.clerks()).during(Duration.ofSeconds(profile.staffSignInSeconds()))),
        staff("supervisors", target.createStaff("supervisor", profile.supervisors()), supervisorDuty())
            .injectOpen(atOnceUsers(profile.supervisors())),
        nodeWatch().injectOpen(atOnceUsers(1)))
        .protocols(protocol)
        .maxDuration(profile.shift().plusMinutes(2))
        .assertions(assertions());
  }

  @Override
  public void after() {
    target.close();
  }

  // ---- citizens: the queue journey

  private ScenarioBuilder citizens() {
    return scenario("citizens")
        .exec(http("visit").post(Messages.VISITS).check(status().is(201), jsonPath("$.token").saveAs("visitToken")))
        .exec(http("catalogue").get(Messages.CATALOGUE).check(status().is(200),
            jsonPath("$.lifeEvents[*].caseTypes[*].id").findAll().transform(ids -> ids.contains(Messages.CASE_TYPE)).is(true)))
        .exec(http("pre-call answers").post(Messages.CASES).header("Authorization", "Bearer #{visitToken}")
            .body(StringBody(Messages.CASE_ANSWERS))
            .check(status().is(201), jsonPath("$.caseView.id").saveAs("caseId"), jsonPath("$.citizenToken").saveAs("caseToken"),
                jsonPath("$.caseView.version").saveAs("caseVersion")))
        .exec(ws("connect").connect(Messages.WEBSOCKET))
        .exec(ws("citizen hello").sendText(Messages.citizenHello("hello")).await(REPLY_TIMEOUT)
            .on(sessionStarted("citizen welcome", "hello", Messages.WELCOME)))
        .exec(session -> {
          long now = System.currentTimeMillis();
          boolean abandons = ThreadLocalRandom.current().nextDouble() < profile.abandonShare();
          return session.set("joinSentAt", now)
              .set("waitUntil", now + 1000L * (abandons ? profile.patienceSeconds() : profile.maxWaitSeconds()));
        })
        .exec(ws("queue.join").sendText(Messages.join("join")).await(REPLY_TIMEOUT)
            .on(reply(Messages.QUEUE_JOINED, "join").check(outcome().is(Messages.QUEUE_JOINED),
                jsonPath("$.contactId").saveAs("contactId"))))
        .exec(session -> joinsAndOffers.joined(session.getString("contactId"), session.getLong("joinSentAt"))
            .map(span -> Timings.add(session, "enqueue-to-offer", session.getLong("joinSentAt"), session.getLong("joinSentAt") + span))
            .orElse(session))
        .exec(Timings.report())
        .asLongAs(session -> !session.contains("callId") && System.currentTimeMillis() < session.getLong("waitUntil")).on(
            pause(CITIZEN_LOOK).exec(ws.processUnmatchedMessages(this::citizenPushes)).exec(Timings.report()))
        .doIfOrElse(session -> session.contains("callId")).then(inCall()).orElse(leaveQueue())
        .exec(session -> {
          joinsAndOffers.forget(session.getString("contactId"));
          citizensDone.incrementAndGet();
          return session;
        })
        .exec(ws("leave").close());
  }

  /** Talks for the drawn handle time, confirms the case, ends the call. */
  private ChainBuilder inCall() {
    return pause(session -> Duration.ofSeconds(holdSeconds()))
        .exec(ws("case.confirm").sendText(Messages.confirm("confirm")).await(REPLY_TIMEOUT)
            .on(reply(Messages.CASE_CONFIRMED, "confirm").check(outcome().is(Messages.CASE_CONFIRMED))))
        .exec(ws("call.end").sendText(Messages.call(Messages.CALL_END, "end")).await(REPLY_TIMEOUT)
            .on(reply(Messages.CALL_ENDED, "end").check(outcome().is(Messages.CALL_ENDED))));
  }

  /**
   * Gives up waiting. A clerk may have taken the call in the meantime ({@code invalid_state}): then
   * its call.started is among the unread pushes, and the citizen ends the call at once.
   */
  private ChainBuilder leaveQueue() {
    return exec(ws("queue.leave").sendText(Messages.request(Messages.QUEUE_LEAVE, "leave")).await(REPLY_TIMEOUT)
            .on(reply(Messages.QUEUE_LEFT, "leave").check(
                jsonPath("$.type").saveAs("leaveReply"),
                bodyString().transform(body -> {
                  JsonNode reply = parse(body);
                  return reply.path("type").asText().equals(Messages.QUEUE_LEFT) || reply.path("code").asText().equals("invalid_state");
                }).is(true))))
        .doIf(session -> !Messages.QUEUE_LEFT.equals(session.getString("leaveReply"))).then(
            pause(CITIZEN_LOOK).exec(ws.processUnmatchedMessages(this::citizenPushes))
                .doIf(session -> session.contains("callId")).then(
                    exec(ws("call.end").sendText(Messages.call(Messages.CALL_END, "end")).await(REPLY_TIMEOUT)
                        .on(reply(Messages.CALL_ENDED, "end").check(outcome().is(Messages.CALL_ENDED))))));
  }

  private Session citizenPushes(List<WsInboundMessage> messages, Session session) {
    for (WsInboundMessage inbound : messages) {
      if (!(inbound instanceof WsInboundMessage.Text text)) {
        continue;
      }
      JsonNode message = parse(text.message());
      switch (message.path("type").asText()) {
        case Messages.QUEUE_POSITION -> {
          if (!session.contains("positionSeen")) {
            session = Timings.add(session, "join-to-position-update", session.getLong("joinSentAt"), text.timestamp())
                .set("positionSeen", true);
          }
        }
        case Messages.CALL_STARTED -> session = session.set("callId", message.path("callId").asText());
        default -> { }
      }
    }
    return session;
  }

  // ---- clerks: offers, calls, wrap-up

  private ChainBuilder clerkDuty() {
    return exec(clerkState("available"))
        // A clerk whose last call is ending finishes its wrap-up before going offline.
        .asLongAs(session -> onDuty(session) || session.contains("callId")).on(
            pause(CLERK_LOOK)
                .exec(ws.processUnmatchedMessages(this::clerkPushes))
                .exec(Timings.report())
                .doIf(session -> "accept".equals(session.getString("answer"))).then(
                    exec(session -> session.set("acceptSentAt", System.currentTimeMillis()))
                        .exec(ws("queue.offer.accept").sendText(Messages.offerAnswer(Messages.OFFER_ACCEPT, "accept")).await(REPLY_TIMEOUT)
                            .on(reply(Messages.OFFER_ACCEPTED, "accept").check(outcome().is(Messages.OFFER_ACCEPTED),
                                jsonPath("$.callId").saveAs("callId"))))
                        .exec(session -> Timings.add(session, "offer-to-accept", session.getLong("offerAt"), System.currentTimeMillis())
                            .remove("answer").remove("offerId"))
                        .exec(Timings.report()))
                .doIf(session -> "decline".equals(session.getString("answer"))).then(
                    exec(ws("queue.offer.decline").sendText(Messages.offerAnswer(Messages.OFFER_DECLINE, "decline")).await(REPLY_TIMEOUT)
                        .on(reply(Messages.OFFER_DECLINED, "decline").check(outcome().is(Messages.OFFER_DECLINED))))
                        .exec(session -> session.remove("answer").remove("offerId")))
                // A rung-out offer counts toward "not responding"; the clerk says they are back.
                .doIf(session -> session.contains("rungOut")).then(
                    exec(clerkState("available")).exec(session -> session.remove("rungOut")))
                .doIf(session -> session.contains("callEnded")).then(
                    exec(ws("wrapup.done").sendText(Messages.wrapUp("wrapup")).await(REPLY_TIMEOUT)
                        .on(reply("clerk.state after wrap-up", "wrapup").check(outcome().is(Messages.CLERK_STATE))))
                        .exec(session -> session.remove("callId").remove("callEnded"))))
        .exec(clerkState("offline"));
  }

  private ChainBuilder clerkState(String state) {
    return exec(ws("clerk.state " + state).sendText(Messages.clerkState(state, state)).await(REPLY_TIMEOUT)
        .on(reply("clerk.state " + state + " reply", state).check(outcome().is(Messages.CLERK_STATE))));
  }

  private Session clerkPushes(List<WsInboundMessage> messages, Session session) {
    for (WsInboundMessage inbound : messages) {
      if (!(inbound instanceof WsInboundMessage.Text text)) {
        continue;
      }
      JsonNode message = parse(text.message());
      switch (message.path("type").asText()) {
        case Messages.OFFER -> {
          long arrived = text.timestamp();
          Long span = joinsAndOffers.offered(message.path("contactId").asText(), arrived).orElse(null);
          if (span != null) {
            session = Timings.add(session, "enqueue-to-offer", arrived - span, arrived);
          }
          double draw = ThreadLocalRandom.current().nextDouble();
          String answer = draw < profile.declineShare() ? "decline"
              : draw < profile.declineShare() + profile.ringOutShare() ? "ring out" : "accept";
          session = session.set("offerId", message.path("offerId").asText()).set("offerAt", arrived).set("answer", answer);
        }
        case Messages.OFFER_REVOKED -> {
          if (message.path("offerId").asText().equals(session.getString("offerId"))) {
            session = session.remove("offerId").remove("answer");
            if (message.path("reason").asText().equals("timeout")) {
              session = session.set("rungOut", true);
            }
          }
        }
        case Messages.CALL_STARTED -> {
          if (session.contains("acceptSentAt") && message.path("callId").asText().equals(session.getString("callId"))) {
            session = Timings.add(session, "accept-to-call-started", session.getLong("acceptSentAt"), text.timestamp())
                .remove("acceptSentAt");
          }
        }
        case Messages.CALL_ENDED -> {
          if (message.path("callId").asText().equals(session.getString("callId"))) {
            session = session.set("callEnded", true);
          }
        }
        default -> { }
      }
    }
    return session;
  }

  // ---- supervisors: the wallboard

  private ChainBuilder supervisorDuty() {
    return exec(ws("wallboard.subscribe").sendText(Messages.request(Messages.WALLBOARD_SUBSCRIBE, "wallboard")).await(REPLY_TIMEOUT)
            .on(reply(Messages.WALLBOARD_SNAPSHOT, "wallboard").check(outcome().is(Messages.WALLBOARD_SNAPSHOT),
                bodyString().saveAs("snapshot"))))
        .exec(session -> {
          Map<String, Long> seen = new HashMap<>();
          changedClerks(parse(session.getString("snapshot")), seen);
          return session.set("clerksSince", seen).remove("snapshot");
        })
        .asLongAs(this::onDuty).on(
            pause(SUPERVISOR_LOOK).exec(ws.processUnmatchedMessages(this::wallboardPushes)).exec(Timings.report()));
  }

  private Session wallboardPushes(List<WsInboundMessage> messages, Session session) {
    Map<String, Long> seen = session.get("clerksSince");
    for (WsInboundMessage inbound : messages) {
      if (inbound instanceof WsInboundMessage.Text text && text.message().contains(Messages.WALLBOARD_SNAPSHOT)) {
        JsonNode message = parse(text.message());
        if (message.path("type").asText().equals(Messages.WALLBOARD_SNAPSHOT)) {
          List<Long> changes = changedClerks(message, seen);
          if (!changes.isEmpty()) {
            long oldest = changes.stream().mapToLong(Long::longValue).min().orElseThrow();
            session = Timings.add(session, "wallboard update delay", oldest, text.timestamp());
          }
        }
      }
    }
    return session;
  }

  /** The {@code sinceEpochMillis} of every clerk row that changed since the last wallboard; remembers them. */
  private static List<Long> changedClerks(JsonNode wallboard, Map<String, Long> seen) {
    List<Long> changes = new ArrayList<>();
    for (JsonNode clerk : wallboard.path("clerks")) {
      long since = clerk.path("sinceEpochMillis").asLong();
      Long before = seen.put(clerk.path("clerkId").asText(), since);
      if (before != null && before != since) {
        changes.add(since);
      }
    }
    return changes;
  }

  // ---- visitors: sessions only (hello, heartbeats, resume)

  private ScenarioBuilder visitors() {
    return scenario("visitors")
        .exec(http("visit").post(Messages.VISITS).check(status().is(201), jsonPath("$.token").saveAs("visitToken")))
        .exec(ws("connect").connect(Messages.WEBSOCKET))
        .exec(ws("citizen hello").sendText(Messages.citizenHello("hello")).await(REPLY_TIMEOUT)
            .on(sessionStarted("citizen welcome", "hello", Messages.WELCOME)))
        .exec(session -> session.set("holdSeconds", holdSeconds()))
        .exec(randomSwitchOrElse().on(
                percent(100 * profile.abandonShare()).then(hold(0.1)),
                percent(100 * profile.resumeShare()).then(hold(0.5)
                    .exec(ws("lose connection").close())
                    .exec(ws("reconnect").connect(Messages.WEBSOCKET))
                    .exec(ws("resume").sendText(Messages.resume("resume")).await(REPLY_TIMEOUT)
                        .on(sessionStarted("resumed", "resume", Messages.RESUMED)))
                    .exec(hold(0.5))))
            .orElse(hold(1.0)))
        .exec(ws("leave").close());
  }

  /** Stays connected for the given share of the drawn hold time, pinging every heartbeat. */
  private static ChainBuilder hold(double share) {
    return during(session -> Duration.ofMillis((long) (share * session.getLong("holdSeconds") * 1000))).on(heartbeat());
  }

  private static ChainBuilder heartbeat() {
    return pace(HEARTBEAT).exec(session -> session.set("pingId", "ping-" + ThreadLocalRandom.current().nextLong()))
        .exec(ws("ping").sendText(Messages.request(Messages.PING, "#{pingId}")).await(REPLY_TIMEOUT)
            .on(ws.checkTextMessage(Messages.PONG).matching(jsonPath("$.ref").isEL("#{pingId}"))
                .check(outcome().is(Messages.PONG))));
  }

  // ---- staff and the node

  /** Staff sign in (the session cookie rides on the upgrade), say hello, do their duty, leave. */
  private ScenarioBuilder staff(String name, List<Target.Staff> accounts, ChainBuilder duty) {
    List<Map<String, Object>> records = accounts.stream()
        .map(staff -> Map.<String, Object>of("username", staff.username(), "password", staff.password())).toList();
    return scenario(name)
        .feed(listFeeder(records).queue())
        .exec(http("sign in").post(Messages.LOGIN)
            .body(StringBody("{\"username\":\"#{username}\",\"password\":\"#{password}\"}"))
            .check(status().is(200), headerRegex("Set-Cookie", Messages.SESSION_COOKIE + "=([^;]+)").saveAs("sessionId")))
        .exec(ws("connect").connect(Messages.WEBSOCKET).header("Cookie", Messages.SESSION_COOKIE + "=#{sessionId}"))
        .exec(ws("staff hello").sendText(Messages.staffHello("hello")).await(REPLY_TIMEOUT)
            .on(sessionStarted("staff welcome", "hello", Messages.WELCOME)))
        .exec(session -> session.set("shiftEnds", System.currentTimeMillis() + profile.shift().toMillis()))
        .exec(duty)
        .exec(ws("leave").close());
  }

  private ScenarioBuilder nodeWatch() {
    return scenario("node")
        .exec(session -> session.set("shiftEnds", System.currentTimeMillis() + profile.shift().toMillis()))
        .asLongAs(this::onDuty).on(pace(Duration.ofSeconds(10)).exec(http("node metrics").get("/metrics")
            .header("Accept", "text/plain")
            .check(status().is(200),
                // Micrometer's jvm_memory_used_bytes per heap pool, summed (in-process, the heap is shared with Gatling).
                regex("jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\} ([0-9.Ee+-]+)").findAll()
                    .transform(pools -> pools.stream().mapToDouble(Double::parseDouble).sum())
                    .lte(HEAP_LIMIT_BYTES))));
  }

  /** Until the shift ends, or every citizen of the profile is done (then the visitors' holds are over too). */
  private boolean onDuty(Session session) {
    boolean citizensLeft = profile.citizensInjected() == 0 || citizensDone.get() < profile.citizensInjected();
    return citizensLeft && System.currentTimeMillis() < session.getLong("shiftEnds");
  }

  // ---- shared

  /** The reply's type, or for an error its code and message, so a failed check says what the node answered. */
  private static io.gatling.javaapi.core.CheckBuilder.Validate<String> outcome() {
    return bodyString().transform(body -> {
      JsonNode reply = parse(body);
      String type = reply.path("type").asText();
      return type.equals(Messages.ERROR) ? "error " + reply.path("code").asText() + ": " + reply.path("message").asText() : type;
    });
  }

  /** The reply to request {@code id}: an error reply fails the check on its type. */
  private static WsFrameCheck.Text reply(String timing, String id) {
    return ws.checkTextMessage(timing).matching(jsonPath("$.ref").is(id));
  }

  /** The reply to hello or resume: the expected type (an error fails the check) and the next resume token. */
  private static WsFrameCheck.Text sessionStarted(String timing, String ref, String type) {
    return ws.checkTextMessage(timing).matching(jsonPath("$.ref").is(ref))
        .check(jsonPath("$.type").is(type), jsonPath("$.resumeToken").saveAs("resumeToken"));
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Handle time: the profile's minimum plus an exponential tail with the profile's mean, cut at four means. */
  private long holdSeconds() {
    double tail = -profile.handleSeconds() * Math.log(1 - ThreadLocalRandom.current().nextDouble());
    return profile.minHoldSeconds() + Math.round(Math.min(tail, 4.0 * profile.handleSeconds()));
  }

  private OpenInjectionStep[] citizenArrivals() {
    Duration ramp = Duration.ofSeconds(Math.max(1, profile.rampSeconds()));
    Duration steady = Duration.ofSeconds(Math.max(1, profile.steadySeconds()));
    OpenInjectionStep signIn = nothingFor(Duration.ofSeconds(profile.staffSignInSeconds()));
    return switch (profile.name()) {
      case "soak", "routing" -> new OpenInjectionStep[] {signIn, constantUsersPerSec(profile.arrivalsPerSecond()).during(steady)};
      case "spike" -> new OpenInjectionStep[] {signIn,
          constantUsersPerSec(profile.arrivalsPerSecond()).during(steady),
          rampUsers(profile.citizens()).during(ramp),
          constantUsersPerSec(profile.arrivalsPerSecond()).during(steady)};
      default -> new OpenInjectionStep[] {signIn, rampUsers(profile.citizens()).during(ramp)};
    };
  }

  private Assertion[] assertions() {
    List<Assertion> assertions = new ArrayList<>();
    assertions.add(global().failedRequests().percent().is(0.0));
    Function<String, Assertion> ack = name -> details(name).responseTime().percentile(99.0).lt(profile.ackP99Millis());
    assertions.add(ack.apply("visit"));
    assertions.add(ack.apply("citizen welcome"));
    if (profile.visitors() > 0) {
      assertions.add(ack.apply("pong"));
    }
    if (profile.clerks() + profile.supervisors() > 0) {
      assertions.add(ack.apply("staff welcome"));
    }
    if (profile.citizensInjected() > 0) {
      assertions.add(ack.apply("queue.joined"));
    }
    if (profile.citizensInjected() > 0 && profile.clerks() > 0) {
      // Every flow happened at least once: calls were offered, taken, confirmed and ended.
      for (String flow : List.of("enqueue-to-offer", Messages.OFFER_ACCEPTED, Messages.CASE_CONFIRMED, Messages.CALL_ENDED)) {
        assertions.add(details(flow).allRequests().count().gt(0L));
      }
    }
    if (profile.offerP99Millis() > 0 && profile.clerks() > 0) {
      assertions.add(details("enqueue-to-offer").responseTime().percentile(99.0).lt(profile.offerP99Millis()));
    }
    if (profile.supervisors() > 0 && profile.clerks() > 0) {
      assertions.add(details("wallboard update delay").responseTime().percentile(99.0).lt(profile.wallboardP99Millis()));
    }
    return assertions.toArray(Assertion[]::new);
  }
}
