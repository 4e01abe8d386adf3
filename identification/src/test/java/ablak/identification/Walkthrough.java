package ablak.identification;

import static ablak.identification.Harness.await;

import ablak.identification.checklist.Step;
import ablak.identification.checklist.StillKind;
import ablak.identification.mrz.Mrz;
import ablak.identification.quality.VideoQuality;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;

/**
 * Drives an identification through its checklist the way the clerk desktop does, for a citizen
 * Kovács Anna Mária holding a Hungarian identity card (TD1 MRZ) valid until 2031.
 */
final class Walkthrough {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Actor CLERK = Actor.clerk("clerk-1");
  static final VideoQuality HD = new VideoQuality(1280, 720, 25);
  static final CaseFacts CASE = new CaseFacts("id-card-replacement", "Kovács", "Anna Mária");
  static final String EMAIL = "anna@example.test";

  final Harness harness;
  final String callId = "call-" + UUID.randomUUID().toString().substring(0, 8);
  final UUID caseId = UUID.randomUUID();
  UUID id;

  Walkthrough(Harness harness) {
    this.harness = harness;
  }

  IdentificationView open() {
    IdentificationView view = await(harness.service().open(CLERK, callId, caseId, CASE, "hu-id-card"));
    id = view.id();
    return view;
  }

  IdentificationView step(Step step, String answers) {
    return await(harness.service().completeStep(CLERK, id, step, HD, json(answers)));
  }

  /** Completes every step before {@code stop}, with valid answers. */
  IdentificationView upTo(Step stop) {
    IdentificationView view = id == null ? open() : await(harness.service().get(CLERK, id));
    while (view.nextStep() != stop) {
      view = switch (view.nextStep()) {
        case CONSENT -> step(Step.CONSENT, "{\"consent\":true}");
        case TILT -> step(Step.TILT, "{\"instruction\":\"" + view.tilt() + "\",\"observed\":true}");
        case STILLS -> {
          for (StillKind kind : StillKind.values()) {
            await(harness.service().addStill(CLERK, id, kind, "image/png", Images.png(Images.sharp(1280, 720)), HD));
          }
          yield step(Step.STILLS, "{}");
        }
        case SECURITY_FEATURES -> step(Step.SECURITY_FEATURES, "{\"confirmed\":"
            + toJson(harness.module.documents().find("hu-id-card").orElseThrow().featureIds()) + "}");
        case FACE_COMPARISON -> step(Step.FACE_COMPARISON, "{\"match\":true}");
        case MRZ -> step(Step.MRZ, mrzAnswers(mrz(), printed()));
        case CODE_SENT -> step(Step.CODE_SENT, "{\"email\":\"" + EMAIL + "\",\"language\":\"en\"}");
        case CODE_CONFIRMED -> {
          await(harness.service().confirmCode(callId, caseId, harness.lastCode()));
          yield await(harness.service().get(CLERK, id));
        }
        default -> step(view.nextStep(), "{}");
      };
    }
    return view;
  }

  IdentificationView verified() {
    upTo(Step.RESULT);
    return await(harness.service().finish(CLERK, id, true, null));
  }

  /** A valid TD1 MRZ of the test card, check digits computed as Doc 9303 Part 3 prescribes. */
  static String mrz() {
    String number = "123456AB<";
    String line1 = pad("IDHUN" + number + Mrz.checkDigit(number), 30);
    String birth = "900214";
    String expiry = "310501";
    String line2 = birth + Mrz.checkDigit(birth) + "F" + expiry + Mrz.checkDigit(expiry) + "HUN" + "<".repeat(11);
    line2 += Mrz.checkDigit(line1.substring(5, 30) + line2.substring(0, 7) + line2.substring(8, 15) + line2.substring(18, 29));
    return line1 + "\n" + line2 + "\n" + pad("KOVACS<<ANNA<MARIA", 30);
  }

  static String printed() {
    return "{\"documentNumber\":\"123456AB\",\"familyName\":\"Kovács\",\"givenNames\":\"Anna Mária\","
        + "\"birthDate\":\"1990-02-14\",\"expiryDate\":\"2031-05-01\"}";
  }

  static String mrzAnswers(String mrz, String printed) {
    return "{\"mrz\":" + toJson(mrz) + ",\"printed\":" + printed + "}";
  }

  private static String pad(String text, int length) {
    return text + "<".repeat(length - text.length());
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static List<String> steps(IdentificationView view) {
    return view.steps().stream().map(IdentificationView.StepRecord::step).toList();
  }
}
