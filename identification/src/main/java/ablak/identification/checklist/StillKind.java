package ablak.identification.checklist;

import java.util.Locale;

/** The stills an identification keeps: the live face and both sides of the document. */
public enum StillKind {
  FACE,
  FRONT,
  BACK;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static StillKind fromWireName(String name) {
    for (StillKind kind : values()) {
      if (kind.wireName().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("still kind is face, front or back, not " + name);
  }
}
