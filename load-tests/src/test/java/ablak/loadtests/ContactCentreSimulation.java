package ablak.loadtests;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.CheckBuilder;
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
 *       the wallboard push showing it, the oldest change of each push;
 *   <li>with {@code -Dmedia=true}, {@code accept-to-media-ready}: queue.offer.accept sent → the
 *       participant's synthetic peer decrypts the first packet the SFU forwarded from the other one
 *       ({@link WhipPublishers}), for citizen and clerk alike.
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
  /** How long a citizen waits for the call's media before giving up on it (and talking anyway). */
  private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration MEDIA_LOOK = Duration.ofMillis(100);
  private static final String PUBLISHER = "publisher";
  private static final String PUBLISHERS = "publishers";
  private static final double HEAP_LIMIT_BYTES = 1024.0 * 1024 * 1024;
  private static final List<String> SKILLS = List.of("driving-licences", "identity-documents", "passports", "registry", "vehicles");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Profile profile = Profile.fromSystemProperties();
  private final Target target = Target.resolve(profile.offerTimeoutSeconds());
  private final Rendezvous joinsAndOffers = new Rendezvous();
  /** Citizens done with the queue; when all are, staff and the node watch stop before their shift ends. */
  private final AtomicInteger citizensDone = new AtomicInteger();
  /** The calls' synthetic media, with -Dmedia=true. */
  private final WhipPublishers media = profile.media() ? new WhipPublishers() : null;

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
        .maxDuration(maxDuration())
        .assertions(assertions());
  }

  @Override
  public void after() {
    if (media != null) {
      System.out.println("media: " + media.packetsSent() + " RTP packets sent by the synthetic participants; the node's counters:");
      target.metrics().lines().filter(line -> line.matches("ablak_media_(packets_(forwarded|dropped|received)|dtls_failures)_total.*"))
          .forEach(line -> System.out.println("  " + line));
      media.close();
    }
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
        // A citizen whose visit or case failed (already counted as an error) goes no further.
        .doIf(session -> !session.isFailed()).then(journey())
        .exec(session -> {
          citizensDone.incrementAndGet();
          return session;
        });
  }

  private ChainBuilder journey() {
    return exec(ws("connect").connect(Messages.WEBSOCKET))
        .exec(ws("citizen hello").sendText(Messages.citizenHello("hello")).await(REPLY_TIMEOUT)
            .on(sessionStarted("citizen welcome", "hello", Messages.WELCOME)))
        .exec(session -> {
          boolean abandons = ThreadLocalRandom.current().nextDouble() < profile.abandonShare();
          return session.set("patienceMillis", 1000L * (abandons ? profile.patienceSeconds() : profile.maxWaitSeconds()))
              .set("joinSentAt", System.currentTimeMillis());
        })
        .exec(request(Messages.QUEUE_JOIN, Messages.QUEUE_JOINED, Messages::join, CITIZEN_LOOK, this::citizenPush))
        .doIf(ContactCentreSimulation::replied).then(
            exec(session -> {
              long joinSentAt = session.getLong("joinSentAt");
              String contactId = session.<JsonNode>get(REPLY).path("contactId").asText();
              Session joined = session.set("contactId", contactId).set("waitUntil", joinSentAt + session.getLong("patienceMillis"));
              return joinsAndOffers.joined(contactId, joinSentAt)
                  .map(span -> Timings.add(joined, "enqueue-to-offer", joinSentAt, joinSentAt + span)).orElse(joined);
            })
            .exec(Timings.report())
            // With media a citizen takes call.started within MEDIA_LOOK, as a browser would at once: its look interval is not media-ready's.
            .asLongAs(session -> !session.contains("callId") && System.currentTimeMillis() < session.getLong("waitUntil")).on(
                look(media == null ? CITIZEN_LOOK : MEDIA_LOOK, this::citizenPush))
            .doIfOrElse(session -> session.contains("callId")).then(inCall()).orElse(leaveQueue())
            .exec(session -> {
              joinsAndOffers.forget(session.getString("contactId"));
              return session;
            }))
        .exec(ws("leave").close());
  }

  /** Talks for the drawn handle time, confirms the case, ends the call. */
  private ChainBuilder inCall() {
    ChainBuilder talk = pause(session -> Duration.ofSeconds(holdSeconds()))
        .exec(request(Messages.CASE_CONFIRM, Messages.CASE_CONFIRMED, Messages::confirm, CITIZEN_LOOK, this::citizenPush));
    ChainBuilder hangUp =
        request(Messages.CALL_END, Messages.CALL_ENDED, id -> Messages.call(Messages.CALL_END, id), CITIZEN_LOOK, this::citizenPush);
    return media == null ? talk.exec(hangUp) : startMedia().exec(talk).exec(stopMedia()).exec(hangUp).exec(awaitMediaStopped());
  }

  /** Publishes into the call and waits until media flows: people start talking when they see each other. */
  private ChainBuilder startMedia() {
    return exec(session -> session.set(PUBLISHER, publish(session)).set("mediaSince", System.currentTimeMillis()))
        .asLongAs(session -> !session.<WhipPublishers.Publisher>get(PUBLISHER).settled()
            && System.currentTimeMillis() < session.getLong("mediaSince") + MEDIA_TIMEOUT.toMillis())
        .on(look(MEDIA_LOOK, this::citizenPush))
        .exec(session -> {
          WhipPublishers.Publisher publisher = session.get(PUBLISHER);
          if (!publisher.settled()) {
            publisher.timedOut(session.getLong("mediaSince"), System.currentTimeMillis());
          }
          return drain(session, publisher);
        })
        .exec(Timings.report());
  }

  /** Hanging up closes the page's media first, as a browser does; the WHIP session is DELETEd meanwhile. */
  private ChainBuilder stopMedia() {
    return exec(session -> {
      session.<WhipPublishers.Publisher>get(PUBLISHER).stop();
      return session.set("mediaSince", System.currentTimeMillis());
    });
  }

  private ChainBuilder awaitMediaStopped() {
    return asLongAs(session -> !session.<WhipPublishers.Publisher>get(PUBLISHER).finished()
            && System.currentTimeMillis() < session.getLong("mediaSince") + REPLY_TIMEOUT.toMillis())
        .on(pause(MEDIA_LOOK))
        .exec(session -> drain(session, session.get(PUBLISHER)).remove(PUBLISHER))
        .exec(Timings.report());
  }

  /** Starts publishing into the call whose call.started this user last read. */
  private WhipPublishers.Publisher publish(Session session) {
    JsonNode grant = session.get("mediaGrant");
    return media.publish(session.getString("callId"), grant.path("whipUrl").asText(), grant.path("token").asText());
  }

  private static Session drain(Session session, WhipPublishers.Publisher publisher) {
    for (Timings.Timing timing : publisher.drain()) {
      session = Timings.add(session, timing);
    }
    return session;
  }

  /**
   * Gives up waiting. A clerk may have taken the call in the meantime: then the node answers
   * {@code invalid_state}, the call.started push is read, and the citizen ends the call at once.
   */
  private ChainBuilder leaveQueue() {
    return exec(request(Messages.QUEUE_LEAVE, Messages.QUEUE_LEFT, id -> Messages.request(Messages.QUEUE_LEAVE, id), CITIZEN_LOOK,
            this::citizenPush, "invalid_state"))
        .doIf(session -> !replied(session)).then(
            asLongAs(session -> !session.contains("callId") && System.currentTimeMillis() < session.getLong(SENT_AT) + REPLY_TIMEOUT.toMillis())
                .on(look(CITIZEN_LOOK, this::citizenPush))
                .doIf(session -> session.contains("callId")).then(
                    exec(request(Messages.CALL_END, Messages.CALL_ENDED, id -> Messages.call(Messages.CALL_END, id), CITIZEN_LOOK,
                        this::citizenPush))));
  }

  private Session citizenPush(JsonNode message, long arrived, Session session) {
    return switch (message.path("type").asText()) {
      case Messages.QUEUE_POSITION -> session.contains("positionSeen") ? session
          : Timings.add(session, "join-to-position-update", session.getLong("joinSentAt"), arrived).set("positionSeen", true);
      case Messages.CALL_STARTED -> session.set("callId", message.path("callId").asText()).set("mediaGrant", message.path("media"));
      default -> session;
    };
  }

  // ---- clerks: offers, calls, wrap-up

  private ChainBuilder clerkDuty() {
    return exec(clerkState("available"))
        // A clerk whose last call is ending finishes its wrap-up before going offline.
        .asLongAs(session -> onDuty(session) || session.contains("callId") || !publishers(session).isEmpty()).on(
            look(CLERK_LOOK, this::clerkPush)
                .exec(this::drainClerkMedia)
                .exec(Timings.report())
                .doIf(session -> "accept".equals(session.getString("answer"))).then(
                    exec(request(Messages.OFFER_ACCEPT, Messages.OFFER_ACCEPTED, id -> Messages.offerAnswer(Messages.OFFER_ACCEPT, id),
                        CLERK_LOOK, this::clerkPush, OFFER_GONE))
                        .exec(session -> {
                          Session answered = session.remove("answer").remove("offerId");
                          if (!replied(session)) {
                            return answered;
                          }
                          String callId = session.<JsonNode>get(REPLY).path("callId").asText();
                          if (media != null) {
                            media.accepted(callId, session.getLong(SENT_AT));
                          }
                          Session accepted = Timings.add(answered, "offer-to-accept", session.getLong("offerAt"), session.getLong(REPLIED_AT))
                              .set("callId", callId);
                          return session.contains("callStartedSeen") ? accepted.remove("callStartedSeen")
                              : accepted.set("acceptSentAt", session.getLong(SENT_AT));
                        })
                        .exec(Timings.report()))
                .doIf(session -> "decline".equals(session.getString("answer"))).then(
                    exec(request(Messages.OFFER_DECLINE, Messages.OFFER_DECLINED, id -> Messages.offerAnswer(Messages.OFFER_DECLINE, id),
                        CLERK_LOOK, this::clerkPush, OFFER_GONE))
                        .exec(session -> session.remove("answer").remove("offerId")))
                // A rung-out offer counts toward "not responding"; the clerk says they are back.
                .doIf(session -> session.contains("rungOut")).then(
                    exec(session -> session.remove("rungOut")).exec(clerkState("available")))
                .doIf(session -> session.contains("callEnded")).then(
                    exec(request(Messages.WRAPUP_DONE, "clerk.state after wrap-up", Messages.CLERK_STATE, Messages::wrapUp, CLERK_LOOK,
                        this::clerkPush))
                        .exec(session -> session.remove("callId").remove("callEnded"))))
        .exec(clerkState("offline"));
  }

  private ChainBuilder clerkState(String state) {
    return request("clerk.state " + state, "clerk.state " + state + " reply", Messages.CLERK_STATE,
        id -> Messages.clerkState(id, state), CLERK_LOOK, this::clerkPush);
  }

  private Session clerkPush(JsonNode message, long arrived, Session session) {
    switch (message.path("type").asText()) {
      case Messages.OFFER -> {
        Long span = joinsAndOffers.offered(message.path("contactId").asText(), arrived).orElse(null);
        if (span != null) {
          session = Timings.add(session, "enqueue-to-offer", arrived - span, arrived);
        }
        double draw = ThreadLocalRandom.current().nextDouble();
        String answer = draw < profile.declineShare() ? "decline"
            : draw < profile.declineShare() + profile.ringOutShare() ? "ring out" : "accept";
        return session.set("offerId", message.path("offerId").asText()).set("offerAt", arrived).set("answer", answer);
      }
      case Messages.OFFER_REVOKED -> {
        if (message.path("offerId").asText().equals(session.getString("offerId"))) {
          session = session.remove("offerId").remove("answer");
          if (message.path("reason").asText().equals("timeout")) {
            session = session.set("rungOut", true);
          }
        }
        return session;
      }
      case Messages.CALL_STARTED -> {
        if (media != null) {
          List<WhipPublishers.Publisher> publishers = new ArrayList<>(publishers(session));
          publishers.add(media.publish(message.path("callId").asText(), message.path("media").path("whipUrl").asText(),
              message.path("media").path("token").asText()));
          session = session.set(PUBLISHERS, publishers);
        }
        // It may come before the reply to the accept (read in the same look): then the accept is still awaited.
        Awaited awaited = session.contains(AWAITED) ? session.get(AWAITED) : null;
        if (awaited != null && awaited.type().equals(Messages.OFFER_ACCEPTED)) {
          return Timings.add(session, "accept-to-call-started", session.getLong(SENT_AT), arrived).set("callStartedSeen", true);
        }
        return session.contains("acceptSentAt")
            ? Timings.add(session, "accept-to-call-started", session.getLong("acceptSentAt"), arrived).remove("acceptSentAt")
            : session;
      }
      case Messages.CALL_ENDED -> {
        String callId = message.path("callId").asText();
        publishers(session).stream().filter(publisher -> publisher.callId.equals(callId)).forEach(WhipPublishers.Publisher::stop);
        return callId.equals(session.getString("callId")) ? session.set("callEnded", true) : session;
      }
      default -> {
        return session;
      }
    }
  }

  /** The clerk's media publishers whose outcomes are not all reported yet. */
  private static List<WhipPublishers.Publisher> publishers(Session session) {
    return session.contains(PUBLISHERS) ? session.get(PUBLISHERS) : List.of();
  }

  /** Reports what the clerk's publishers did since the last look; forgets those that are done. */
  private Session drainClerkMedia(Session session) {
    List<WhipPublishers.Publisher> publishers = publishers(session);
    for (WhipPublishers.Publisher publisher : publishers) {
      session = drain(session, publisher);
    }
    List<WhipPublishers.Publisher> left = publishers.stream().filter(publisher -> !publisher.finished()).toList();
    return left.size() == publishers.size() ? session : session.set(PUBLISHERS, left);
  }

  // ---- supervisors: the wallboard

  private ChainBuilder supervisorDuty() {
    return exec(request(Messages.WALLBOARD_SUBSCRIBE, Messages.WALLBOARD_SNAPSHOT, id -> Messages.request(Messages.WALLBOARD_SUBSCRIBE, id),
            SUPERVISOR_LOOK, this::wallboardPush))
        .exec(session -> {
          Map<String, Long> seen = new HashMap<>();
          if (replied(session)) {
            changedClerks(session.get(REPLY), seen);
          }
          return session.set("clerksSince", seen);
        })
        .asLongAs(this::onDuty).on(look(SUPERVISOR_LOOK, this::wallboardPush));
  }

  private Session wallboardPush(JsonNode message, long arrived, Session session) {
    if (!message.path("type").asText().equals(Messages.WALLBOARD_SNAPSHOT) || !session.contains("clerksSince")) {
      return session;
    }
    List<Long> changes = changedClerks(message, session.get("clerksSince"));
    return changes.isEmpty() ? session
        : Timings.add(session, "wallboard update delay", changes.stream().mapToLong(Long::longValue).min().orElseThrow(), arrived);
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

  // ---- requests and pushes, both read from the buffer

  /** What a user does with one push: the message, its arrival time, the session before. */
  @FunctionalInterface
  private interface PushHandler {
    Session handle(JsonNode message, long arrived, Session session);
  }

  private static final String REQUEST_ID = "requestId";
  private static final String SENT_AT = "requestSentAt";
  private static final String REPLY = "reply";
  private static final String REPLIED_AT = "repliedAt";
  private static final String AWAITED = "awaited";
  /*
   * The node's answer to an accept or decline that crossed the offer's end: the citizen left the queue
   * (queue.offer.revoked "abandoned" comes meanwhile) or it rang out. Citizens who wait to their limit
   * are offered just as they give up whenever the queue's wait reaches that limit (soak), so this
   * race is part of the load, like the citizen's invalid_state when a leave crosses an accept.
   */
  private static final String OFFER_GONE = "offer_expired";

  /** A request waiting for its reply: what to call its timing, the type that means success, error codes that are expected. */
  private record Awaited(String id, String timing, String type, List<String> acceptedErrors) {}

  private ChainBuilder request(String type, String replyType, Function<String, String> message, Duration look, PushHandler pushes) {
    return request(type, replyType, replyType, message, look, pushes);
  }

  private ChainBuilder request(String type, String replyType, Function<String, String> message, Duration look, PushHandler pushes,
      String acceptedError) {
    return request(type, replyType, replyType, message, look, pushes, List.of(acceptedError));
  }

  private ChainBuilder request(String type, String timing, String replyType, Function<String, String> message, Duration look,
      PushHandler pushes) {
    return request(type, timing, replyType, message, look, pushes, List.of());
  }

  /**
   * Sends a request and waits for its reply, reading replies and pushes alike from Gatling's buffer
   * of unmatched messages. Gatling drops a message that arrives while a check awaits another one,
   * so awaiting replies with checks would lose the offers, calls and positions pushed meanwhile.
   * The reply's timing (send to arrival) is reported under {@code timing}: an error reply or none
   * within {@link #REPLY_TIMEOUT} fails it, except an error code listed as accepted. Afterwards
   * {@link #replied} tells whether the expected reply came; it is in the session as {@code reply}.
   */
  private ChainBuilder request(String type, String timing, String replyType, Function<String, String> message, Duration look,
      PushHandler pushes, List<String> acceptedErrors) {
    return exec(session -> {
          String id = type + "-" + ThreadLocalRandom.current().nextInt(1 << 30);
          return session.set(REQUEST_ID, id).set(SENT_AT, System.currentTimeMillis()).remove(REPLY).remove(REPLIED_AT)
              .set(AWAITED, new Awaited(id, timing, replyType, acceptedErrors));
        })
        .exec(ws(type).sendText(message.apply("#{" + REQUEST_ID + "}")))
        .asLongAs(session -> session.contains(AWAITED) && System.currentTimeMillis() < session.getLong(SENT_AT) + REPLY_TIMEOUT.toMillis())
        .on(look(look, pushes))
        .exec(session -> session.contains(AWAITED)
            ? Timings.fail(session.remove(AWAITED), timing, session.getLong(SENT_AT), System.currentTimeMillis(),
                "no reply within " + REPLY_TIMEOUT.toSeconds() + " s")
            : session)
        .exec(Timings.report());
  }

  /** Whether the last request got the reply it expected. */
  private static boolean replied(Session session) {
    return session.contains(REPLY);
  }

  /** Waits a little, then reads what arrived: the awaited reply, if any, and pushes. */
  private ChainBuilder look(Duration interval, PushHandler pushes) {
    return pause(interval)
        .exec(ws.processUnmatchedMessages((messages, session) -> read(messages, session, pushes)))
        .exec(Timings.report());
  }

  private static Session read(List<WsInboundMessage> messages, Session session, PushHandler pushes) {
    for (WsInboundMessage inbound : messages) {
      if (!(inbound instanceof WsInboundMessage.Text text)) {
        continue;
      }
      JsonNode message = parse(text.message());
      Awaited awaited = session.contains(AWAITED) ? session.get(AWAITED) : null;
      if (awaited != null && message.path("ref").asText().equals(awaited.id())) {
        session = reply(session, awaited, message, text.timestamp());
      } else {
        session = pushes.handle(message, text.timestamp(), session);
      }
    }
    return session;
  }

  private static Session reply(Session session, Awaited awaited, JsonNode message, long arrived) {
    Session answered = session.remove(AWAITED).set(REPLIED_AT, arrived);
    String type = message.path("type").asText();
    if (type.equals(awaited.type())) {
      return Timings.add(answered.set(REPLY, message), awaited.timing(), session.getLong(SENT_AT), arrived);
    }
    String code = message.path("code").asText();
    if (type.equals(Messages.ERROR) && awaited.acceptedErrors().contains(code)) {
      return Timings.add(answered, awaited.timing(), session.getLong(SENT_AT), arrived);
    }
    return Timings.fail(answered, awaited.timing(), session.getLong(SENT_AT), arrived,
        type.equals(Messages.ERROR) ? "error " + code + ": " + message.path("message").asText() : "unexpected " + type);
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

  /** Stays connected for the given share of the drawn hold time, pinging every heartbeat (or once, in a shorter hold). */
  private static ChainBuilder hold(double share) {
    return exec(session -> session.set("holdMillis", (long) (share * session.getLong("holdSeconds") * 1000)))
        .during(session -> Duration.ofMillis(session.getLong("holdMillis"))).on(heartbeat());
  }

  private static ChainBuilder heartbeat() {
    return pace(session -> Duration.ofMillis(Math.max(1, Math.min(HEARTBEAT.toMillis(), session.getLong("holdMillis")))))
        .exec(session -> session.set("pingId", "ping-" + ThreadLocalRandom.current().nextLong()))
        .exec(ws("ping").sendText(Messages.request(Messages.PING, "#{pingId}")).await(REPLY_TIMEOUT)
            .on(ws.checkTextMessage(Messages.PONG).matching(jsonPath("$.ref").isEL("#{pingId}"))
                .check(jsonPath("$.type").is(Messages.PONG))));
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
    List<CheckBuilder> checks = new ArrayList<>(List.of(status().is(200),
        // Micrometer's jvm_memory_used_bytes per heap pool, summed (in-process, the heap is shared with Gatling).
        regex("jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\} ([0-9.Ee+-]+)").findAll()
            .transform(pools -> pools.stream().mapToDouble(Double::parseDouble).sum())
            .lte(HEAP_LIMIT_BYTES)));
    if (media != null) {
      // The synthetic participants speak correct DTLS-SRTP: any packet the SFU fails to authenticate is an error.
      checks.add(regex("ablak_media_packets_dropped_total\\{reason=\"srtp-auth\"\\} ([0-9.Ee+-]+)").transform(Double::parseDouble).is(0.0));
      checks.add(regex("ablak_media_dtls_failures_total ([0-9.Ee+-]+)").transform(Double::parseDouble).is(0.0));
    }
    return scenario("node")
        .exec(session -> session.set("shiftEnds", System.currentTimeMillis() + profile.shift().toMillis()))
        .asLongAs(this::onDuty).on(pace(Duration.ofSeconds(5)).exec(http("node metrics").get("/metrics")
            .header("Accept", "text/plain")
            .check(checks)));
  }

  /** Until the shift ends, or every citizen of the profile is done (then the visitors' holds are over too). */
  private boolean onDuty(Session session) {
    boolean citizensLeft = profile.citizensInjected() == 0 || citizensDone.get() < profile.citizensInjected();
    return citizensLeft && System.currentTimeMillis() < session.getLong("shiftEnds");
  }

  // ---- shared

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

  /**
   * The shift plus two minutes, or {@code -DmaxDurationSeconds}: at its own shape a soak ends only when
   * its last call does (up to four mean handle times after the last arrival, over an hour), so a
   * shorter run is cut there, still with its report and assertions.
   */
  private Duration maxDuration() {
    return Duration.ofSeconds(Long.getLong("maxDurationSeconds", profile.shift().plusMinutes(2).toSeconds()));
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
    if (media != null && profile.citizensInjected() > 0 && profile.clerks() > 0) {
      assertions.add(details(WhipPublishers.MEDIA_READY).allRequests().count().gt(0L));
      assertions.add(details(WhipPublishers.MEDIA_READY).responseTime().percentile(99.0).lt(profile.mediaReadyP99Millis()));
    }
    if (profile.supervisors() > 0 && profile.clerks() > 0) {
      assertions.add(details("wallboard update delay").responseTime().percentile(99.0).lt(profile.wallboardP99Millis()));
    }
    return assertions.toArray(Assertion[]::new);
  }
}
