package ablak.proactive.bench;

import ablak.proactive.Await;
import ablak.proactive.Mailbox;
import ablak.proactive.Node;
import ablak.proactive.TestClock;
import ablak.proactive.TestDatabase;
import ablak.proactive.delivery.DispatchRun;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

/**
 * The scheduler's hot path (claim with SKIP LOCKED, check consent and registry, render, send over
 * SMTP, record the outcome) beside a raw single-row INSERT round trip on the same pool, in one run.
 * Two passes: reminders that are sent to a local GreenMail, and reminders that are skipped
 * (nobody subscribed), which is the same path without SMTP.
 *
 * <p>Needs the machine's PostgreSQL on 127.0.0.1:5432; creates and drops its own database.
 * Argument: the number of reminders per pass (default 2000).
 */
public final class DispatchBenchmark {

  public static void main(String[] args) {
    int reminders = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    try (TestDatabase database = new TestDatabase(); Mailbox mailbox = new Mailbox()) {
      TestClock clock = new TestClock();
      clock.set("2027-04-15T09:00");
      // No rate limit: the clock stands still during the run, and the limit is not what is measured.
      try (Node node = new Node(database, Node.settings(1e9, 3), mailbox.port, clock, "bench")) {
        double inserts = insertRoundTrips(node, reminders);
        double sent = dispatch(database, node, reminders, true);
        mailbox.clear();
        double skipped = dispatch(database, node, reminders, false);
        System.out.printf("%nreminders per pass: %d, batch size %d%n", reminders, Node.settings().batchSize());
        System.out.printf("baseline: single-row INSERT round trips/s  %,10.0f%n", inserts);
        System.out.printf("reminders claimed+sent (SMTP)/s            %,10.0f   ratio %.3f%n", sent, sent / inserts);
        System.out.printf("reminders claimed+skipped (no SMTP)/s      %,10.0f   ratio %.3f%n", skipped, skipped / inserts);
      }
    }
  }

  /** Sequential single-row INSERTs: one network round trip and one commit each. */
  private static double insertRoundTrips(Node node, int count) {
    Await.result(node.pool.query("CREATE TABLE public.bench_baseline (id bigserial PRIMARY KEY, payload text)").execute());
    long start = System.nanoTime();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      String payload = "row " + i;
      chain = chain.compose(ignored -> node.pool.preparedQuery("INSERT INTO public.bench_baseline (payload) VALUES ($1)")
          .execute(Tuple.of(payload)).mapEmpty());
    }
    Await.result(chain);
    return count / seconds(start);
  }

  private static double dispatch(TestDatabase database, Node node, int count, boolean subscribed) {
    database.clear();
    database.update("""
        INSERT INTO proactive.document (citizen_id, document_type, document_number, name, birth_date, email, expiry_date, updated_at)
        SELECT 'C' || n, 'identity_card', 'AB' || (100000 + n), 'Kiss Anna', DATE '1980-03-04',
               'c' || n || '@example.hu', DATE '2027-06-15', now()
          FROM generate_series(1, %d) n""".formatted(count));
    if (subscribed) {
      database.update("""
          INSERT INTO proactive.subscription (citizen_id, name, birth_date, email, language, opted_in, updated_at)
          SELECT citizen_id, name, birth_date, email, 'en', true, now() FROM proactive.document""");
    }
    database.update("""
        INSERT INTO proactive.delivery (kind, citizen_id, document_type, document_number, expiry_date, stage, status,
                                        next_attempt_at, created_at, updated_at)
        SELECT 'reminder', citizen_id, document_type, document_number, expiry_date, 'first', 'created',
               TIMESTAMPTZ '2027-04-15 07:00:00Z', now(), now() FROM proactive.document""");
    database.update("ANALYZE proactive.delivery");
    long start = System.nanoTime();
    int done = 0;
    while (done < count) {
      DispatchRun run = Await.result(node.proactive.dispatcher().runOnce());
      done += run.delivered() + run.skipped();
      if (run.claimed() == 0) {
        throw new IllegalStateException("nothing left to claim after " + done + " of " + count);
      }
    }
    return count / seconds(start);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
