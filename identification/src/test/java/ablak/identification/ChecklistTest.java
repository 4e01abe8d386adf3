package ablak.identification;

import static ablak.identification.Harness.await;
import static ablak.identification.Refusals.refused;
import static ablak.identification.Walkthrough.CLERK;
import static ablak.identification.Walkthrough.HD;
import static ablak.identification.Walkthrough.json;
import static org.assertj.core.api.Assertions.assertThat;

import ablak.identification.IdentificationException.Kind;
import ablak.identification.checklist.AbortReason;
import ablak.identification.checklist.FailureReason;
import ablak.identification.checklist.Step;
import ablak.identification.checklist.TiltInstruction;
import ablak.identification.quality.VideoQuality;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChecklistTest {

  private final Harness harness = new Harness();
  private final Walkthrough walk = new Walkthrough(harness);

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void aCompleteIdentificationIsVerifiedSealedAndQueuedForReview() {
    IdentificationView view = walk.verified();

    assertThat(view.status()).isEqualTo("VERIFIED");
    assertThat(Walkthrough.steps(view)).containsExactly("CONSENT", "RECORDING_STARTED", "DOCUMENT_FRONT", "TILT",
        "DOCUMENT_BACK", "STILLS", "SECURITY_FEATURES", "FACE_COMPARISON", "MRZ", "CODE_SENT", "CODE_CONFIRMED", "RESULT");
    assertThat(view.steps().get(10).actorRole()).isEqualTo("CITIZEN");
    assertThat(view.steps().get(3).videoWidth()).isEqualTo(1280);
    assertThat(view.stills()).extracting(IdentificationView.StillRecord::kind).containsExactlyInAnyOrder("FACE", "FRONT", "BACK");
    assertThat(view.seal()).hasSize(64);
    assertThat(view.review().status()).isEqualTo("PENDING");
    assertThat(harness.auditActions(view.id())).containsExactly("identification.started", "identification.sealed");
    assertThat(await(harness.service().verify(new Actor("auditor-1", Actor.AUDITOR), view.id())).intact()).isTrue();
  }

  @Test
  void theRecordingStepStartsTheRecordingAndTheResultSealsItsFinalManifest() throws Exception {
    walk.upTo(Step.DOCUMENT_FRONT);
    assertThat(harness.recorder.started).containsExactly(walk.callId);
    assertThat(harness.recorder.finished).isEmpty();

    IdentificationView view = walk.verified();

    assertThat(harness.recorder.finished).containsExactly(walk.callId);
    assertThat(view.recordingSha256()).isEqualTo(ablak.identification.evidence.Sha256.of(
        harness.recordings.resolve(walk.callId).resolve("manifest.json")));
    assertThat(java.nio.file.Files.readString(harness.recordings.resolve(walk.callId).resolve("manifest.json"))).contains("stoppedAt");
    assertThat(await(harness.service().isVerified(walk.caseId))).isTrue();
    assertThat(await(harness.service().isVerified(java.util.UUID.randomUUID()))).isFalse();
  }

  @Test
  void theTiltInstructionIsChosenOnlyOnceTheFrontHasBeenShown() {
    assertThat(walk.upTo(Step.DOCUMENT_FRONT).tilt()).isNull();

    String tilt = walk.step(Step.DOCUMENT_FRONT, "{}").tilt();

    assertThat(TiltInstruction.valueOf(tilt)).isNotNull();
    assertThat(await(harness.service().guide(walk.callId, walk.caseId)).tilt()).isEqualTo(tilt);
  }

  @Test
  void aStepOutOfOrderIsRefusedAndChangesNothing() {
    walk.open();

    IdentificationException refusal = refused(Kind.STEP_OUT_OF_ORDER,
        harness.service().completeStep(CLERK, walk.id, Step.DOCUMENT_FRONT, HD, json("{}")));

    assertThat(refusal.details()).containsEntry("expected", "CONSENT");
    IdentificationView view = await(harness.service().get(CLERK, walk.id));
    assertThat(view.nextStep()).isEqualTo(Step.CONSENT);
    assertThat(view.steps()).isEmpty();
  }

  @Test
  void aVideoStepBelowTheMinimumsIsRefusedWithTheFigures() {
    walk.upTo(Step.DOCUMENT_FRONT);

    IdentificationException refusal = refused(Kind.QUALITY_TOO_LOW, harness.service().completeStep(CLERK, walk.id,
        Step.DOCUMENT_FRONT, new VideoQuality(640, 480, 15), json("{}")));

    assertThat(refusal.details()).containsEntry("width", 640).containsEntry("minWidth", 1280).containsEntry("minFps", 20.0);
    assertThat(await(harness.service().get(CLERK, walk.id)).nextStep()).isEqualTo(Step.DOCUMENT_FRONT);
    refused(Kind.INVALID_INPUT, harness.service().completeStep(CLERK, walk.id, Step.DOCUMENT_FRONT, null, json("{}")));
  }

  @Test
  void theTiltAnswerMustNameTheInstructionTheServerGave() {
    String given = walk.upTo(Step.TILT).tilt();
    String other = given.equals("TILT_LEFT") ? "TILT_RIGHT" : "TILT_LEFT";

    refused(Kind.INVALID_INPUT, harness.service().completeStep(CLERK, walk.id, Step.TILT, HD,
        json("{\"instruction\":\"" + other + "\",\"observed\":true}")));
  }

  @Test
  void verifiedIsRefusedUntilEveryStepIsDone() {
    walk.upTo(Step.CODE_SENT);

    refused(Kind.STEP_OUT_OF_ORDER, harness.service().finish(CLERK, walk.id, true, null));
    refused(Kind.INVALID_INPUT, harness.service().finish(CLERK, walk.id, false, null));
    assertThat(await(harness.service().get(CLERK, walk.id)).status()).isEqualTo("IN_PROGRESS");
  }

  @Test
  void failingWithAReasonSealsTheRecordAtAnyStep() {
    walk.upTo(Step.FACE_COMPARISON);

    IdentificationView view = await(harness.service().finish(CLERK, walk.id, false, FailureReason.FACE_MISMATCH));

    assertThat(view.status()).isEqualTo("FAILED");
    assertThat(view.failureReason()).isEqualTo("FACE_MISMATCH");
    assertThat(view.seal()).isNotNull();
    refused(Kind.NOT_IN_PROGRESS, harness.service().finish(CLERK, walk.id, false, FailureReason.SUSPECTED_FRAUD));
  }

  @Test
  void onlyTheClerkWhoStartedItRunsIt() {
    walk.open();

    refused(Kind.FORBIDDEN, harness.service().completeStep(Actor.clerk("clerk-2"), walk.id, Step.CONSENT, HD,
        json("{\"consent\":true}")));
    refused(Kind.FORBIDDEN, harness.service().completeStep(new Actor("sup-1", Actor.SUPERVISOR), walk.id, Step.CONSENT, HD,
        json("{\"consent\":true}")));
    refused(Kind.ALREADY_STARTED, harness.service().open(Actor.clerk("clerk-2"), walk.callId, walk.caseId,
        Walkthrough.CASE, "hu-id-card"));
    assertThat(await(harness.service().open(CLERK, walk.callId, walk.caseId, Walkthrough.CASE, "hu-id-card")).id())
        .isEqualTo(walk.id);
  }

  @Test
  void badStartsAreRefused() {
    refused(Kind.INVALID_INPUT, harness.service().open(CLERK, "call/../x", walk.caseId, Walkthrough.CASE, "hu-id-card"));
    refused(Kind.INVALID_INPUT, harness.service().open(CLERK, walk.callId, walk.caseId, Walkthrough.CASE, "library-card"));
    refused(Kind.FORBIDDEN, harness.service().open(new Actor("aud", Actor.AUDITOR), walk.callId, walk.caseId,
        Walkthrough.CASE, "hu-id-card"));
  }

  @Test
  void anAbortedAttemptRestartsFromTheRecordingWithANewTilt() {
    walk.upTo(Step.DOCUMENT_BACK);

    IdentificationView aborted = await(harness.service().abort(CLERK, walk.id, AbortReason.POOR_VIDEO));
    assertThat(aborted.status()).isEqualTo("ABORTED");
    assertThat(aborted.abortReason()).isEqualTo("POOR_VIDEO");
    refused(Kind.NOT_IN_PROGRESS, harness.service().completeStep(CLERK, walk.id, Step.DOCUMENT_BACK, HD, json("{}")));

    IdentificationView restarted = await(harness.service().restart(CLERK, walk.id));

    assertThat(restarted.status()).isEqualTo("IN_PROGRESS");
    assertThat(restarted.attempt()).isEqualTo(2);
    assertThat(restarted.nextStep()).isEqualTo(Step.RECORDING_STARTED);
    assertThat(restarted.tilt()).isNull();
  }

  @Test
  void abortingTheLastAllowedAttemptFailsTheIdentification() {
    walk.open();
    for (int attempt = 1; attempt < harness.settings.maxAttempts(); attempt++) {
      await(harness.service().abort(CLERK, walk.id, AbortReason.CONNECTION_LOST));
      await(harness.service().restart(CLERK, walk.id));
    }

    IdentificationView last = await(harness.service().abort(CLERK, walk.id, AbortReason.POOR_LIGHTING));

    assertThat(last.status()).isEqualTo("FAILED");
    assertThat(last.failureReason()).isEqualTo("RETRIES_EXHAUSTED");
    assertThat(last.seal()).isNotNull();
    refused(Kind.NOT_IN_PROGRESS, harness.service().restart(CLERK, walk.id));
  }

  @Test
  void withoutARecordingTheRecordingStepIsRefusedUnlessRecordingIsOptional() {
    try (Harness optional = new Harness(settings -> withRequireRecording(settings, false), false)) {
      Walkthrough optionalWalk = new Walkthrough(optional);
      optionalWalk.upTo(Step.RECORDING_STARTED);
      assertThat(optionalWalk.step(Step.RECORDING_STARTED, "{}").nextStep()).isEqualTo(Step.DOCUMENT_FRONT);
    }
    try (Harness strict = new Harness(settings -> settings, false)) {
      Walkthrough strictWalk = new Walkthrough(strict);
      strictWalk.upTo(Step.RECORDING_STARTED);

      refused(Kind.RECORDING_MISSING, strict.service().completeStep(CLERK, strictWalk.id, Step.RECORDING_STARTED, HD, json("{}")));
    }
  }

  private static IdentificationSettings withRequireRecording(IdentificationSettings s, boolean required) {
    return new IdentificationSettings(s.evidenceDirectory(), s.recordingsDirectory(), required, s.minWidth(), s.minHeight(),
        s.minFps(), s.minSharpness(), s.maxGlare(), s.maxStillBytes(), s.maxAttempts(), s.codeLength(), s.codeTtl(),
        s.maxCodeAttempts(), s.reviewCaseTypes(), s.retention(), s.abortedRetention(),
        s.retentionInterval(), s.poolSize(), s.poolWaitQueueSize(), s.poolConnectionTimeout());
  }
}
