package ablak.loadtests;

import com.typesafe.scalalogging.Logger;
import io.gatling.commons.stats.OK$;
import io.gatling.core.action.Action;
import io.gatling.core.stats.StatsEngine;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.Session;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Timings the simulation measures itself, between two moments that are not one request and its
 * reply: a join and the offer at another user, a routing change and the wallboard push showing it.
 * Virtual users collect them in their session with {@link #add}; {@link #report()} hands them to
 * Gatling's statistics under their name, so they get the report's percentiles and can be asserted
 * like requests. Gatling has no public API for this; the action uses its stats engine directly.
 */
final class Timings {

  /** One measured span, epoch milliseconds on this machine's clock (which the node shares). */
  record Timing(String name, long start, long end) {}

  private static final String PENDING = "pendingTimings";

  private Timings() {}

  /** The session with one more timing to report at the next {@link #report()}. */
  static Session add(Session session, String name, long start, long end) {
    List<Timing> pending = new ArrayList<>(session.contains(PENDING) ? session.<List<Timing>>get(PENDING) : List.of());
    pending.add(new Timing(name, start, Math.max(start, end)));
    return session.set(PENDING, pending);
  }

  static Session addAll(Session session, List<Timing> timings) {
    for (Timing timing : timings) {
      session = add(session, timing.name(), timing.start(), timing.end());
    }
    return session;
  }

  /** Logs the session's pending timings as successful requests and clears them. */
  static ActionBuilder report() {
    return () -> (io.gatling.core.action.builder.ActionBuilder) (ScenarioContext context, Action next) ->
        new ReportAction(context.coreComponents().statsEngine(), next);
  }

  private static final class ReportAction implements Action {
    private static final Logger LOGGER = Logger.apply(LoggerFactory.getLogger(ReportAction.class));
    private final StatsEngine stats;
    private final Action next;

    ReportAction(StatsEngine stats, Action next) {
      this.stats = stats;
      this.next = next;
    }

    @Override
    public String name() {
      return "report timings";
    }

    @Override
    public void execute(io.gatling.core.session.Session scalaSession) {
      Session session = new Session(scalaSession);
      if (session.contains(PENDING)) {
        for (Timing timing : session.<List<Timing>>get(PENDING)) {
          stats.logResponse(scalaSession.scenario(), scalaSession.groups(), timing.name(), timing.start(), timing.end(),
              OK$.MODULE$, Option.empty(), Option.empty());
        }
        scalaSession = scalaSession.remove(PENDING);
      }
      next.$bang(scalaSession);
    }

    @Override
    public Logger logger() {
      return LOGGER;
    }

    @Override
    public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(Logger logger) {
      // The logger is a constant of this class.
    }
  }
}
