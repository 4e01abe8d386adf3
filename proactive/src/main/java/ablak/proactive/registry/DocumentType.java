package ablak.proactive.registry;

import java.util.Arrays;
import java.util.Optional;

/** The documents the registry tracks; {@link #code()} is the word used in imports and the database. */
public enum DocumentType {
  IDENTITY_CARD("identity_card", 2, "id-card-replacement", "személyazonosító igazolványa", "identity card"),
  /** Passports get the first reminder six months ahead: many countries refuse entry with less validity left. */
  PASSPORT("passport", 6, "passport-renewal", "útlevele", "passport"),
  DRIVING_LICENCE("driving_licence", 2, "driving-licence-renewal", "vezetői engedélye", "driving licence");

  private final String code;
  private final int firstReminderMonths;
  private final String renewalCaseType;
  private final String hungarian;
  private final String english;

  DocumentType(String code, int firstReminderMonths, String renewalCaseType, String hungarian, String english) {
    this.code = code;
    this.firstReminderMonths = firstReminderMonths;
    this.renewalCaseType = renewalCaseType;
    this.hungarian = hungarian;
    this.english = english;
  }

  public String code() {
    return code;
  }

  public int firstReminderMonths() {
    return firstReminderMonths;
  }

  /** The catalogue's case type a citizen books to renew this document (cases module, catalogue.json). */
  public String renewalCaseType() {
    return renewalCaseType;
  }

  /** The document's name in a sentence of the given language ("Az Ön ... lejár", "Your ... expires"). */
  public String label(String language) {
    return "hu".equals(language) ? hungarian : english;
  }

  public static Optional<DocumentType> fromCode(String code) {
    return Arrays.stream(values()).filter(type -> type.code.equals(code)).findFirst();
  }
}
