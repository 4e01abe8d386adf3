package ablak.cases.audit;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;

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

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : System.getenv("DATABASE_URL");
        if (url == null) {
            System.err.println("usage: VerifyAuditChain postgresql://user[:password]@host:port/database");
            System.exit(2);
        }
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build();
        int exit;
        try {
            ChainVerification result = new AuditTrail(pool).verify()
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
            if (result.intact()) {
                System.out.println("audit chain intact: " + result.rowsChecked() + " rows, head " + result.headHash());
                exit = 0;
            } else {
                System.out.println("audit chain BROKEN at seq " + result.firstBrokenSeq() + ": " + result.problem()
                        + " (" + result.rowsChecked() + " rows read)");
                exit = 1;
            }
        } catch (Exception e) {
            System.err.println("cannot verify the audit chain: " + e);
            exit = 2;
        } finally {
            pool.close();
            vertx.close();
        }
        System.exit(exit);
    }
}
