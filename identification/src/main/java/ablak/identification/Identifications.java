package ablak.identification;

import ablak.cases.ConnectionPools;
import ablak.cases.audit.AuditTrail;
import ablak.mail.Mailer;
import ablak.identification.document.DocumentTypes;
import ablak.identification.evidence.EvidenceFiles;
import ablak.identification.retention.Retention;
import ablak.identification.review.ReviewQueue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The identification module, wired: what the server creates once per node (after
 * {@link IdentificationMigrations#migrate}) and mounts its routes on.
 * <ul>
 *   <li>{@link #service()}: the guided checklist, stills, code, result and seal, verification, evidence access;</li>
 *   <li>{@link #reviews()}: the four-eyes review queue;</li>
 *   <li>{@link #retention()}: the scheduled deletion;</li>
 *   <li>{@link #documents()}: accepted document types and their security features.</li>
 * </ul>
 * Seals, evidence views, playbacks, reviews and deletions go to the cases module's audit trail,
 * which lives in the same database.
 */
public final class Identifications {

  private final Pool pool;
  private final DocumentTypes documents;
  private final IdentificationService service;
  private final ReviewQueue reviews;
  private final Retention retention;

  private Identifications(Vertx vertx, Pool pool, AuditTrail audit, IdentificationSettings settings, Mailer mailer, Clock clock,
      CallRecorder recorder) {
    this.pool = pool;
    this.documents = DocumentTypes.bundled();
    EvidenceFiles files = new EvidenceFiles(Path.of(settings.evidenceDirectory()), Path.of(settings.recordingsDirectory()));
    this.service = new IdentificationService(vertx, pool, audit, settings, documents, files, mailer, clock, recorder);
    this.reviews = new ReviewQueue(pool, audit, clock);
    this.retention = new Retention(vertx, pool, audit, files, settings, clock);
  }

  /** Connects and starts the retention schedule; without media, see {@link CallRecorder#NONE}. */
  public static Future<Identifications> start(Vertx vertx, PgConnectOptions database, IdentificationSettings settings, Mailer mailer,
      Clock clock) {
    return start(vertx, database, settings, mailer, clock, CallRecorder.NONE);
  }

  /**
   * Connects and starts the retention schedule; {@code mailer} sends the one-time codes, {@code recorder}
   * records the calls identified.
   */
  public static Future<Identifications> start(Vertx vertx, PgConnectOptions database, IdentificationSettings settings, Mailer mailer,
      Clock clock, CallRecorder recorder) {
    return vertx.executeBlocking(() -> {
      Pool pool = ConnectionPools.bounded(vertx, "identification", database, settings.poolSize(), settings.poolWaitQueueSize(),
          settings.poolConnectionTimeout());
      Identifications module = new Identifications(vertx, pool, new AuditTrail(pool), settings, mailer, clock, recorder);
      module.retention.start();
      return module;
    });
  }

  public IdentificationService service() {
    return service;
  }

  public ReviewQueue reviews() {
    return reviews;
  }

  public Retention retention() {
    return retention;
  }

  public DocumentTypes documents() {
    return documents;
  }

  public Future<Void> close() {
    retention.stop();
    return pool.close();
  }
}
