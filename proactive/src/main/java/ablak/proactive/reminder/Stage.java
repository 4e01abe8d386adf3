package ablak.proactive.reminder;

import ablak.proactive.registry.DocumentType;
import java.time.LocalDate;
import java.util.Arrays;

/** The three reminders of one document, in the order they are sent. */
public enum Stage {
  /** Two months before expiry; six for passports ({@link DocumentType#firstReminderMonths()}). */
  FIRST("first"),
  SECOND("second"),
  EXPIRY_DAY("expiry_day");

  private final String code;

  Stage(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public LocalDate dueOn(DocumentType type, LocalDate expiry) {
    return switch (this) {
      case FIRST -> expiry.minusMonths(type.firstReminderMonths());
      case SECOND -> expiry.minusMonths(1);
      case EXPIRY_DAY -> expiry;
    };
  }

  public static Stage fromCode(String code) {
    return Arrays.stream(values()).filter(stage -> stage.code.equals(code)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown stage " + code));
  }
}
