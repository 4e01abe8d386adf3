package ablak.identification;

import static ablak.identification.IdentificationException.Kind;

import ablak.cases.audit.AuditEntry;
import ablak.cases.audit.AuditTrail;
import ablak.identification.IdentificationRecord.StillRow;
import ablak.identification.checklist.AbortReason;
import ablak.identification.checklist.FailureReason;
import ablak.identification.checklist.Status;
import ablak.identification.checklist.Step;
import ablak.identification.checklist.StillKind;
import ablak.identification.checklist.TiltInstruction;
import ablak.identification.code.CodeEmail;
import ablak.mail.Mailer;
import ablak.identification.document.DocumentType;
import ablak.identification.document.DocumentTypes;
import ablak.identification.evidence.EvidenceFiles;
import ablak.identification.evidence.Sha256;
import ablak.identification.quality.QualityLimits;
import ablak.identification.quality.StillAnalysis;
import ablak.identification.quality.VideoQuality;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The guided identification checklist: one identification per (call, case), its steps completed
 * strictly in {@link Step} order by the clerk who started it, the code confirmed by the citizen,
 * and the record sealed when a result is recorded. Every change runs in one transaction holding the
 * identification's row lock, so two tabs or two nodes cannot interleave steps; a refused operation
 * rolls back and changes nothing.
 */
public final class IdentificationService {

  private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  static final String SUBJECT = "identification";

  private final Vertx vertx;
  private final Pool pool;
  private final AuditTrail audit;
  private final IdentificationSettings settings;
  private final DocumentTypes documents;
  private final EvidenceFiles files;
  private final Mailer mailer;
  private final Clock clock;
  private final CallRecorder recorder;

  IdentificationService(Vertx vertx, Pool pool, AuditTrail audit, IdentificationSettings settings, DocumentTypes documents,
      EvidenceFiles files, Mailer mailer, Clock clock, CallRecorder recorder) {
    this.vertx = vertx;
    this.pool = pool;
    this.audit = audit;
    this.settings = settings;
    this.documents = documents;
    this.files = files;
    this.mailer = mailer;
    this.clock = clock;
    this.recorder = recorder;
  }

  /**
   * Starts the identification of a case in a call, or returns the one this clerk already started
   * (a reloaded desktop picks it up again). Another clerk's identification of the same case in the
   * same call is refused.
   */
  public Future<IdentificationView> open(Actor clerk, String callId, UUID caseId, CaseFacts facts, String documentType) {
    if (!clerk.role().equals(Actor.CLERK)) {
      return failed(Kind.FORBIDDEN, "only a clerk runs an identification");
    }
    if (callId == null || !CALL_ID.matcher(callId).matches()) {
      return failed(Kind.INVALID_INPUT, "callId is 1-64 letters, digits, '.', '_' or '-'");
    }
    if (documentType == null || documents.find(documentType).isEmpty()) {
      return failed(Kind.INVALID_INPUT, "documentType must be one of " + documents.all().stream().map(DocumentType::id).toList());
    }
    UUID id = UUID.randomUUID();
    Instant now = now();
    return pool.withTransaction(connection -> connection.preparedQuery("""
                insert into identification.identification (id, call_id, case_id, case_type, document_type, clerk_id,
                    case_family_name, case_given_names, status, next_step, attempt, started_at, updated_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8, 'IN_PROGRESS', 'CONSENT', 1, $9, $9)
                on conflict (call_id, case_id) do nothing returning id""")
            .execute(Tuple.from(new Object[] {id, callId, caseId, facts.caseType(), documentType, clerk.id(),
                nullToEmpty(facts.familyName()), nullToEmpty(facts.givenNames()), IdentificationRecord.offset(now)}))
            .compose(inserted -> {
              if (inserted.size() == 1) {
                return audit.append(connection, entry(clerk, "identification.started", id, "call " + callId, documentType))
                    .map(id);
              }
              return IdentificationRecord.loadForCase(connection, callId, caseId, false).map(existing -> {
                if (!existing.clerkId.equals(clerk.id())) {
                  throw new IdentificationException(Kind.ALREADY_STARTED, "another clerk identifies this case in this call");
                }
                return existing.id;
              });
            }))
        .compose(this::view);
  }

  /** The full record, for its clerk and for reviewers (supervisor, auditor). */
  public Future<IdentificationView> get(Actor who, UUID id) {
    return IdentificationRecord.load(pool, id, false).compose(record -> {
      requireReader(who, record);
      return view(id);
    });
  }

  /**
   * Completes the next step. {@code quality} is what the clerk's browser measures on the received
   * video now; video steps are refused below the configured minimums. {@code answers} are the
   * step's own (see docs/video-identification.md).
   */
  public Future<IdentificationView> completeStep(Actor clerk, UUID id, Step step, VideoQuality quality, JsonNode answers) {
    if (step == null) {
      return failed(Kind.INVALID_INPUT, "step is one of " + Step.ORDER);
    }
    JsonNode given = answers == null ? JSON.createObjectNode() : answers;
    return change(id, (connection, record) -> {
      requireOwnClerk(clerk, record);
      requireInProgress(record);
      if (step == Step.CODE_CONFIRMED) {
        throw new IdentificationException(Kind.FORBIDDEN, "the citizen enters the code on their own screen");
      }
      if (step == Step.RESULT) {
        throw new IdentificationException(Kind.INVALID_INPUT, "record the result with POST .../result");
      }
      // A second code may be sent while the first waits to be entered (the e-mail did not arrive).
      boolean resend = step == Step.CODE_SENT && record.nextStep == Step.CODE_CONFIRMED;
      if (step != record.nextStep && !resend) {
        throw new IdentificationException(Kind.STEP_OUT_OF_ORDER, "the checklist waits for " + record.nextStep + ", not " + step,
            Map.of("expected", record.nextStep.name(), "given", step.name()));
      }
      if (step.videoGated) {
        requireQuality(quality);
      }
      return stepAnswers(connection, record, step, given).compose(stored -> {
        Instant now = now();
        record.nextStep = step.next();
        record.updatedAt = now;
        return record.addStep(connection, step.name(), now, clerk, stored, quality);
      });
    });
  }

  /**
   * Accepts a still of the citizen's face or of a document side, captured by the clerk's browser
   * from the received video. It must be a frame of that video at its full received resolution
   * ({@code quality} as measured when it was captured), sharp enough and without too much glare.
   */
  public Future<StillRecordResult> addStill(Actor clerk, UUID id, StillKind kind, String contentType, byte[] image,
      VideoQuality quality) {
    String extension = "image/jpeg".equals(contentType) ? "jpg" : "image/png".equals(contentType) ? "png" : null;
    if (extension == null) {
      return failed(Kind.UNSUPPORTED_IMAGE, "a still is image/jpeg or image/png, not " + contentType);
    }
    if (image == null || image.length == 0) {
      return failed(Kind.INVALID_INPUT, "the still is empty");
    }
    if (image.length > settings.maxStillBytes()) {
      return failed(Kind.STILL_TOO_LARGE, "a still is at most " + settings.maxStillBytes() + " bytes, this one " + image.length);
    }
    return vertx.executeBlocking(() -> {
      try {
        return StillAnalysis.of(image);
      } catch (IOException e) {
        throw new IdentificationException(Kind.UNSUPPORTED_IMAGE, e.getMessage());
      }
    }, false).compose(analysis -> locked(id, (connection, record) -> {
      requireOwnClerk(clerk, record);
      requireInProgress(record);
      if (record.nextStep != Step.STILLS) {
        throw new IdentificationException(Kind.STEP_OUT_OF_ORDER, "stills are taken once the back of the document has been shown",
            Map.of("expected", record.nextStep.name(), "given", "STILLS"));
      }
      requireQuality(quality);
      checkStill(analysis, quality);
      String sha256 = Sha256.of(image);
      String fileName = record.attempt + "-" + kind.wireName() + "." + extension;
      Instant now = now();
      return vertx.executeBlocking(() -> files.writeStill(record.id, fileName, image), false)
          .compose(path -> connection.preparedQuery("""
                  insert into identification.still (identification_id, attempt, kind, file_name, content_type, sha256, bytes,
                      width, height, sharpness, glare, captured_at)
                  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                  on conflict (identification_id, attempt, kind) do update
                     set file_name = excluded.file_name, content_type = excluded.content_type, sha256 = excluded.sha256,
                         bytes = excluded.bytes, width = excluded.width, height = excluded.height,
                         sharpness = excluded.sharpness, glare = excluded.glare, captured_at = excluded.captured_at""")
              .execute(Tuple.from(new Object[] {record.id, record.attempt, kind.name(), fileName, contentType, sha256,
                  (long) image.length, analysis.width(), analysis.height(), analysis.sharpness(), analysis.glare(),
                  IdentificationRecord.offset(now)})))
          .map(done -> new StillRecordResult(kind.wireName(), sha256, image.length, analysis.width(), analysis.height(),
              analysis.sharpness(), analysis.glare()));
    }));
  }

  /** What {@link #addStill} accepted, with the figures the clerk sees. */
  public record StillRecordResult(String kind, String sha256, long bytes, int width, int height, double sharpness, double glare) {}

  /**
   * The citizen enters the code they received. A wrong code counts; after the configured number of
   * wrong entries the identification fails with CODE_NOT_CONFIRMED, and the answer says so.
   */
  public Future<CitizenGuide> confirmCode(String callId, UUID caseId, String code) {
    if (code == null || !code.matches("[0-9]{1,12}")) {
      return failed(Kind.INVALID_INPUT, "the code is the digits from the e-mail");
    }
    return pool.withTransaction(connection -> IdentificationRecord.loadForCase(connection, callId, caseId, true)
            .compose(record -> {
              requireInProgress(record);
              if (record.nextStep != Step.CODE_CONFIRMED) {
                throw new IdentificationException(Kind.STEP_OUT_OF_ORDER, "no code is waiting to be entered",
                    Map.of("expected", record.nextStep.name(), "given", Step.CODE_CONFIRMED.name()));
              }
              Instant now = now();
              if (now.isAfter(record.codeExpiresAt)) {
                throw new IdentificationException(Kind.CODE_EXPIRED, "the code has expired; the clerk can send a new one");
              }
              record.updatedAt = now;
              if (MessageDigest.isEqual(codeHash(record.id, code).getBytes(StandardCharsets.US_ASCII),
                  record.codeHash.getBytes(StandardCharsets.US_ASCII))) {
                record.nextStep = Step.RESULT;
                return record.addStep(connection, Step.CODE_CONFIRMED.name(), now, Actor.citizen(), "{}", null)
                    .compose(v -> record.save(connection)).map(v -> -1);
              }
              record.codeAttempts++;
              int left = settings.maxCodeAttempts() - record.codeAttempts;
              Future<Void> counted = record.addStep(connection, "CODE_WRONG", now, Actor.citizen(), "{}", null);
              if (left <= 0) {
                counted = counted.compose(v -> complete(connection, record, Status.FAILED,
                    FailureReason.CODE_NOT_CONFIRMED.name(), new Actor("server", Actor.SYSTEM)));
              } else {
                counted = counted.compose(v -> record.save(connection));
              }
              return counted.map(v -> left);
            }))
        .compose(left -> {
          // After the commit: a wrong code's count must stay even though the answer is a refusal.
          return guide(callId, caseId).compose(guide -> left < 0 ? Future.succeededFuture(guide)
              : Future.failedFuture(new IdentificationException(Kind.WRONG_CODE,
                  left > 0 ? "the code is wrong; " + left + " tries left" : "the code was wrong too many times; the identification failed",
                  Map.of("attemptsLeft", left, "status", guide.status()))));
        });
  }

  /** Whether the case has a VERIFIED identification, in any call: what its submission needs when its case type asks for one. */
  public Future<Boolean> isVerified(UUID caseId) {
    return pool.preparedQuery("select 1 from identification.identification where case_id = $1 and status = 'VERIFIED' limit 1")
        .execute(Tuple.of(caseId)).map(rows -> rows.size() > 0);
  }

  /** The citizen's view of the identification of their case in their call. */
  public Future<CitizenGuide> guide(String callId, UUID caseId) {
    return IdentificationRecord.loadForCase(pool, callId, caseId, false).map(record -> new CitizenGuide(record.id,
        record.status.name(), record.nextStep, record.attempt, record.nextStep == Step.TILT ? record.tilt : null,
        record.nextStep == Step.CODE_CONFIRMED, Math.max(0, settings.maxCodeAttempts() - record.codeAttempts),
        record.failureReason));
  }

  /**
   * Stops the attempt (poor video, lost connection, failed recording). While attempts remain the
   * clerk may {@link #restart}; aborting the last allowed attempt fails the identification.
   */
  public Future<IdentificationView> abort(Actor clerk, UUID id, AbortReason reason) {
    if (reason == null) {
      return failed(Kind.INVALID_INPUT, "reason is one of " + List.of(AbortReason.values()));
    }
    return change(id, (connection, record) -> {
      requireOwnClerk(clerk, record);
      requireInProgress(record);
      Instant now = now();
      record.abortReason = reason.name();
      record.updatedAt = now;
      return record.addStep(connection, "ABORT", now, clerk, json(Map.of("reason", reason.name())), null)
          .compose(v -> {
            if (record.attempt >= settings.maxAttempts()) {
              return complete(connection, record, Status.FAILED, FailureReason.RETRIES_EXHAUSTED.name(), clerk);
            }
            record.status = Status.ABORTED;
            return Future.succeededFuture();
          });
    });
  }

  /** Starts the next attempt after an abort, from the recording step on; consent already holds. */
  public Future<IdentificationView> restart(Actor clerk, UUID id) {
    return change(id, (connection, record) -> {
      requireOwnClerk(clerk, record);
      if (record.status != Status.ABORTED) {
        throw new IdentificationException(Kind.NOT_IN_PROGRESS, "only an aborted identification restarts; this one is " + record.status);
      }
      Instant now = now();
      record.attempt++;
      record.status = Status.IN_PROGRESS;
      record.nextStep = Step.RESTART;
      record.tilt = null;
      record.abortReason = null;
      record.codeHash = null;
      record.codeExpiresAt = null;
      record.codeAttempts = 0;
      record.updatedAt = now;
      return record.addStep(connection, "RESTART", now, clerk, "{}", null);
    });
  }

  /**
   * Records the result and seals the record. VERIFIED only once every step is done; FAILED at any
   * point, with a reason from {@link FailureReason}.
   */
  public Future<IdentificationView> finish(Actor clerk, UUID id, boolean verified, FailureReason reason) {
    if (verified == (reason != null)) {
      return failed(Kind.INVALID_INPUT, "verified takes no reason; failed needs one of " + List.of(FailureReason.values()));
    }
    if (reason == FailureReason.RETRIES_EXHAUSTED) {
      return failed(Kind.INVALID_INPUT, "RETRIES_EXHAUSTED is set by the server when the last attempt is aborted");
    }
    return change(id, (connection, record) -> {
      requireOwnClerk(clerk, record);
      if (record.status.finished()) {
        throw new IdentificationException(Kind.NOT_IN_PROGRESS, "the identification is already " + record.status);
      }
      if (verified && (record.status != Status.IN_PROGRESS || record.nextStep != Step.RESULT)) {
        throw new IdentificationException(Kind.STEP_OUT_OF_ORDER, "verified needs every step done; the checklist waits for "
            + record.nextStep, Map.of("expected", record.nextStep.name(), "given", Step.RESULT.name()));
      }
      return complete(connection, record, verified ? Status.VERIFIED : Status.FAILED,
          verified ? null : reason.name(), clerk);
    });
  }

  /**
   * Final state, seal and queue: the result becomes a RESULT event, the recording's manifest is
   * hashed, the seal is computed over everything and appended to the hash-chained audit trail (so
   * rewriting a record and its seal together is still caught), and the review queued if the case
   * type needs one. Runs in the caller's transaction.
   */
  private Future<Void> complete(SqlClient connection, IdentificationRecord record, Status status, String failureReason,
      Actor actor) {
    Instant now = now();
    record.status = status;
    record.failureReason = failureReason;
    record.nextStep = Step.RESULT;
    record.completedAt = now;
    record.updatedAt = now;
    record.codeHash = null;
    Map<String, Object> answers = new TreeMap<>();
    answers.put("status", status.name());
    if (failureReason != null) {
      answers.put("reason", failureReason);
    }
    // The recording ends with the identification: the hash sealed is the final manifest's, which holds every file's.
    return recorder.finish(record.callId)
        .compose(finished -> vertx.executeBlocking(() -> files.manifestSha256(record.callId).orElse(null), false))
        .compose(manifest -> {
          record.recordingSha256 = manifest;
          return record.addStep(connection, "RESULT", now, actor, json(answers), null);
        })
        .compose(v -> IdentificationRecord.steps(connection, record.id))
        .compose(steps -> IdentificationRecord.stills(connection, record.id)
            .map(stills -> record.computeSeal(steps, stills)))
        .compose(seal -> {
          record.seal = seal;
          return record.save(connection)
              .compose(v -> audit.append(connection, entry(actor, "identification.sealed", record.id, "result " + status, seal)));
        })
        .compose(v -> !settings.reviewCaseTypes().contains(record.caseType) ? Future.<Void>succeededFuture()
            : connection.preparedQuery("insert into identification.review (identification_id, status, queued_at) values ($1, 'PENDING', $2)")
                .execute(Tuple.of(record.id, IdentificationRecord.offset(now))).mapEmpty());
  }

  /** Checks a sealed identification against its rows, its files and the audit trail's copy of the seal. */
  public Future<Verification> verify(Actor who, UUID id) {
    if (!who.isReviewer()) {
      return failed(Kind.FORBIDDEN, "only a supervisor or an auditor verifies identifications");
    }
    return IdentificationRecord.load(pool, id, false).compose(record -> IdentificationRecord.steps(pool, id)
        .compose(steps -> IdentificationRecord.stills(pool, id).compose(stills -> audit.forSubject(SUBJECT, id.toString())
            .compose(trail -> vertx.executeBlocking(() -> {
              List<String> problems = new ArrayList<>();
              String recomputed = record.computeSeal(steps, stills);
              if (record.seal == null) {
                problems.add("the identification is not sealed: it is " + record.status);
              } else if (!record.seal.equals(recomputed)) {
                problems.add("the record's rows no longer match its seal");
              }
              if (record.seal != null && trail.stream().noneMatch(entry -> entry.entry().action().equals("identification.sealed")
                  && entry.entry().detail().equals(record.seal))) {
                problems.add("the seal is not the one the audit trail recorded");
              }
              for (StillRow still : stills) {
                var path = files.still(id, still.fileName());
                if (!Files.exists(path)) {
                  problems.add("still " + still.still().kind() + " of attempt " + still.still().attempt() + " is missing");
                } else if (!Sha256.of(path).equals(still.still().sha256())) {
                  problems.add("still " + still.still().kind() + " of attempt " + still.still().attempt() + " does not match its SHA-256");
                }
              }
              if (record.recordingSha256 != null) {
                Optional<String> manifest = files.manifestSha256(record.callId);
                if (manifest.isEmpty()) {
                  problems.add("the recording's manifest is missing");
                } else if (!manifest.get().equals(record.recordingSha256)) {
                  problems.add("the recording's manifest does not match its SHA-256");
                } else {
                  problems.addAll(files.checkRecording(record.callId));
                }
              }
              return new Verification(id, problems.isEmpty(), record.seal, recomputed, problems);
            }, false)))));
  }

  /** A still's file for its clerk or a reviewer; the viewing is written to the audit trail first. */
  public Future<StillFile> still(Actor who, UUID id, StillKind kind, String reason) {
    return IdentificationRecord.load(pool, id, false).compose(record -> {
      requireReader(who, record);
      requireReason(reason);
      return IdentificationRecord.stills(pool, id).compose(stills -> {
        StillRow latest = stills.stream().filter(row -> row.still().kind().equals(kind.name()))
            .reduce((first, second) -> second)
            .orElseThrow(() -> new IdentificationException(Kind.NOT_FOUND, "no " + kind.wireName() + " still"));
        return audit.append(entry(who, "identification.still.viewed", id, reason, kind.wireName() + " " + latest.still().sha256()))
            .map(v -> new StillFile(files.still(id, latest.fileName()), latest.still().contentType(), latest.still().sha256()));
      });
    });
  }

  /** A file of the call's recording for its clerk or a reviewer; the playback is audited first. */
  public Future<java.nio.file.Path> recordingFile(Actor who, UUID id, String fileName, String reason) {
    return IdentificationRecord.load(pool, id, false).compose(record -> {
      requireReader(who, record);
      requireReason(reason);
      return vertx.executeBlocking(() -> files.recordingFile(record.callId, fileName)
              .orElseThrow(() -> new IdentificationException(Kind.NOT_FOUND, "the recording has no file " + fileName)), false)
          .compose(path -> audit.append(new AuditEntry(who.id(), who.role(), "recording.played", "recording", record.callId,
              reason, fileName + " identification " + id)).map(path));
    });
  }

  // ---- steps ----

  /** Checks a step's answers and returns them as stored (canonical JSON); may set the record's tilt or code. */
  private Future<String> stepAnswers(SqlClient connection, IdentificationRecord record, Step step, JsonNode answers) {
    Map<String, Object> stored = new TreeMap<>();
    switch (step) {
      case CONSENT -> {
        if (!answers.path("consent").asBoolean(false)) {
          throw invalid("consent must be true; if the citizen declines, record the result failed with CITIZEN_DECLINED");
        }
        stored.put("consent", true);
      }
      case RECORDING_STARTED -> {
        // The consent step before this one is the citizen's consent to the recording.
        return recorder.ensureRecording(record.callId).transform(started -> vertx.executeBlocking(() ->
            files.manifestSha256(record.callId), false).map(manifest -> {
              if (settings.requireRecording() && (started.failed() || manifest.isEmpty())) {
                throw new IdentificationException(Kind.RECORDING_MISSING, "the call is not being recorded"
                    + (started.failed() ? ": " + started.cause().getMessage() : ""));
              }
              return json(Map.of("recordingFound", manifest.isPresent()));
            }));
      }
      case DOCUMENT_FRONT -> record.tilt = TiltInstruction.random().name();
      case TILT -> {
        if (!answers.path("observed").asBoolean(false)) {
          throw invalid("observed must be true: the features changed as the document moved; otherwise abort or fail");
        }
        if (!record.tilt.equals(answers.path("instruction").asText())) {
          throw invalid("the instruction given was " + record.tilt);
        }
        stored.put("instruction", record.tilt);
        stored.put("observed", true);
      }
      case DOCUMENT_BACK -> { }
      case STILLS -> {
        return IdentificationRecord.stills(connection, record.id).map(stills -> {
          TreeSet<String> taken = new TreeSet<>();
          stills.stream().filter(row -> row.still().attempt() == record.attempt).forEach(row -> taken.add(row.still().kind()));
          List<String> missing = java.util.Arrays.stream(StillKind.values()).map(Enum::name).filter(kind -> !taken.contains(kind)).toList();
          if (!missing.isEmpty()) {
            throw new IdentificationException(Kind.STILLS_MISSING, "stills still missing: " + missing, Map.of("missing", missing));
          }
          return json(Map.of("stills", taken));
        });
      }
      case SECURITY_FEATURES -> {
        DocumentType type = documents.find(record.documentType).orElseThrow();
        TreeSet<String> confirmed = new TreeSet<>();
        answers.path("confirmed").forEach(feature -> confirmed.add(feature.asText()));
        List<String> unknown = confirmed.stream().filter(feature -> !type.featureIds().contains(feature)).toList();
        if (!unknown.isEmpty()) {
          throw invalid("not security features of " + type.id() + ": " + unknown);
        }
        List<String> missing = type.featureIds().stream().filter(feature -> !confirmed.contains(feature)).toList();
        if (!missing.isEmpty()) {
          throw new IdentificationException(Kind.FEATURES_INCOMPLETE, "not confirmed: " + missing
              + "; if a feature is wrong, fail with SECURITY_FEATURES_NOT_CONFIRMED", Map.of("missing", missing));
        }
        stored.put("confirmed", confirmed);
      }
      case FACE_COMPARISON -> {
        if (!answers.path("match").asBoolean(false)) {
          throw invalid("match must be true; if the face does not match, fail with FACE_MISMATCH");
        }
        stored.put("match", true);
      }
      case MRZ -> stored.putAll(DocumentCheck.check(documents.find(record.documentType).orElseThrow(), answers,
          new CaseFacts(record.caseType, record.caseFamilyName, record.caseGivenNames), clock));
      case CODE_SENT -> {
        String email = answers.path("email").asText("");
        if (!Mailer.isAddress(email)) {
          throw invalid("email must be an e-mail address");
        }
        String code = code();
        return mailer.send(CodeEmail.of(email, answers.path("language").asText("hu"), code, settings.codeTtl().toMinutes()))
            .recover(failure -> Future.failedFuture(new IdentificationException(Kind.CODE_NOT_SENT,
                "the code e-mail could not be sent; try again or check the address")))
            .map(sent -> {
              record.email = email;
              record.codeHash = codeHash(record.id, code);
              record.codeExpiresAt = now().plus(settings.codeTtl());
              record.codeAttempts = 0;
              return json(Map.of("email", email));
            });
      }
      default -> throw new IllegalStateException("not a clerk step: " + step);
    }
    return Future.succeededFuture(json(stored));
  }

  private void requireQuality(VideoQuality quality) {
    QualityLimits limits = settings.qualityLimits();
    if (quality == null) {
      throw invalid("report the received video's width, height and fps with this step");
    }
    if (!quality.meets(limits)) {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("width", quality.width());
      figures.put("height", quality.height());
      figures.put("fps", quality.fps());
      figures.put("minWidth", limits.minWidth());
      figures.put("minHeight", limits.minHeight());
      figures.put("minFps", limits.minFps());
      throw new IdentificationException(Kind.QUALITY_TOO_LOW, "the received video is " + quality.width() + "x" + quality.height()
          + " at " + quality.fps() + " fps; at least " + limits.minWidth() + "x" + limits.minHeight() + " at "
          + limits.minFps() + " fps is needed", figures);
    }
  }

  private void checkStill(StillAnalysis analysis, VideoQuality quality) {
    QualityLimits limits = settings.qualityLimits();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("width", analysis.width());
    figures.put("height", analysis.height());
    figures.put("sharpness", analysis.sharpness());
    figures.put("glare", analysis.glare());
    figures.put("minSharpness", limits.minSharpness());
    figures.put("maxGlare", limits.maxGlare());
    if (analysis.width() != quality.width() || analysis.height() != quality.height()) {
      throw new IdentificationException(Kind.STILL_REJECTED, "the still is " + analysis.width() + "x" + analysis.height()
          + " but the received video is " + quality.width() + "x" + quality.height() + ": capture it from the call at full resolution", figures);
    }
    if (analysis.sharpness() < limits.minSharpness()) {
      throw new IdentificationException(Kind.STILL_REJECTED, "the still is blurred (sharpness "
          + Math.round(analysis.sharpness()) + ", at least " + limits.minSharpness() + " needed)", figures);
    }
    if (analysis.glare() > limits.maxGlare()) {
      throw new IdentificationException(Kind.STILL_REJECTED, "glare covers " + Math.round(analysis.glare() * 100)
          + "% of the still (at most " + Math.round(limits.maxGlare() * 100) + "%)", figures);
    }
  }

  // ---- plumbing ----

  @FunctionalInterface
  private interface Change<T> {
    Future<T> apply(SqlClient connection, IdentificationRecord record);
  }

  /** Loads and locks the record, applies the change, saves the record and commits; a refusal rolls all back. */
  private <T> Future<T> locked(UUID id, Change<T> change) {
    return pool.withTransaction(connection -> IdentificationRecord.load(connection, id, true).compose(record -> {
      Future<T> applied;
      try {
        applied = change.apply(connection, record);
      } catch (RuntimeException refused) {
        applied = Future.failedFuture(refused);
      }
      return applied.compose(result -> record.save(connection).map(result));
    }));
  }

  /** {@link #locked}, answered with the identification as it is after the change. */
  private <T> Future<IdentificationView> change(UUID id, Change<T> change) {
    return locked(id, change).compose(v -> view(id));
  }

  Future<IdentificationView> view(UUID id) {
    return IdentificationRecord.load(pool, id, false).compose(record -> IdentificationRecord.steps(pool, id)
        .compose(steps -> IdentificationRecord.stills(pool, id).compose(stills -> IdentificationRecord.review(pool, id)
            .map(review -> new IdentificationView(record.id, record.callId, record.caseId, record.caseType, record.documentType,
                record.clerkId, record.status.name(), record.nextStep, record.attempt, settings.maxAttempts(), record.tilt,
                record.abortReason, record.failureReason, record.email,
                Math.max(0, settings.maxCodeAttempts() - record.codeAttempts), steps,
                stills.stream().map(StillRow::still).toList(), record.recordingSha256, record.startedAt, record.completedAt,
                record.seal, review, new VideoQuality(settings.minWidth(), settings.minHeight(), settings.minFps()))))));
  }

  private String code() {
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < settings.codeLength(); i++) {
      code.append(RANDOM.nextInt(10));
    }
    return code.toString();
  }

  /** Only the hash is kept: a database reader cannot enter the code for the citizen. */
  private static String codeHash(UUID id, String code) {
    return Sha256.of(id + ":" + code);
  }

  private Instant now() {
    // Microseconds: what timestamptz keeps, so the seal recomputed from the rows covers the same text.
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static AuditEntry entry(Actor actor, String action, UUID id, String reason, String detail) {
    return new AuditEntry(actor.id(), actor.role(), action, SUBJECT, id.toString(), reason, detail);
  }

  private static void requireClerkRole(Actor actor) {
    if (!actor.role().equals(Actor.CLERK)) {
      throw new IdentificationException(Kind.FORBIDDEN, "only a clerk runs an identification");
    }
  }

  private static void requireOwnClerk(Actor actor, IdentificationRecord record) {
    requireClerkRole(actor);
    if (!record.clerkId.equals(actor.id())) {
      throw new IdentificationException(Kind.FORBIDDEN, "this identification is run by another clerk");
    }
  }

  private static void requireReader(Actor actor, IdentificationRecord record) {
    if (!actor.isReviewer() && !(actor.role().equals(Actor.CLERK) && record.clerkId.equals(actor.id()))) {
      throw new IdentificationException(Kind.FORBIDDEN, "only its clerk, a supervisor or an auditor may see this identification");
    }
  }

  private static void requireReason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw invalid("state why you open the evidence (Access-Reason): it goes to the audit trail");
    }
  }

  private static void requireInProgress(IdentificationRecord record) {
    if (record.status != Status.IN_PROGRESS) {
      throw new IdentificationException(Kind.NOT_IN_PROGRESS, "the identification is " + record.status
          + (record.status == Status.ABORTED ? "; restart it first" : ""));
    }
  }

  private static IdentificationException invalid(String message) {
    return new IdentificationException(Kind.INVALID_INPUT, message);
  }

  private static <T> Future<T> failed(Kind kind, String message) {
    return Future.failedFuture(new IdentificationException(kind, message));
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
