package ablak.identification;

import static ablak.identification.Harness.await;
import static ablak.identification.Refusals.refused;
import static ablak.identification.Walkthrough.CLERK;
import static org.assertj.core.api.Assertions.assertThat;

import ablak.identification.IdentificationException.Kind;
import ablak.identification.checklist.AbortReason;
import ablak.identification.checklist.Step;
import ablak.identification.checklist.StillKind;
import ablak.identification.evidence.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sealed record: tamper detection, audited access, four-eyes review, retention. */
class EvidenceTest {

  static final Actor AUDITOR = new Actor("auditor-1", Actor.AUDITOR);
  static final Actor SUPERVISOR = new Actor("supervisor-1", Actor.SUPERVISOR);

  private final Harness harness = new Harness(s -> new IdentificationSettings(s.evidenceDirectory(), s.recordingsDirectory(),
      false, s.minWidth(), s.minHeight(), s.minFps(), s.minSharpness(), s.maxGlare(), s.maxStillBytes(), s.maxAttempts(),
      s.codeLength(), s.codeTtl(), s.maxCodeAttempts(),
      s.reviewCaseTypes(), Duration.ofDays(365), Duration.ofDays(7), s.retentionInterval(), s.poolSize(),
      s.poolWaitQueueSize(), s.poolConnectionTimeout()));
  private final Walkthrough walk = new Walkthrough(harness);

  @AfterEach
  void close() {
    harness.close();
  }

  /** What the media recorder leaves for a call: a track file and a manifest with its SHA-256. */
  private Path record(String callId) throws Exception {
    Path directory = Files.createDirectories(harness.recordings.resolve(callId));
    Path video = directory.resolve("citizen.camera.ivf");
    Files.write(video, "DKIF recorded frames".getBytes(StandardCharsets.US_ASCII));
    Files.writeString(directory.resolve("manifest.json"), "{\"callId\":\"" + callId + "\",\"tracks\":[{\"participantId\":\"citizen\","
        + "\"trackId\":\"camera\",\"file\":\"citizen.camera.ivf\",\"sha256\":\"" + Sha256.of(video) + "\"}]}");
    return video;
  }

  @Test
  void anUntouchedRecordVerifiesWithItsRecording() throws Exception {
    walk.open();
    record(walk.callId);
    IdentificationView view = walk.verified();

    Verification verification = await(harness.service().verify(AUDITOR, view.id()));

    assertThat(view.recordingSha256()).isEqualTo(Sha256.of(harness.recordings.resolve(walk.callId).resolve("manifest.json")));
    assertThat(verification.problems()).isEmpty();
    assertThat(verification.intact()).isTrue();
    assertThat(verification.recomputedSeal()).isEqualTo(view.seal());
  }

  @Test
  void aChangedRowIsDetected() {
    IdentificationView view = walk.verified();

    harness.tamper("update identification.step set answers = '{\"match\":false}' where step = 'FACE_COMPARISON'");

    Verification verification = await(harness.service().verify(AUDITOR, view.id()));
    assertThat(verification.intact()).isFalse();
    assertThat(verification.problems()).containsExactly("the record's rows no longer match its seal");
  }

  @Test
  void aRowRewrittenTogetherWithANewSealIsCaughtByTheAuditTrail() {
    IdentificationView view = walk.verified();
    harness.tamper("update identification.identification set clerk_id = 'someone-else' where id = '" + view.id() + "'");
    String forged = await(harness.service().verify(AUDITOR, view.id())).recomputedSeal();

    harness.tamper("update identification.identification set seal = '" + forged + "' where id = '" + view.id() + "'");

    assertThat(await(harness.service().verify(AUDITOR, view.id())).problems())
        .containsExactly("the seal is not the one the audit trail recorded");
  }

  @Test
  void aChangedStillOrRecordingFileIsDetected() throws Exception {
    walk.open();
    Path video = record(walk.callId);
    IdentificationView view = walk.verified();

    Files.write(harness.evidence.resolve(view.id().toString()).resolve("1-face.png"), Images.png(Images.sharp(1280, 720)),
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(video, "re-encoded", java.nio.file.StandardOpenOption.APPEND);

    assertThat(await(harness.service().verify(AUDITOR, view.id())).problems()).containsExactlyInAnyOrder(
        "still FACE of attempt 1 does not match its SHA-256",
        "recording file citizen.camera.ivf does not match its SHA-256");
  }

  @Test
  void viewingAStillAndPlayingTheRecordingAreAudited() throws Exception {
    walk.open();
    record(walk.callId);
    IdentificationView view = walk.verified();

    StillFile still = await(harness.service().still(SUPERVISOR, view.id(), StillKind.FACE, "review 2026/1"));
    Path file = await(harness.service().recordingFile(AUDITOR, view.id(), "citizen.camera.ivf", "complaint 2026/77"));

    assertThat(Sha256.of(still.path())).isEqualTo(still.sha256());
    assertThat(file.getFileName().toString()).isEqualTo("citizen.camera.ivf");
    assertThat(harness.auditActions(view.id())).contains("identification.still.viewed");
    assertThat(await(harness.audit.forSubject("recording", walk.callId))).singleElement().satisfies(entry -> {
      assertThat(entry.entry().action()).isEqualTo("recording.played");
      assertThat(entry.entry().actorId()).isEqualTo("auditor-1");
      assertThat(entry.entry().reason()).isEqualTo("complaint 2026/77");
    });
    assertThat(await(harness.audit.verify()).intact()).isTrue();
  }

  @Test
  void evidenceIsRefusedWithoutAReasonOrToOtherClerksAndUnlistedFilesAreNotServed() throws Exception {
    walk.open();
    record(walk.callId);
    IdentificationView view = walk.verified();

    refused(Kind.INVALID_INPUT, harness.service().still(SUPERVISOR, view.id(), StillKind.FACE, " "));
    refused(Kind.FORBIDDEN, harness.service().still(Actor.clerk("clerk-2"), view.id(), StillKind.FACE, "curious"));
    refused(Kind.NOT_FOUND, harness.service().recordingFile(AUDITOR, view.id(), "manifest.json", "audit"));
    refused(Kind.NOT_FOUND, harness.service().recordingFile(AUDITOR, view.id(), "../../etc/passwd", "audit"));
    refused(Kind.FORBIDDEN, harness.service().verify(CLERK, view.id()));
    assertThat(harness.auditActions(view.id())).doesNotContain("identification.still.viewed");
  }

  @Test
  void aSecondPersonConfirmsTheReview() {
    IdentificationView view = walk.verified();
    assertThat(await(harness.module.reviews().pending(SUPERVISOR, 10))).singleElement()
        .satisfies(item -> assertThat(item.identificationId()).isEqualTo(view.id()));

    refused(Kind.FORBIDDEN, harness.module.reviews().decide(CLERK, view.id(), true, null));
    refused(Kind.SAME_PERSON, harness.module.reviews().decide(new Actor(CLERK.id(), Actor.SUPERVISOR), view.id(), true, null));
    refused(Kind.INVALID_INPUT, harness.module.reviews().decide(SUPERVISOR, view.id(), false, ""));
    await(harness.module.reviews().decide(SUPERVISOR, view.id(), true, null));

    assertThat(await(harness.service().get(AUDITOR, view.id())).review().status()).isEqualTo("CONFIRMED");
    assertThat(await(harness.module.reviews().pending(AUDITOR, 10))).isEmpty();
    refused(Kind.NOT_UNDER_REVIEW, harness.module.reviews().decide(AUDITOR, view.id(), false, "second thoughts"));
    assertThat(harness.auditActions(view.id())).endsWith("identification.review.confirmed");
    assertThat(await(harness.service().verify(AUDITOR, view.id())).intact()).isTrue();
  }

  @Test
  void retentionDeletesAbortedRecordsSoonerAndCompletedOnesAfterTheirPeriod() throws Exception {
    Walkthrough aborted = new Walkthrough(harness);
    aborted.upTo(Step.STILLS);
    await(harness.service().addStill(CLERK, aborted.id, StillKind.FACE, "image/png", Images.png(Images.sharp(1280, 720)),
        Walkthrough.HD));
    record(aborted.callId);
    await(harness.service().abort(CLERK, aborted.id, AbortReason.POOR_VIDEO));
    walk.open();
    record(walk.callId);
    IdentificationView verified = walk.verified();

    harness.clock.advance(Duration.ofDays(8));
    assertThat(await(harness.module.retention().runOnce())).isEqualTo(1);

    assertThat(Files.exists(harness.evidence.resolve(aborted.id.toString()))).isFalse();
    assertThat(Files.exists(harness.recordings.resolve(aborted.callId))).isFalse();
    refused(Kind.NOT_FOUND, harness.service().get(AUDITOR, aborted.id));
    assertThat(Files.exists(harness.evidence.resolve(verified.id().toString()))).isTrue();

    harness.clock.advance(Duration.ofDays(365));
    assertThat(await(harness.module.retention().runOnce())).isEqualTo(1);

    refused(Kind.NOT_FOUND, harness.service().get(AUDITOR, verified.id()));
    assertThat(Files.exists(harness.evidence.resolve(verified.id().toString()))).isFalse();
    assertThat(Files.exists(harness.recordings.resolve(walk.callId))).isFalse();
    assertThat(countRows("identification.step") + countRows("identification.still") + countRows("identification.review")).isZero();
    assertThat(await(harness.audit.forSubject("identification", verified.id().toString())))
        .filteredOn(entry -> entry.entry().action().equals("identification.deleted"))
        .singleElement().satisfies(entry -> assertThat(entry.entry().detail()).isEqualTo(verified.seal()));
    assertThat(harness.auditActions(aborted.id)).endsWith("identification.deleted");
    assertThat(await(harness.audit.verify()).intact()).isTrue();
  }

  private long countRows(String table) {
    return await(harness.sql.query("select count(*) as n from " + table).execute()).iterator().next().getLong("n");
  }

  @Test
  void completedIdentificationsOfOtherCaseTypesSkipTheReview() {
    try (Harness noReview = new Harness(s -> new IdentificationSettings(s.evidenceDirectory(), s.recordingsDirectory(), false,
        s.minWidth(), s.minHeight(), s.minFps(), s.minSharpness(), s.maxGlare(), s.maxStillBytes(), s.maxAttempts(),
        s.codeLength(), s.codeTtl(), s.maxCodeAttempts(),
        List.of("passport-renewal"), s.retention(), s.abortedRetention(), s.retentionInterval(), s.poolSize(),
        s.poolWaitQueueSize(), s.poolConnectionTimeout()))) {
      IdentificationView view = new Walkthrough(noReview).verified();

      assertThat(view.review()).isNull();
      assertThat(await(noReview.module.reviews().pending(AUDITOR, 10))).isEmpty();
    }
  }
}
