package ablak.identification;

import ablak.identification.IdentificationView.ReviewRecord;
import ablak.identification.IdentificationView.StepRecord;
import ablak.identification.IdentificationView.StillRecord;
import ablak.identification.checklist.Status;
import ablak.identification.checklist.Step;
import ablak.identification.evidence.Canonical;
import ablak.identification.evidence.Sha256;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One identification row as loaded for a change: the fixed facts, and the checklist state the
 * operations move on and {@link #save} writes back. Also reads the steps and stills and computes
 * the seal over all of them.
 */
final class IdentificationRecord {

  final UUID id;
  final String callId;
  final UUID caseId;
  final String caseType;
  final String documentType;
  final String clerkId;
  final String caseFamilyName;
  final String caseGivenNames;
  final Instant startedAt;
  Status status;
  Step nextStep;
  int attempt;
  String tilt;
  String abortReason;
  String failureReason;
  String email;
  String codeHash;
  Instant codeExpiresAt;
  int codeAttempts;
  String recordingSha256;
  Instant updatedAt;
  Instant completedAt;
  String seal;

  private IdentificationRecord(Row row) {
    id = row.getUUID("id");
    callId = row.getString("call_id");
    caseId = row.getUUID("case_id");
    caseType = row.getString("case_type");
    documentType = row.getString("document_type");
    clerkId = row.getString("clerk_id");
    caseFamilyName = row.getString("case_family_name");
    caseGivenNames = row.getString("case_given_names");
    startedAt = instant(row.getOffsetDateTime("started_at"));
    status = Status.valueOf(row.getString("status"));
    nextStep = Step.valueOf(row.getString("next_step"));
    attempt = row.getInteger("attempt");
    tilt = row.getString("tilt");
    abortReason = row.getString("abort_reason");
    failureReason = row.getString("failure_reason");
    email = row.getString("email");
    codeHash = row.getString("code_hash");
    codeExpiresAt = instant(row.getOffsetDateTime("code_expires_at"));
    codeAttempts = row.getInteger("code_attempts");
    recordingSha256 = row.getString("recording_sha256");
    updatedAt = instant(row.getOffsetDateTime("updated_at"));
    completedAt = instant(row.getOffsetDateTime("completed_at"));
    seal = row.getString("seal");
  }

  static Future<IdentificationRecord> load(SqlClient client, UUID id, boolean forUpdate) {
    return client.preparedQuery("select * from identification.identification where id = $1" + (forUpdate ? " for update" : ""))
        .execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new IdentificationException(IdentificationException.Kind.NOT_FOUND, "no identification " + id);
          }
          return new IdentificationRecord(rows.iterator().next());
        });
  }

  /** The latest identification of a case in a call: what the citizen of that visit sees. */
  static Future<IdentificationRecord> loadForCase(SqlClient client, String callId, UUID caseId, boolean forUpdate) {
    return client.preparedQuery("select * from identification.identification where call_id = $1 and case_id = $2"
            + (forUpdate ? " for update" : ""))
        .execute(Tuple.of(callId, caseId))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new IdentificationException(IdentificationException.Kind.NOT_FOUND, "no identification for this case in this call");
          }
          return new IdentificationRecord(rows.iterator().next());
        });
  }

  Future<Void> save(SqlClient client) {
    return client.preparedQuery("""
            update identification.identification
               set status = $2, next_step = $3, attempt = $4, tilt = $5, abort_reason = $6, failure_reason = $7,
                   email = $8, code_hash = $9, code_expires_at = $10, code_attempts = $11, recording_sha256 = $12,
                   updated_at = $13, completed_at = $14, seal = $15
             where id = $1""")
        .execute(Tuple.from(new Object[] {id, status.name(), nextStep.name(), attempt, tilt, abortReason, failureReason,
            email, codeHash, offset(codeExpiresAt), codeAttempts, recordingSha256, offset(updatedAt), offset(completedAt), seal}))
        .mapEmpty();
  }

  /** Appends a step or event to the record, numbered after the last one (the row lock orders them). */
  Future<Void> addStep(SqlClient client, String step, Instant at, Actor actor, String answers,
      ablak.identification.quality.VideoQuality quality) {
    return client.preparedQuery("""
            insert into identification.step (identification_id, seq, attempt, step, at, actor_id, actor_role, answers,
                                             video_width, video_height, video_fps)
            select $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10
              from identification.step where identification_id = $1""")
        .execute(Tuple.from(new Object[] {id, attempt, step, offset(at), actor.id(), actor.role(), answers,
            quality == null ? null : quality.width(), quality == null ? null : quality.height(),
            quality == null ? null : quality.fps()}))
        .mapEmpty();
  }

  static Future<List<StepRecord>> steps(SqlClient client, UUID id) {
    return client.preparedQuery("select * from identification.step where identification_id = $1 order by seq")
        .execute(Tuple.of(id))
        .map(rows -> {
          List<StepRecord> steps = new ArrayList<>();
          rows.forEach(row -> steps.add(new StepRecord(row.getInteger("seq"), row.getInteger("attempt"), row.getString("step"),
              instant(row.getOffsetDateTime("at")), row.getString("actor_id"), row.getString("actor_role"),
              row.getString("answers"), row.getInteger("video_width"), row.getInteger("video_height"),
              row.getDouble("video_fps"))));
          return steps;
        });
  }

  static Future<List<StillRow>> stills(SqlClient client, UUID id) {
    return client.preparedQuery("select * from identification.still where identification_id = $1 order by attempt, kind")
        .execute(Tuple.of(id))
        .map(rows -> {
          List<StillRow> stills = new ArrayList<>();
          rows.forEach(row -> stills.add(new StillRow(row.getString("file_name"), new StillRecord(row.getInteger("attempt"),
              row.getString("kind"), row.getString("content_type"), row.getString("sha256"), row.getLong("bytes"),
              row.getInteger("width"), row.getInteger("height"), row.getDouble("sharpness"), row.getDouble("glare"),
              instant(row.getOffsetDateTime("captured_at"))))));
          return stills;
        });
  }

  static Future<ReviewRecord> review(SqlClient client, UUID id) {
    return client.preparedQuery("select * from identification.review where identification_id = $1").execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new ReviewRecord(row.getString("status"), instant(row.getOffsetDateTime("queued_at")),
              row.getString("reviewer_id"), row.getString("reviewer_role"), instant(row.getOffsetDateTime("reviewed_at")),
              row.getString("note"));
        });
  }

  /** A still's row: its file name stays on the server; the rest is shown. */
  record StillRow(String fileName, StillRecord still) {}

  /**
   * SHA-256 over the canonical serialisation of the record, its steps and its stills (with their
   * hashes). Operational columns (next step, the code's hash and expiry, the update time) are left
   * out: they do not describe what happened.
   */
  String computeSeal(List<StepRecord> steps, List<StillRow> stills) {
    Canonical text = new Canonical().add("ablak-identification-v1").add(id).add(callId).add(caseId).add(caseType)
        .add(documentType).add(clerkId).add(caseFamilyName).add(caseGivenNames).add(status).add(attempt).add(tilt)
        .add(abortReason).add(failureReason).add(email).add(recordingSha256).add(startedAt).add(completedAt);
    text.add(steps.size());
    for (StepRecord step : steps) {
      text.add(step.seq()).add(step.attempt()).add(step.step()).add(step.at()).add(step.actorId()).add(step.actorRole())
          .add(step.answers()).add(step.videoWidth()).add(step.videoHeight()).add(step.videoFps());
    }
    text.add(stills.size());
    for (StillRow row : stills) {
      StillRecord still = row.still();
      text.add(still.attempt()).add(still.kind()).add(row.fileName()).add(still.contentType()).add(still.sha256())
          .add(still.bytes()).add(still.width()).add(still.height()).add(still.sharpness()).add(still.glare())
          .add(still.capturedAt());
    }
    return Sha256.of(text.toString());
  }

  static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  static OffsetDateTime offset(Instant time) {
    return time == null ? null : time.atOffset(ZoneOffset.UTC);
  }
}
