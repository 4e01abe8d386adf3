package ablak.identification.evidence;

/**
 * The text a seal covers: every field length-prefixed ({@code <length>:<value>;}, null as {@code -1:;}),
 * the encoding the cases audit trail uses, so no two different records serialise alike.
 */
public final class Canonical {

  private final StringBuilder text = new StringBuilder();

  public Canonical add(Object value) {
    if (value == null) {
      text.append("-1:;");
    } else {
      String field = value.toString();
      text.append(field.length()).append(':').append(field).append(';');
    }
    return this;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
