package ablak.identification;

import ablak.identification.checklist.Step;
import ablak.identification.quality.VideoQuality;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An identification as staff see it: the checklist's state, every recorded event, the stills, the
 * recording reference, the seal and the review. The one-time code itself is never shown.
 *
 * @param nextStep   the step the checklist waits for ({@code RESULT} once everything is done)
 * @param tilt       the movement the citizen is asked for in this attempt, once the front has been shown
 * @param steps      completed steps and events (ABORT, RESTART, RESULT, CODE_WRONG), in order
 * @param recordingSha256 SHA-256 of the call recording's manifest.json, taken when the record was sealed
 * @param review     the four-eyes review, {@code null} when the case type needs none
 * @param minimums   the received video the video steps and stills need, so the desktop can show it live
 */
public record IdentificationView(UUID id, String callId, UUID caseId, String caseType, String documentType,
    String clerkId, String status, Step nextStep, int attempt, int maxAttempts, String tilt, String abortReason,
    String failureReason, String email, int codeAttemptsLeft, List<StepRecord> steps, List<StillRecord> stills,
    String recordingSha256,
    @JsonSerialize(using = ToStringSerializer.class) Instant startedAt,
    @JsonSerialize(using = ToStringSerializer.class) Instant completedAt,
    String seal, ReviewRecord review, VideoQuality minimums) {

  /** One completed step or event, with the video quality reported with it (null when none was). */
  public record StepRecord(int seq, int attempt, String step,
      @JsonSerialize(using = ToStringSerializer.class) Instant at, String actorId, String actorRole, String answers,
      Integer videoWidth, Integer videoHeight, Double videoFps) {}

  /** One accepted still and the figures computed on it. */
  public record StillRecord(int attempt, String kind, String contentType, String sha256, long bytes, int width,
      int height, double sharpness, double glare,
      @JsonSerialize(using = ToStringSerializer.class) Instant capturedAt) {}

  public record ReviewRecord(String status, @JsonSerialize(using = ToStringSerializer.class) Instant queuedAt,
      String reviewerId, String reviewerRole, @JsonSerialize(using = ToStringSerializer.class) Instant reviewedAt,
      String note) {}
}
