package ablak.cases;

import ablak.cases.access.Principal;
import ablak.cases.lifecycle.CaseService;
import ablak.cases.lifecycle.CaseView;
import ablak.cases.lifecycle.DeliveryStatus;
import ablak.cases.lifecycle.DraftStarted;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The cases hot paths beside a raw single-row INSERT round trip on the same PostgreSQL in the same
 * run, so the figures read as ratios that hold on a noisy machine:
 * <ol>
 *   <li>baseline: one autocommitted {@code INSERT} of a jsonb row;</li>
 *   <li>draft start: {@link CaseService#startDraft} (a citizen's pre-call answers: validation, the case
 *       row and its audit row);</li>
 *   <li>clerk assignment: {@link CaseService#assignClerk} (on every accepted call: lock, handler row,
 *       NOTIFY, audit row);</li>
 *   <li>draft autosave: {@link CaseService#saveDraft} (lock, access check, validation, update,
 *       NOTIFY, hash-chained audit row, one transaction);</li>
 *   <li>submit: {@link CaseService#submit} (case number, outbox row, audit, one transaction);</li>
 *   <li>submit to accepted: outbox relay to the reference back office over HTTP, until every case
 *       shows ACCEPTED.</li>
 * </ol>
 * Run: {@code mvn -B -q -pl cases test-compile exec:exec -Dexec.executable=java
 * -Dexec.classpathScope=test -Dexec.args="-cp %classpath ablak.cases.CasesBenchmark"}
 */
public final class CasesBenchmark {

    private static final int CONCURRENCY = 16;
    private static final int OPERATIONS = 2000;
    private static final int CASES = 400;

    public static void main(String[] args) throws Exception {
        try (Harness harness = new Harness()) {
            Cases node = harness.node(harness.settings().withDelivery(Duration.ofMillis(20), Duration.ofSeconds(30),
                    Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1), 5));
            Vertx vertx = Vertx.vertx();
            Pool raw = PgBuilder.pool().with(new PoolOptions().setMaxSize(CasesSettings.defaults().poolSize()))
                    .connectingTo(harness.database.connectOptions()).using(vertx).build();
            Await.result(raw.query("create table public.raw_insert (id uuid primary key, data jsonb not null)").execute());
            String payload = Harness.completeAddressRegistration().toString();
            CaseService cases = node.cases();
            Principal clerk = Harness.clerk();

            // Warm up JIT, pools and prepared statements on every path.
            run(200, CONCURRENCY, i -> raw.preparedQuery("insert into public.raw_insert values ($1, $2::text::jsonb)")
                    .execute(Tuple.of(UUID.randomUUID(), payload)).mapEmpty());
            List<UUID> warm = drafts(node, 50);
            AtomicInteger[] versions = versionsOf(warm.size());
            run(200, CONCURRENCY, i -> save(cases, clerk, warm, versions, i));
            run(200, CONCURRENCY, i -> cases.startDraft("address-registration", "en", Harness.precallAnswers()).mapEmpty());

            System.out.printf("cases benchmark: %d operations, %d concurrent, pool %d, PostgreSQL 16 embedded%n",
                    OPERATIONS, CONCURRENCY, CasesSettings.defaults().poolSize());
            double rawSerial = run(OPERATIONS / 4, 1, i -> raw.preparedQuery("insert into public.raw_insert values ($1, $2::text::jsonb)")
                    .execute(Tuple.of(UUID.randomUUID(), payload)).mapEmpty());
            double rawParallel = run(OPERATIONS, CONCURRENCY, i -> raw.preparedQuery("insert into public.raw_insert values ($1, $2::text::jsonb)")
                    .execute(Tuple.of(UUID.randomUUID(), payload)).mapEmpty());
            report("baseline: raw INSERT round trip, 1 client", rawSerial, rawSerial);
            report("baseline: raw INSERT, " + CONCURRENCY + " clients", rawParallel, rawParallel);

            var answers = Harness.precallAnswers();
            double startSerial = run(OPERATIONS / 4, 1, i -> cases.startDraft("address-registration", "en", answers).mapEmpty());
            double startParallel = run(OPERATIONS, CONCURRENCY, i -> cases.startDraft("address-registration", "en", answers).mapEmpty());
            report("draft start (pre-call answers), 1 client", startSerial, rawSerial);
            report("draft start (pre-call answers), " + CONCURRENCY + " clients", startParallel, rawParallel);
            List<UUID> unassigned = new ArrayList<>();
            for (int i = 0; i < OPERATIONS; i++) {
                unassigned.add(Await.result(cases.startDraft("address-registration", "en", answers)).caseView().id());
            }
            double assignParallel = run(OPERATIONS, CONCURRENCY, i -> cases.assignClerk(unassigned.get(i), clerk, "benchmark").mapEmpty());
            report("clerk assignment, " + CONCURRENCY + " clients", assignParallel, rawParallel);

            List<UUID> drafts = drafts(node, 200);
            AtomicInteger[] draftVersions = versionsOf(drafts.size());
            double saveSerial = run(OPERATIONS / 4, 1, i -> save(cases, clerk, drafts, draftVersions, i));
            double saveParallel = run(OPERATIONS, CONCURRENCY, i -> save(cases, clerk, drafts, draftVersions, i));
            report("draft autosave, 1 client", saveSerial, rawSerial);
            report("draft autosave, " + CONCURRENCY + " clients", saveParallel, rawParallel);

            Await.result(node.relay().stop());
            List<UUID> confirmed = confirmedCases(node, CASES);
            long start = System.nanoTime();
            double submitRate = run(CASES, CONCURRENCY, i -> cases.submit(clerk, confirmed.get(i), "bench-" + i, "benchmark").mapEmpty());
            report("submit (case number + outbox row), " + CONCURRENCY + " clients", submitRate, rawParallel);
            AtomicInteger accepted = new AtomicInteger();
            node.changes().onChange(change -> {
                if (change.deliveryStatus() == DeliveryStatus.ACCEPTED) {
                    accepted.incrementAndGet();
                }
            });
            long relayStart = System.nanoTime();
            harness.node(harness.settings().withDelivery(Duration.ofMillis(20), Duration.ofSeconds(30),
                    Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1), 5));
            Await.until("all delivered", Duration.ofMinutes(5), () -> accepted.get() >= CASES);
            double relaySeconds = (System.nanoTime() - relayStart) / 1e9;
            report("outbox relay over HTTP to the reference back office", CASES / relaySeconds, rawParallel);
            report("submit to accepted, end to end", CASES / ((System.nanoTime() - start) / 1e9), rawParallel);
            Await.result(raw.close());
            Await.result(vertx.close());
        }
        System.exit(0);
    }

    private static Future<Void> save(CaseService cases, Principal clerk, List<UUID> drafts, AtomicInteger[] versions, int i) {
        int slot = i % drafts.size();
        // One client per case at a time: the slot's version is claimed before the save.
        synchronized (versions[slot]) {
            int version = versions[slot].get();
            var data = Harness.completeAddressRegistration().put("moveInDate", "2026-11-" + (10 + i % 18));
            return cases.saveDraft(clerk, drafts.get(slot), version, data, "benchmark")
                    .onSuccess(v -> versions[slot].set(v.version()))
                    .recover(e -> e instanceof CasesException c && c.kind() == CasesException.Kind.VERSION_CONFLICT
                            ? Future.succeededFuture() : Future.failedFuture(e))
                    .mapEmpty();
        }
    }

    private static AtomicInteger[] versionsOf(int n) {
        AtomicInteger[] versions = new AtomicInteger[n];
        for (int i = 0; i < n; i++) {
            versions[i] = new AtomicInteger(1);
        }
        return versions;
    }

    private static List<UUID> drafts(Cases node, int n) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Harness.draftWithClerk(node).caseView().id());
        }
        return ids;
    }

    private static List<UUID> confirmedCases(Cases node, int n) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DraftStarted draft = Harness.draftWithClerk(node);
            UUID id = draft.caseView().id();
            CaseView saved = Await.result(node.cases().saveDraft(Harness.clerk(), id, 1, Harness.completeAddressRegistration(), "setup"));
            Await.result(node.cases().confirm(Principal.citizen(draft.citizenToken(), "en"), id, saved.version()));
            ids.add(id);
        }
        return ids;
    }

    /** Runs {@code total} operations with {@code concurrency} in flight; returns operations per second. */
    private static double run(int total, int concurrency, IntFunction<Future<Void>> operation) {
        AtomicInteger next = new AtomicInteger();
        Promise<Void> done = Promise.promise();
        AtomicInteger finished = new AtomicInteger();
        long start = System.nanoTime();
        for (int c = 0; c < concurrency; c++) {
            chain(next, total, operation, finished, concurrency, done);
        }
        Await.result(done.future());
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private static void chain(AtomicInteger next, int total, IntFunction<Future<Void>> operation, AtomicInteger finished,
                              int concurrency, Promise<Void> done) {
        int i = next.getAndIncrement();
        if (i >= total) {
            if (finished.incrementAndGet() == concurrency) {
                done.tryComplete();
            }
            return;
        }
        operation.apply(i).onComplete(r -> {
            if (r.failed()) {
                done.tryFail(r.cause());
                return;
            }
            chain(next, total, operation, finished, concurrency, done);
        });
    }

    private static void report(String what, double rate, double baseline) {
        System.out.printf("%-58s %9.0f /s   %.2f x baseline   (%.2f ms each)%n", what, rate, rate / baseline,
                1000.0 / rate);
    }
}
