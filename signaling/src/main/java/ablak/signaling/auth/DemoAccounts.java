package ablak.signaling.auth;

import ablak.queue.routing.ClerkProfile;
import ablak.signaling.ClientError;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Two clerks, an interpreter, a supervisor and an admin for a first look at a fresh installation.
 * The clerks can take every citizens' queue in Hungarian and English, one contact at a time; the
 * interpreter (a clerk account with only the interpreting skills) joins calls as a third party,
 * in Hungarian, English and German, spoken or signed. Each is created
 * with a random password only if its username is free, so the credentials exist in exactly one
 * place: the console of the start that created them.
 */
public final class DemoAccounts {

  public record Credential(String username, Role role, String password) {}

  private record Demo(String username, String name, Role role) {}

  /** Skills of the interpreters' queues (queues.json): a clerk with them is invited into calls, not offered citizens. */
  public static final Set<String> INTERPRETING = Set.of("interpreting", "sign-language");

  private static final List<Demo> DEMOS = List.of(
      new Demo("clerk", "Demo Clerk", Role.CLERK),
      new Demo("clerk2", "Second Demo Clerk", Role.CLERK),
      new Demo("interpreter", "Demo Interpreter", Role.CLERK),
      new Demo("supervisor", "Demo Supervisor", Role.SUPERVISOR),
      new Demo("admin", "Demo Admin", Role.ADMIN));

  private DemoAccounts() {}

  /** The credentials of the accounts this call created (none when they all existed). */
  public static Future<List<Credential>> seed(StaffAccounts accounts, Set<String> queueSkills) {
    Map<String, Integer> skills = new TreeMap<>();
    queueSkills.stream().filter(skill -> !INTERPRETING.contains(skill)).forEach(skill -> skills.put(skill, 3));
    Map<String, Integer> interpreting = new TreeMap<>();
    queueSkills.stream().filter(INTERPRETING::contains).forEach(skill -> interpreting.put(skill, 3));
    List<Credential> created = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Demo demo : DEMOS) {
      chain = chain.compose(previous -> {
        String password = Tokens.random().substring(0, 20);
        return accounts.create(demo.username(), demo.name(), demo.role(), null, password)
            .compose(account -> demo.role() != Role.CLERK ? Future.<Void>succeededFuture()
                : demo.username().equals("interpreter")
                    ? accounts.setClerkProfile(new ClerkProfile(account.id(), interpreting, Set.of("hu", "en", "de"), 1))
                    : accounts.setClerkProfile(new ClerkProfile(account.id(), skills, Set.of("hu", "en"), 1)))
            .map(profiled -> created.add(new Credential(demo.username(), demo.role(), password)))
            // Taken: seeded by an earlier start or by another node starting at the same time.
            .recover(error -> error instanceof ClientError e && e.code().equals(ClientError.CONFLICT)
                ? Future.succeededFuture(false)
                : Future.failedFuture(error))
            .mapEmpty();
      });
    }
    return chain.map(done -> List.copyOf(created));
  }
}
