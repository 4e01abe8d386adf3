package ablak.cases;

import ablak.cases.audit.AuditChainer;
import ablak.cases.audit.AuditTrail;
import ablak.cases.catalogue.Catalogue;
import ablak.cases.catalogue.CatalogueLoader;
import ablak.cases.lifecycle.CaseChanges;
import ablak.cases.lifecycle.CaseService;
import ablak.cases.outbox.DeadLetters;
import ablak.cases.outbox.HttpBackOffice;
import ablak.cases.outbox.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;

/**
 * The cases module, wired: what the server creates once per node (after
 * {@link CasesMigrations#migrate}) and mounts its routes on.
 * <ul>
 *   <li>{@link #catalogue()}: life events, case types and forms, per language;</li>
 *   <li>{@link #cases()}: draft, autosave, summary, confirm, submit, read and list, with access rules;</li>
 *   <li>{@link #changes()}: live case changes from every node, to push to clerk and citizen;</li>
 *   <li>{@link #deadLetters()}: what could not be delivered, and replay;</li>
 *   <li>{@link #audit()}: the hash-chained audit trail and its verification; every node links new
 *       events into the chain after they commit.</li>
 * </ul>
 */
public final class Cases {

    private final Catalogue catalogue;
    private final Pool pool;
    private final AuditChainer chainer;
    private final AuditTrail audit;
    private final CaseService cases;
    private final CaseChanges changes;
    private final OutboxRelay relay;
    private final HttpBackOffice backOffice;
    private final DeadLetters deadLetters;

    private Cases(Vertx vertx, Catalogue catalogue, Pool pool, CaseChanges changes, CasesSettings settings,
                  MeterRegistry meters) {
        this.catalogue = catalogue;
        this.pool = pool;
        this.changes = changes;
        this.chainer = new AuditChainer(vertx, pool, settings.auditChainInterval(), settings.auditChainBatchSize());
        this.audit = new AuditTrail(pool, chainer::wake);
        this.backOffice = new HttpBackOffice(vertx, settings);
        this.relay = new OutboxRelay(vertx, pool, backOffice, audit, settings, meters);
        this.cases = new CaseService(pool, catalogue, audit, settings, meters, relay::wake);
        this.deadLetters = new DeadLetters(pool, audit, relay::wake);
    }

    /**
     * Loads and checks the catalogue (failing with {@link ablak.cases.catalogue.CatalogueException}
     * if it is broken), connects to PostgreSQL, starts the audit chainer, and the outbox relay if enabled.
     */
    public static Future<Cases> start(Vertx vertx, PgConnectOptions database, CasesSettings settings, MeterRegistry meters) {
        return vertx.executeBlocking(() -> settings.catalogueDirectory() == null
                        ? CatalogueLoader.bundled() : CatalogueLoader.fromDirectory(settings.catalogueDirectory()))
                .compose(catalogue -> CaseChanges.connect(vertx, database).map(changes -> {
                    Pool pool = ConnectionPools.bounded(vertx, "cases", database, settings.poolSize(), settings.poolWaitQueueSize(),
                            settings.poolConnectionTimeout());
                    Cases module = new Cases(vertx, catalogue, pool, changes, settings, meters);
                    module.chainer.start();
                    if (settings.relayEnabled()) {
                        module.relay.start();
                    }
                    return module;
                }));
    }

    public Catalogue catalogue() {
        return catalogue;
    }

    public CaseService cases() {
        return cases;
    }

    public CaseChanges changes() {
        return changes;
    }

    public OutboxRelay relay() {
        return relay;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    public AuditTrail audit() {
        return audit;
    }

    /** Lets the relay and the chainer finish what they have in flight, then closes connections. */
    public Future<Void> close() {
        return Future.join(relay.stop(), chainer.stop())
                .transform(v -> Future.join(changes.close(), backOffice.close(), pool.close())).mapEmpty();
    }
}
