package ablak.loadtests;

import com.typesafe.scalalogging.Logger;
import io.gatling.commons.stats.KO$;
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
 * Timings the simulation measures itself: a request and its reply read from the buffer of pushes,
 * and spans that are not one request and its reply, such as a join and the offer at another user,
 * or a routing change and the wallboard push showing it.
 * Virtual users collect them in their session with {@link #add}; {@link #report()} hands them to
 * Gatling's statistics under their name, so they get the report's percentiles and can be asserted
 * like requests. Gatling has no public API for this; the action uses its stats engine directly.
 */
final class Timings {

  /** One measured span, epoch milliseconds on this machine's clock (which the node shares); {@code error} null when it succeeded. */
  record Timing(String name, long start, long end, String error) {}

  private static final String PENDING = "pendingTimings";

  private Timings() {}

  /** The session with one more timing to report at the next {@link #report()}. */
  static Session add(Session session, String name, long start, long end) {
    return add(session, new Timing(name, start, Math.max(start, end), null));
  }

  /** The session with a failed request to report: it counts as an error (KO) with this message. */
  static Session fail(Session session, String name, long start, long end, String error) {
    return add(session, new Timing(name, start, Math.max(start, end), error));
  }

  /** The session with one more timing, measured elsewhere, to report. */
  static Session add(Session session, Timing timing) {
    List<Timing> pending = new ArrayList<>(session.contains(PENDING) ? session.<List<Timing>>get(PENDING) : List.of());
    pending.add(timing);
    return session.set(PENDING, pending);
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
              timing.error() == null ? OK$.MODULE$ : KO$.MODULE$, Option.empty(), Option.apply(timing.error()));
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
