package ablak.cases.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Live case changes from every node: each change commits with a NOTIFY on one channel, and this
 * listens on it, so a clerk on one node and the citizen on another see the same state.
 * PostgreSQL delivers a notification only after its transaction commits, never for a rolled-back
 * change. While the listening connection is down notifications are lost; listeners should reload
 * the cases they show after {@link #onReconnect}.
 */
public final class CaseChanges {

    /** The NOTIFY channel every case change is published on. */
    public static final String CHANNEL = "ablak_cases";

    private static final Logger LOG = LoggerFactory.getLogger(CaseChanges.class);

    private final PgSubscriber subscriber;
    private final List<Consumer<CaseChanged>> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();

    private CaseChanges(PgSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    public static Future<CaseChanges> connect(Vertx vertx, PgConnectOptions database) {
        PgSubscriber subscriber = PgSubscriber.subscriber(vertx, database)
                .reconnectPolicy(retries -> Math.min(5_000L, 100L * (1L << Math.min(retries, 6))));
        CaseChanges changes = new CaseChanges(subscriber);
        subscriber.channel(CHANNEL).handler(changes::dispatch)
                .subscribeHandler(v -> changes.reconnectListeners.forEach(Runnable::run));
        return subscriber.connect().map(changes);
    }

    /** Called for every change of every case, on a Vert.x event loop: keep it short. */
    public void onChange(Consumer<CaseChanged> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<CaseChanged> listener) {
        listeners.remove(listener);
    }

    /** Called whenever the channel is (re)subscribed; changes made while it was down were not seen. */
    public void onReconnect(Runnable listener) {
        reconnectListeners.add(listener);
    }

    public Future<Void> close() {
        return subscriber.close();
    }

    private void dispatch(String payload) {
        CaseChanged change;
        try {
            JsonObject json = new JsonObject(payload);
            String delivery = json.getString("deliveryStatus");
            change = new CaseChanged(UUID.fromString(json.getString("caseId")), json.getInteger("version"),
                    CaseStatus.valueOf(json.getString("status")),
                    delivery == null ? null : DeliveryStatus.valueOf(delivery), json.getString("change"));
        } catch (RuntimeException e) {
            LOG.warn("ignoring malformed notification on {}: {}", CHANNEL, e.getMessage());
            return;
        }
        for (Consumer<CaseChanged> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("a case change listener failed", e);
            }
        }
    }

    /** SQL that publishes a change of the case row aliased {@code u}; {@code changeParameter} names the change. */
    public static String notifyExpression(String changeParameter) {
        return "pg_notify('" + CHANNEL + "', json_build_object('caseId', u.id, 'version', u.version, 'status', u.status, "
                + "'deliveryStatus', u.delivery_status, 'change', " + changeParameter + "::text)::text)";
    }
}
