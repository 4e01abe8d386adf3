package ablak.proactive;

import ablak.proactive.appointment.Appointments;
import ablak.proactive.appointment.ManageTokens;
import ablak.proactive.callback.Callbacks;
import ablak.proactive.delivery.Dispatcher;
import ablak.proactive.delivery.Templates;
import ablak.mail.Mailer;
import ablak.proactive.registry.DocumentRegistry;
import ablak.proactive.reminder.ReminderPlanner;
import ablak.proactive.subscription.Subscriptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proactive service wired on one node: the registry, subscriptions, the dispatcher and
 * appointments, over the shared PostgreSQL pool. {@link #start()} runs the scheduler on a timer;
 * every node of a cluster may run it.
 */
public final class Proactive {

  private static final Logger LOG = LoggerFactory.getLogger(Proactive.class);

  private final Vertx vertx;
  private final ProactiveSettings settings;
  private final DocumentRegistry registry;
  private final Subscriptions subscriptions;
  private final Dispatcher dispatcher;
  private final Appointments appointments;
  private final Callbacks callbacks;
  private final Mailer mailer;
  private long timer = -1;
  private volatile Future<Integer> current = Future.succeededFuture(0);

  /**
   * @param node this node's unique name, written into delivery leases
   * @param linkKey the key of the appointment links' tokens ({@link ManageTokens}), the same on every node
   */
  public Proactive(Vertx vertx, Pool pool, ProactiveSettings settings, Mailer mailer, Clock clock, String node,
      MeterRegistry meters, byte[] linkKey) {
    this.vertx = vertx;
    this.settings = settings.validate();
    this.mailer = mailer;
    Templates templates = new Templates();
    this.registry = new DocumentRegistry(vertx, pool, new ReminderPlanner(settings, clock), clock);
    this.subscriptions = new Subscriptions(pool, clock);
    this.dispatcher = new Dispatcher(pool, mailer, templates, settings, clock, node, meters);
    this.callbacks = new Callbacks(pool, mailer, templates, settings, clock, meters);
    this.appointments = new Appointments(pool, templates, settings, mailer.from(), clock, new ManageTokens(linkKey));
  }

  public ProactiveSettings settings() {
    return settings;
  }

  public DocumentRegistry registry() {
    return registry;
  }

  public Subscriptions subscriptions() {
    return subscriptions;
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  public Appointments appointments() {
    return appointments;
  }

  /** Kept places of citizens who asked to be called back; the server decides when each is due. */
  public Callbacks callbacks() {
    return callbacks;
  }

  /**
   * Runs the scheduler every {@code pollMillis}: due deliveries, then no-shows. One run at a time per
   * node. Without an SMTP relay ({@link Mailer#relayConfigured()}) only no-shows are recorded:
   * e-mails stay in the ledger as {@code created}, never marked as sent.
   */
  public void start() {
    boolean sending = mailer.relayConfigured();
    if (!sending) {
      LOG.info("proactive: no SMTP relay configured (mail.smtpHost is empty): reminders and appointment "
          + "e-mails are not sent; they wait in the delivery ledger until a relay is configured");
    }
    timer = vertx.setPeriodic(settings.pollMillis(), id -> {
      if (!current.isComplete()) {
        return;
      }
      current = (sending ? dispatcher.runOnce().<Void>mapEmpty() : Future.<Void>succeededFuture())
          .compose(run -> appointments.recordNoShows())
          .compose(run -> callbacks.expire())
          .onFailure(failure -> LOG.warn("proactive scheduler run failed; the next run retries", failure));
    });
  }

  /** Stops the timer; completes when the run in flight (if any) has recorded its outcomes. */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return current.<Void>mapEmpty().otherwiseEmpty();
  }
}
