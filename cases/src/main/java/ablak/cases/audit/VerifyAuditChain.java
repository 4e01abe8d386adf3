package ablak.cases.audit;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Command that verifies the audit trail's hash chain:
 * {@code java -cp ... ablak.cases.audit.VerifyAuditChain postgresql://user@host:5432/db}
 * (or with {@code DATABASE_URL} set). Exits 0 and prints the head hash when intact, 1 when
 * tampering is detected, 2 on a usage or connection error.
 */
public final class VerifyAuditChain {

    private VerifyAuditChain() {
    }

    public static void main(String[] args) {
        System.exit(run(args.length > 0 ? args[0] : System.getenv("DATABASE_URL"), System.out));
    }

    /** Verifies the chain in the database at {@code url}; returns the exit status. */
    public static int run(String url, PrintStream out) {
        if (url == null) {
            out.println("usage: VerifyAuditChain postgresql://user[:password]@host:port/database");
            return 2;
        }
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build();
        try {
            ChainVerification result = new AuditTrail(pool).verify()
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
            if (result.intact()) {
                out.println("audit chain intact: " + result.rowsChecked() + " rows, head " + result.headHash()
                        + (result.pendingEvents() > 0 ? ", " + result.pendingEvents() + " recent event(s) not linked yet" : ""));
                return 0;
            }
            out.println("audit chain BROKEN" + (result.firstBrokenSeq() != null ? " at seq " + result.firstBrokenSeq() : "")
                    + ": " + result.problem() + " (" + result.rowsChecked() + " rows read)");
            return 1;
        } catch (Exception e) {
            out.println("cannot verify the audit chain: " + e);
            return 2;
        } finally {
            pool.close();
            vertx.close();
        }
    }
}
