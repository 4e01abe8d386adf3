package ablak.identification.mrz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a machine readable zone and checks it as ICAO Doc 9303 Part 3 section 4.9 prescribes: each
 * check digit is the sum of the character values (digits their value, A-Z 10-35, the filler
 * {@code <} 0) weighted 7, 3, 1 repeating, modulo 10. Every field's check digit and the composite
 * one must hold; every problem is reported at once so the clerk can correct the typing in one go.
 */
public final class Mrz {

  private static final int[] WEIGHTS = {7, 3, 1};

  private Mrz() {}

  /** The check digit of {@code field} (Doc 9303 Part 3, 4.9). */
  public static int checkDigit(String field) {
    int sum = 0;
    for (int i = 0; i < field.length(); i++) {
      sum += value(field.charAt(i)) * WEIGHTS[i % 3];
    }
    return sum % 10;
  }

  private static int value(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'Z') {
      return c - 'A' + 10;
    }
    if (c == '<') {
      return 0;
    }
    throw new IllegalArgumentException("not an MRZ character: " + c);
  }

  /**
   * Parses the lines as typed (separated by line breaks; surrounding blanks ignored, lower case
   * accepted) in the given format.
   */
  public static MrzData parse(String text, MrzFormat format) throws MrzException {
    List<String> lines = text == null ? List.of()
        : text.toUpperCase(Locale.ROOT).lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    List<String> problems = new ArrayList<>();
    if (lines.size() != format.lines) {
      throw new MrzException(List.of(format + " has " + format.lines + " lines, not " + lines.size()));
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.length() != format.length) {
        problems.add("line " + (i + 1) + " has " + line.length() + " characters, " + format + " needs " + format.length);
      } else if (!line.matches("[A-Z0-9<]+")) {
        problems.add("line " + (i + 1) + " may hold only A-Z, 0-9 and <");
      }
    }
    if (!problems.isEmpty()) {
      throw new MrzException(problems);
    }
    return format == MrzFormat.TD1 ? td1(lines, problems) : twoLine(lines, format, problems);
  }

  /** TD1 (Doc 9303 Part 5, 4.2.2): number in line 1, dates in line 2, names in line 3. */
  private static MrzData td1(List<String> lines, List<String> problems) throws MrzException {
    String l1 = lines.get(0);
    String l2 = lines.get(1);
    check(problems, "document number", l1.substring(5, 14), l1.charAt(14));
    check(problems, "date of birth", l2.substring(0, 6), l2.charAt(6));
    check(problems, "date of expiry", l2.substring(8, 14), l2.charAt(14));
    check(problems, "composite", l1.substring(5, 30) + l2.substring(0, 7) + l2.substring(8, 15) + l2.substring(18, 29), l2.charAt(29));
    String[] names = names(lines.get(2));
    return result(problems, new MrzData(MrzFormat.TD1, field(l1.substring(0, 2)), field(l1.substring(2, 5)),
        field(l1.substring(5, 14)), field(l2.substring(15, 18)), l2.substring(0, 6), field(l2.substring(7, 8)),
        l2.substring(8, 14), names[0], names[1]));
  }

  /** TD2 and TD3 (Parts 6 and 4): names in line 1, the rest in line 2 at the same places. */
  private static MrzData twoLine(List<String> lines, MrzFormat format, List<String> problems) throws MrzException {
    String l1 = lines.get(0);
    String l2 = lines.get(1);
    check(problems, "document number", l2.substring(0, 9), l2.charAt(9));
    check(problems, "date of birth", l2.substring(13, 19), l2.charAt(19));
    check(problems, "date of expiry", l2.substring(21, 27), l2.charAt(27));
    int composite = format.length - 1;
    if (format == MrzFormat.TD3) {
      // Part 4, 4.2.2: an empty personal number may carry '<' instead of its check digit 0.
      String personal = l2.substring(28, 42);
      char personalCheck = l2.charAt(42);
      if (!(personalCheck == '<' && personal.chars().allMatch(c -> c == '<'))) {
        check(problems, "personal number", personal, personalCheck);
      }
      check(problems, "composite", l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 43), l2.charAt(composite));
    } else {
      check(problems, "composite", l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 35), l2.charAt(composite));
    }
    String[] names = names(l1.substring(5));
    return result(problems, new MrzData(format, field(l1.substring(0, 2)), field(l1.substring(2, 5)),
        field(l2.substring(0, 9)), field(l2.substring(10, 13)), l2.substring(13, 19), field(l2.substring(20, 21)),
        l2.substring(21, 27), names[0], names[1]));
  }

  private static void check(List<String> problems, String name, String field, char digit) {
    if (digit < '0' || digit > '9' || checkDigit(field) != digit - '0') {
      problems.add(name + " check digit is " + digit + ", the field gives " + checkDigit(field));
    }
  }

  private static MrzData result(List<String> problems, MrzData data) throws MrzException {
    if (!problems.isEmpty()) {
      throw new MrzException(problems);
    }
    return data;
  }

  /** Primary and secondary identifier (Part 3, 4.6): separated by {@code <<}, words by {@code <}. */
  private static String[] names(String zone) {
    int split = zone.indexOf("<<");
    String primary = split < 0 ? zone : zone.substring(0, split);
    String secondary = split < 0 ? "" : zone.substring(split + 2);
    return new String[] {field(primary), field(secondary)};
  }

  private static String field(String raw) {
    return raw.replace('<', ' ').strip().replaceAll(" +", " ");
  }
}
