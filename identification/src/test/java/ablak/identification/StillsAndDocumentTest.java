package ablak.identification;

import static ablak.identification.Harness.await;
import static ablak.identification.Refusals.refused;
import static ablak.identification.Walkthrough.CLERK;
import static ablak.identification.Walkthrough.HD;
import static ablak.identification.Walkthrough.json;
import static org.assertj.core.api.Assertions.assertThat;

import ablak.identification.IdentificationException.Kind;
import ablak.identification.IdentificationService.StillRecordResult;
import ablak.identification.checklist.Step;
import ablak.identification.checklist.StillKind;
import ablak.identification.evidence.Sha256;
import ablak.identification.quality.VideoQuality;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StillsAndDocumentTest {

  private final Harness harness = new Harness();
  private final Walkthrough walk = new Walkthrough(harness);

  @AfterEach
  void close() {
    harness.close();
  }

  private io.vertx.core.Future<StillRecordResult> upload(String contentType, byte[] image, VideoQuality quality) {
    return harness.service().addStill(CLERK, walk.id, StillKind.FRONT, contentType, image, quality);
  }

  @Test
  void anAcceptedStillIsStoredWithItsHashAndFigures() throws Exception {
    walk.upTo(Step.STILLS);
    byte[] image = Images.jpeg(Images.sharp(1280, 720));

    StillRecordResult still = await(upload("image/jpeg", image, HD));

    assertThat(still.sha256()).isEqualTo(Sha256.of(image));
    assertThat(still.sharpness()).isGreaterThan(harness.settings.minSharpness());
    assertThat(still.glare()).isLessThan(0.01);
    assertThat(Sha256.of(harness.evidence.resolve(walk.id.toString()).resolve("1-front.jpg"))).isEqualTo(still.sha256());
  }

  @Test
  void stillsAreTakenOnlyAtTheirStep() {
    walk.upTo(Step.DOCUMENT_BACK);

    refused(Kind.STEP_OUT_OF_ORDER, upload("image/png", Images.png(Images.sharp(1280, 720)), HD));
  }

  @Test
  void badStillsAreRefusedWithTheReasonAndNothingIsStored() {
    walk.upTo(Step.STILLS);

    refused(Kind.UNSUPPORTED_IMAGE, upload("image/gif", Images.png(Images.sharp(1280, 720)), HD));
    refused(Kind.UNSUPPORTED_IMAGE, upload("image/png", "not a picture".getBytes(), HD));
    IdentificationException forged = refused(Kind.STILL_REJECTED, upload("image/png", Images.png(Images.sharp(800, 600)), HD));
    assertThat(forged.getMessage()).contains("800x600").contains("1280x720");
    IdentificationException blurred = refused(Kind.STILL_REJECTED, upload("image/png", Images.png(Images.blurred(1280, 720)), HD));
    assertThat(blurred.details()).containsKeys("sharpness", "minSharpness");
    IdentificationException glare = refused(Kind.STILL_REJECTED,
        upload("image/png", Images.png(Images.withGlare(Images.sharp(1280, 720), 0.3)), HD));
    assertThat((double) glare.details().get("glare")).isGreaterThan(0.29);
    refused(Kind.QUALITY_TOO_LOW, upload("image/png", Images.png(Images.sharp(1280, 720)), new VideoQuality(1280, 720, 12)));

    assertThat(await(harness.service().get(CLERK, walk.id)).stills()).isEmpty();
    assertThat(Files.exists(harness.evidence.resolve(walk.id.toString()))).isFalse();
    IdentificationException missing = refused(Kind.STILLS_MISSING, harness.service().completeStep(CLERK, walk.id, Step.STILLS, HD, json("{}")));
    assertThat(missing.details().get("missing").toString()).contains("FACE", "FRONT", "BACK");
  }

  @Test
  void anOversizedStillIsRefusedBeforeItIsRead() {
    try (Harness small = new Harness(s -> new IdentificationSettings(s.evidenceDirectory(), s.recordingsDirectory(), false,
        s.minWidth(), s.minHeight(), s.minFps(), s.minSharpness(), s.maxGlare(), 10_000, s.maxAttempts(), s.codeLength(),
        s.codeTtl(), s.maxCodeAttempts(), s.reviewCaseTypes(),
        s.retention(), s.abortedRetention(), s.retentionInterval(), s.poolSize(),
        s.poolWaitQueueSize(), s.poolConnectionTimeout()))) {
      Walkthrough smallWalk = new Walkthrough(small);
      smallWalk.upTo(Step.STILLS);

      refused(Kind.STILL_TOO_LARGE, small.service().addStill(CLERK, smallWalk.id, StillKind.FACE, "image/jpeg",
          new byte[10_001], HD));
    }
  }

  @Test
  void securityFeaturesMustAllBeConfirmed() {
    walk.upTo(Step.SECURITY_FEATURES);

    IdentificationException incomplete = refused(Kind.FEATURES_INCOMPLETE, harness.service().completeStep(CLERK, walk.id,
        Step.SECURITY_FEATURES, HD, json("{\"confirmed\":[\"kinegram\"]}")));
    assertThat(incomplete.details().get("missing").toString()).contains("hologram-portrait");
    refused(Kind.INVALID_INPUT, harness.service().completeStep(CLERK, walk.id, Step.SECURITY_FEATURES, HD,
        json("{\"confirmed\":[\"kinegram\",\"watermark-of-a-cat\"]}")));
  }

  @Test
  void aMistypedMrzIsRefusedWithEveryProblem() {
    walk.upTo(Step.MRZ);
    String typo = Walkthrough.mrz().replace("900214", "900215");

    IdentificationException refusal = refused(Kind.INVALID_MRZ, harness.service().completeStep(CLERK, walk.id, Step.MRZ, HD,
        json(Walkthrough.mrzAnswers(typo, Walkthrough.printed()))));

    assertThat(refusal.details().get("problems").toString()).contains("date of birth check digit", "composite check digit");
    assertThat(await(harness.service().get(CLERK, walk.id)).nextStep()).isEqualTo(Step.MRZ);
  }

  @Test
  void theMrzMustAgreeWithThePrintedDataAndTheCase() {
    walk.upTo(Step.MRZ);

    IdentificationException printed = refused(Kind.DATA_MISMATCH, harness.service().completeStep(CLERK, walk.id, Step.MRZ, HD,
        json(Walkthrough.mrzAnswers(Walkthrough.mrz(), Walkthrough.printed().replace("2031-05-01", "2031-05-02")))));
    assertThat(printed.getMessage()).contains("date of expiry");

    IdentificationException caseData = refused(Kind.DATA_MISMATCH, harness.service().completeStep(CLERK, walk.id, Step.MRZ, HD,
        json(Walkthrough.mrzAnswers(Walkthrough.mrz().replace("KOVACS<<ANNA<MARIA<<", "KOVACS<<ANNA<<<<<<<<"),
            Walkthrough.printed().replace("Anna Mária", "Anna")))));
    assertThat(caseData.getMessage()).contains("given names: printed Anna, case Anna Mária");
  }

  @Test
  void anExpiredDocumentIsRefused() {
    walk.upTo(Step.MRZ);
    harness.clock.advance(Duration.ofDays(365 * 5));

    refused(Kind.DOCUMENT_EXPIRED, harness.service().completeStep(CLERK, walk.id, Step.MRZ, HD,
        json(Walkthrough.mrzAnswers(Walkthrough.mrz(), Walkthrough.printed()))));
  }

  @Test
  void theCodeIsEmailedAndOnlyTheCitizenEntersIt() throws Exception {
    walk.upTo(Step.CODE_CONFIRMED);

    assertThat(harness.mail.getReceivedMessages()).hasSize(1);
    assertThat(harness.mail.getReceivedMessages()[0].getAllRecipients()[0].toString()).isEqualTo(Walkthrough.EMAIL);
    assertThat(await(harness.service().guide(walk.callId, walk.caseId)).codeSent()).isTrue();
    refused(Kind.FORBIDDEN, harness.service().completeStep(CLERK, walk.id, Step.CODE_CONFIRMED, HD, json("{}")));

    CitizenGuide guide = await(harness.service().confirmCode(walk.callId, walk.caseId, harness.lastCode()));

    assertThat(guide.nextStep()).isEqualTo(Step.RESULT);
  }

  @Test
  void aCodeEnteredWrongTooOftenFailsTheIdentification() {
    walk.upTo(Step.CODE_CONFIRMED);
    String wrong = harness.lastCode().equals("000000") ? "111111" : "000000";

    IdentificationException first = refused(Kind.WRONG_CODE, harness.service().confirmCode(walk.callId, walk.caseId, wrong));
    assertThat(first.details()).containsEntry("attemptsLeft", 2);
    refused(Kind.WRONG_CODE, harness.service().confirmCode(walk.callId, walk.caseId, wrong));
    IdentificationException last = refused(Kind.WRONG_CODE, harness.service().confirmCode(walk.callId, walk.caseId, wrong));

    assertThat(last.details()).containsEntry("attemptsLeft", 0).containsEntry("status", "FAILED");
    IdentificationView view = await(harness.service().get(CLERK, walk.id));
    assertThat(view.failureReason()).isEqualTo("CODE_NOT_CONFIRMED");
    assertThat(view.seal()).isNotNull();
    refused(Kind.NOT_IN_PROGRESS, harness.service().confirmCode(walk.callId, walk.caseId, harness.lastCode()));
  }

  @Test
  void anExpiredCodeIsRefusedAndANewOneCanBeSent() {
    walk.upTo(Step.CODE_CONFIRMED);
    harness.clock.advance(harness.settings.codeTtl().plusSeconds(1));

    refused(Kind.CODE_EXPIRED, harness.service().confirmCode(walk.callId, walk.caseId, harness.lastCode()));
    walk.step(Step.CODE_SENT, "{\"email\":\"" + Walkthrough.EMAIL + "\"}");

    assertThat(await(harness.service().confirmCode(walk.callId, walk.caseId, harness.lastCode())).nextStep()).isEqualTo(Step.RESULT);
  }

  @Test
  void aCodeTheRelayDidNotTakeLeavesTheStepOpen() {
    walk.upTo(Step.CODE_SENT);
    harness.mail.stop();

    refused(Kind.CODE_NOT_SENT, harness.service().completeStep(CLERK, walk.id, Step.CODE_SENT, HD,
        json("{\"email\":\"anna@example.test\"}")));
    refused(Kind.INVALID_INPUT, harness.service().completeStep(CLERK, walk.id, Step.CODE_SENT, HD, json("{\"email\":\"anna\"}")));

    assertThat(await(harness.service().get(CLERK, walk.id)).nextStep()).isEqualTo(Step.CODE_SENT);
  }
}
