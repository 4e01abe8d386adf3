package ablak.signaling.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a user may do. Checked on the server for every REST route and every message type. */
public enum Role {
  CITIZEN,
  CLERK,
  SUPERVISOR,
  AUDITOR,
  ADMIN;

  /** Roles held by staff, who sign in with a password; citizens hold a visit token instead. */
  public static final Set<Role> STAFF = EnumSet.of(CLERK, SUPERVISOR, AUDITOR, ADMIN);
  public static final Set<Role> ALL = EnumSet.allOf(Role.class);

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Role fromWireName(String name) {
    for (Role role : values()) {
      if (role.wireName().equals(name)) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role " + name + "; one of citizen, clerk, supervisor, auditor, admin");
  }
}
