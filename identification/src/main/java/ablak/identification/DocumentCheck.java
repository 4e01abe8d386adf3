package ablak.identification;

import ablak.identification.IdentificationException.Kind;
import ablak.identification.document.DocumentType;
import ablak.identification.mrz.Mrz;
import ablak.identification.mrz.MrzData;
import ablak.identification.mrz.MrzException;
import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MRZ step: the typed MRZ must pass its ICAO 9303 check digits and say what the printed data
 * (typed by the clerk from the document's visual zone) says, and the printed name must be the name
 * in the case. Names compare in the MRZ's alphabet: accents dropped (ICAO Doc 9303 Part 3, 6.A
 * transliterates e.g. Ő as O), upper case, anything else a space; an MRZ name cut at the field's end
 * matches the printed name it begins.
 */
final class DocumentCheck {

  private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");

  private DocumentCheck() {}

  /** The answers to store, or a refusal listing every problem. */
  static Map<String, Object> check(DocumentType type, JsonNode answers, CaseFacts facts, Clock clock) {
    JsonNode printed = answers.path("printed");
    String documentNumber = required(printed, "documentNumber").toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
    String familyName = required(printed, "familyName");
    String givenNames = required(printed, "givenNames");
    LocalDate birthDate = date(printed, "birthDate");
    LocalDate expiryDate = date(printed, "expiryDate");

    List<String> mismatches = new ArrayList<>();
    Map<String, Object> stored = new TreeMap<>();
    if (type.mrz() != null) {
      MrzData mrz;
      try {
        mrz = Mrz.parse(answers.path("mrz").asText(""), type.mrz());
      } catch (MrzException e) {
        throw new IdentificationException(Kind.INVALID_MRZ, "the MRZ is not valid: " + e.getMessage(), Map.of("problems", e.problems()));
      }
      if (!mrz.documentNumber().replace(" ", "").equals(documentNumber)) {
        mismatches.add("document number: MRZ " + mrz.documentNumber() + ", printed " + documentNumber);
      }
      if (!sameName(mrz.familyName(), familyName)) {
        mismatches.add("family name: MRZ " + mrz.familyName() + ", printed " + familyName);
      }
      if (!sameName(mrz.givenNames(), givenNames)) {
        mismatches.add("given names: MRZ " + mrz.givenNames() + ", printed " + givenNames);
      }
      if (!mrz.birthDate().equals(birthDate.format(YYMMDD))) {
        mismatches.add("date of birth: MRZ " + mrz.birthDate() + ", printed " + birthDate);
      }
      if (!mrz.expiryDate().equals(expiryDate.format(YYMMDD))) {
        mismatches.add("date of expiry: MRZ " + mrz.expiryDate() + ", printed " + expiryDate);
      }
      stored.put("mrz", answers.path("mrz").asText().toUpperCase(Locale.ROOT).lines().map(String::strip)
          .filter(line -> !line.isEmpty()).toList());
      stored.put("mrzFormat", type.mrz().name());
    }
    if (!mrzForm(familyName).equals(mrzForm(facts.familyName()))) {
      mismatches.add("family name: printed " + familyName + ", case " + facts.familyName());
    }
    if (!mrzForm(givenNames).equals(mrzForm(facts.givenNames()))) {
      mismatches.add("given names: printed " + givenNames + ", case " + facts.givenNames());
    }
    if (!mismatches.isEmpty()) {
      throw new IdentificationException(Kind.DATA_MISMATCH, "the data do not agree: " + String.join("; ", mismatches)
          + ". Correct the typing, or fail with DATA_MISMATCH", Map.of("mismatches", mismatches));
    }
    if (expiryDate.isBefore(LocalDate.now(clock))) {
      throw new IdentificationException(Kind.DOCUMENT_EXPIRED, "the document expired on " + expiryDate
          + "; fail with DOCUMENT_EXPIRED");
    }
    Map<String, Object> printedStored = new TreeMap<>();
    printedStored.put("documentNumber", documentNumber);
    printedStored.put("familyName", familyName);
    printedStored.put("givenNames", givenNames);
    printedStored.put("birthDate", birthDate.toString());
    printedStored.put("expiryDate", expiryDate.toString());
    stored.put("printed", printedStored);
    return stored;
  }

  static String mrzForm(String name) {
    String stripped = Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    return stripped.toUpperCase(Locale.ROOT).replaceAll("[^A-Z]+", " ").strip();
  }

  private static boolean sameName(String mrzName, String printed) {
    String form = mrzForm(printed);
    return mrzName.equals(form) || !mrzName.isEmpty() && form.startsWith(mrzName) && form.length() > mrzName.length();
  }

  private static String required(JsonNode node, String field) {
    String value = node.path(field).asText("").strip();
    if (value.isEmpty()) {
      throw new IdentificationException(Kind.INVALID_INPUT, "printed." + field + " is required");
    }
    return value;
  }

  private static LocalDate date(JsonNode node, String field) {
    try {
      return LocalDate.parse(required(node, field));
    } catch (DateTimeParseException e) {
      throw new IdentificationException(Kind.INVALID_INPUT, "printed." + field + " is a date, YYYY-MM-DD");
    }
  }
}
