package ablak.identification.mrz;

import java.util.List;

/** A machine readable zone that is malformed or whose check digits do not hold; lists every problem. */
public final class MrzException extends Exception {
  private final List<String> problems;

  public MrzException(List<String> problems) {
    super(String.join("; ", problems), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
