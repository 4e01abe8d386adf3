package ablak.signaling;

import ablak.signaling.auth.DemoAccounts;
import ablak.signaling.auth.PasswordHasher;
import ablak.signaling.auth.Role;
import ablak.signaling.auth.StaffAccount;
import ablak.signaling.auth.StaffAccounts;
import ablak.signaling.auth.Tokens;
import ablak.signaling.config.AblakSettings;
import ablak.signaling.config.SettingsLoader;
import ablak.signaling.store.DatabaseLocation;
import ablak.signaling.store.Stores;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar ablak.jar [serve] [--config FILE]} runs a node;
 * {@code java -jar ablak.jar create-staff --username U --name N --role R [--team T] [--config FILE]} creates a
 * staff account and prints its generated password.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    try {
      List<String> arguments = Arrays.asList(args);
      boolean named = !arguments.isEmpty() && !arguments.get(0).startsWith("--");
      String command = named ? arguments.get(0) : "serve";
      Map<String, String> options = options(named ? arguments.subList(1, arguments.size()) : arguments);
      AblakSettings settings = SettingsLoader.load(
          options.containsKey("config") ? Path.of(options.get("config")) : null, System.getenv());
      switch (command) {
        case "serve" -> serve(settings);
        case "create-staff" -> createStaff(settings, options);
        case "help" -> usage(System.out);
        default -> {
          usage(System.err);
          System.exit(2);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  private static void serve(AblakSettings settings) {
    AblakServer server = AblakServer.start(settings);
    // SIGTERM / Ctrl-C: stop gracefully (see AblakServer#close).
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ablak-shutdown"));
    printBanner(System.out, server);
  }

  /** The only place demo passwords are shown: straight to the console, never to the log. */
  private static void printBanner(PrintStream out, AblakServer server) {
    String url = server.baseUrl();
    out.println();
    out.println("Ablak is running.");
    out.println("  Citizen app    " + url + "/citizen/");
    out.println("  Clerk desktop  " + url + "/clerk/");
    out.println("  Wallboard      " + url + "/wallboard/");
    out.println("  Appointments   " + url + "/appointments/?caseType=passport-renewal");
    out.println("  Health         " + url + "/health/ready    Metrics " + url + "/metrics");
    if (server.tlsFingerprint() != null) {
      out.println("  TLS certificate SHA-256 fingerprint: " + server.tlsFingerprint());
    }
    List<DemoAccounts.Credential> demo = server.demoCredentials();
    if (!demo.isEmpty()) {
      out.println();
      out.println("Demo accounts (shown once; the passwords are stored only as hashes):");
      demo.forEach(credential -> out.printf("  %-11s %-11s %s%n", credential.role().wireName(), credential.username(), credential.password()));
    }
    out.println();
    out.flush();
  }

  private static void createStaff(AblakSettings settings, Map<String, String> options) {
    for (String required : List.of("username", "name", "role")) {
      if (!options.containsKey(required)) {
        throw new IllegalArgumentException("create-staff needs --" + required);
      }
    }
    Role role = Role.fromWireName(options.get("role"));
    String password = Tokens.random().substring(0, 20);
    Vertx vertx = Vertx.vertx();
    try (Stores stores = Stores.openDatabase(settings.stores())) {
      DatabaseLocation database = stores.database();
      AccountsMigrations.migrate(database.jdbcUrl(), database.user(), database.password());
      Pool pool = PgBuilder.pool().connectingTo(database.connectOptions()).using(vertx).build();
      StaffAccount account = AblakServer.await(
          new StaffAccounts(vertx, pool, new PasswordHasher()).create(options.get("username"), options.get("name"), role, options.get("team"), password));
      AblakServer.await(pool.close());
      System.out.println("created " + account.role().wireName() + " " + account.username() + " with password " + password);
    } catch (ClientError e) {
      throw new IllegalArgumentException(e.code() + ": " + e.getMessage());
    } finally {
      AblakServer.await(vertx.close());
    }
  }

  private static Map<String, String> options(List<String> arguments) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      if (!argument.startsWith("--") || i + 1 >= arguments.size()) {
        throw new IllegalArgumentException("expected --option value, got " + argument);
      }
      options.put(argument.substring(2), arguments.get(++i));
    }
    return options;
  }

  private static void usage(PrintStream out) {
    out.println("usage: java -jar ablak.jar [serve] [--config FILE]");
    out.println("       java -jar ablak.jar create-staff --username U --name \"Full Name\" --role clerk|supervisor|auditor|admin [--team T] [--config FILE]");
    out.println("Settings come from the file and from environment variables; see docs/configuration.md.");
  }
}
