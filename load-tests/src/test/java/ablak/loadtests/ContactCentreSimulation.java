package ablak.loadtests;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.WsFrameCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Citizens, clerks and supervisors on one node, over the real WebSocket protocol and REST API.
 * The load shape is the {@link Profile} named by {@code -Dprofile}; the assertions turn a run into
 * pass or fail: no errors, acknowledgements within the profile's p99, node heap under 1 GiB.
 */
public class ContactCentreSimulation extends Simulation {

  /** The server's heartbeat (docs/protocol.md, "Heartbeats"): a client checking liveness sends `ping` this often. */
  private static final Duration HEARTBEAT = Duration.ofSeconds(20);
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
  private static final double HEAP_LIMIT_BYTES = 1024.0 * 1024 * 1024;
  /**
   * Timings of a user's action until its acknowledgement, asserted at the profile's p99. A WebSocket
   * round trip is reported under the name of the check that awaits the reply (the send itself takes 0 ms).
   */
  private static final List<String> ACKNOWLEDGEMENTS = List.of("visit", "citizen welcome", "staff welcome", "pong");

  private final Profile profile = Profile.fromSystemProperties();
  private final Target target = Target.resolve();

  {
    HttpProtocolBuilder protocol = http
        .baseUrl(target.baseUrl())
        .wsBaseUrl(target.webSocketBaseUrl())
        .contentTypeHeader("application/json")
        .acceptHeader("application/json")
        // One pool for REST: 10,000 citizens would otherwise keep 10,000 idle keep-alive sockets beside their WebSockets.
        .shareConnections();

    ScenarioBuilder citizens = scenario("citizens")
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

    ScenarioBuilder nodeWatch = scenario("node")
        .during(profile.shift()).on(pace(Duration.ofSeconds(10)).exec(http("node metrics").get("/metrics")
            .header("Accept", "text/plain")
            .check(status().is(200),
                // Micrometer's jvm_memory_used_bytes per heap pool, summed (in-process, the heap is shared with Gatling).
                regex("jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\} ([0-9.Ee+-]+)").findAll()
                    .transform(pools -> pools.stream().mapToDouble(Double::parseDouble).sum())
                    .lte(HEAP_LIMIT_BYTES))));

    setUp(
        citizens.injectOpen(citizenArrivals()),
        staff("clerks", target.createStaff("clerk", profile.clerks()))
            .injectOpen(rampUsers(profile.clerks()).during(Duration.ofSeconds(profile.staffSignInSeconds()))),
        staff("supervisors", target.createStaff("supervisor", profile.supervisors()))
            .injectOpen(atOnceUsers(profile.supervisors())),
        nodeWatch.injectOpen(atOnceUsers(1)))
        .protocols(protocol)
        .maxDuration(profile.shift().plusMinutes(2))
        .assertions(assertions());
  }

  @Override
  public void after() {
    target.close();
  }

  /** Staff sign in (the session cookie rides on the upgrade), say hello and stay connected for the shift. */
  private ScenarioBuilder staff(String name, List<Target.Staff> accounts) {
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
        .during(profile.shift()).on(heartbeat())
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
                .check(jsonPath("$.type").is(Messages.PONG))));
  }

  /** The reply to hello or resume: the expected type (an error fails the check) and the next resume token. */
  private static WsFrameCheck.Text sessionStarted(String timing, String ref, String type) {
    return ws.checkTextMessage(timing).matching(jsonPath("$.ref").is(ref))
        .check(jsonPath("$.type").is(type), jsonPath("$.resumeToken").saveAs("resumeToken"));
  }

  /** Handle time: the profile's minimum plus an exponential tail with the profile's mean, cut at four means. */
  private long holdSeconds() {
    double tail = -profile.handleSeconds() * Math.log(1 - ThreadLocalRandom.current().nextDouble());
    return profile.minHoldSeconds() + Math.round(Math.min(tail, 4.0 * profile.handleSeconds()));
  }

  private OpenInjectionStep[] citizenArrivals() {
    Duration ramp = Duration.ofSeconds(profile.rampSeconds());
    Duration steady = Duration.ofSeconds(profile.steadySeconds());
    return switch (profile.name()) {
      case "soak" -> new OpenInjectionStep[] {nothingFor(Duration.ofSeconds(profile.staffSignInSeconds())),
          constantUsersPerSec(profile.arrivalsPerSecond()).during(steady)};
      case "spike" -> new OpenInjectionStep[] {nothingFor(Duration.ofSeconds(profile.staffSignInSeconds())),
          constantUsersPerSec(profile.arrivalsPerSecond()).during(steady),
          rampUsers(profile.citizens()).during(ramp),
          constantUsersPerSec(profile.arrivalsPerSecond()).during(steady)};
      default -> new OpenInjectionStep[] {nothingFor(Duration.ofSeconds(profile.staffSignInSeconds())),
          rampUsers(profile.citizens()).during(ramp)};
    };
  }

  private Assertion[] assertions() {
    Assertion noErrors = global().failedRequests().percent().is(0.0);
    return Stream.concat(Stream.of(noErrors),
            ACKNOWLEDGEMENTS.stream().map(name -> details(name).responseTime().percentile(99.0).lt(profile.ackP99Millis())))
        .toArray(Assertion[]::new);
  }
}
