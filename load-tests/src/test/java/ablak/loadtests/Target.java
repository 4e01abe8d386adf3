package ablak.loadtests;

import ablak.signaling.AblakServer;
import ablak.signaling.auth.DemoAccounts;
import ablak.signaling.auth.Role;
import ablak.signaling.config.SettingsLoader;
import ablak.signaling.config.StoreSettings;
import ablak.signaling.store.DatabaseLocation;
import ablak.signaling.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * The node under load: the one at {@code -Dablak.url} (signed into with {@code -Dablak.admin.username}
 * and {@code -Dablak.admin.password}, its database at {@code -Dablak.database.url}), or else one
 * started in this JVM on embedded Redis and PostgreSQL on free loopback ports, removed again by
 * {@link #close()}.
 */
final class Target implements AutoCloseable {

  /** A staff account the simulation created, fed to virtual users. */
  record Staff(String username, String password) {}

  private final String baseUrl;
  private final String adminUsername;
  private final String adminPassword;
  private final DatabaseLocation database;
  private final AblakServer server;
  private final Stores stores;
  private final Path dataDir;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Target(String baseUrl, String adminUsername, String adminPassword, DatabaseLocation database, AblakServer server,
      Stores stores, Path dataDir) {
    this.baseUrl = baseUrl;
    this.adminUsername = adminUsername;
    this.adminPassword = adminPassword;
    this.database = database;
    this.server = server;
    this.stores = stores;
    this.dataDir = dataDir;
  }

  /** The node at {@code -Dablak.url}, or one started here whose offers ring {@code offerTimeoutSeconds}. */
  static Target resolve(int offerTimeoutSeconds) {
    String url = System.getProperty("ablak.url");
    if (url != null && !url.isBlank()) {
      String databaseUrl = System.getProperty("ablak.database.url");
      return new Target(url.replaceAll("/+$", ""), System.getProperty("ablak.admin.username", "admin"),
          required("ablak.admin.password"), databaseUrl == null || databaseUrl.isBlank() ? null : DatabaseLocation.parse(databaseUrl),
          null, null, null);
    }
    return startInProcess(Map.of("ABLAK_QUEUE_OFFER_TIMEOUT", "PT" + offerTimeoutSeconds + "S"));
  }

  /**
   * Starts a node on embedded stores; the launcher uses the same settings in its own JVM. The
   * embedded PostgreSQL is started here rather than by the node, so that clerks' routing profiles
   * can be written to it (see {@link #giveSkills}).
   */
  static Target startInProcess(Map<String, String> settings) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("ablak-load-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Stores stores = Stores.openDatabase(new StoreSettings(null, null, dataDir.toString(), "ablak:", 8));
    DatabaseLocation database = stores.database();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(settings);
    env.putIfAbsent("ABLAK_HTTP_PORT", "0");
    // Loopback only, and a free media port: other nodes on this machine may hold the default one.
    env.putIfAbsent("ABLAK_MEDIA_BIND_ADDRESS", "127.0.0.1");
    env.putIfAbsent("ABLAK_MEDIA_PORT", "0");
    env.put("ABLAK_STORES_DATA_DIR", dataDir.toString());
    env.put("ABLAK_STORES_DATABASE_URL", "postgresql://" + database.user() + "@" + database.host() + ":" + database.port() + "/"
        + database.database());
    env.put("ABLAK_AUTH_SEED_DEMO_ACCOUNTS", "true");
    AblakServer server;
    try {
      server = AblakServer.start(SettingsLoader.load(null, env));
    } catch (RuntimeException | Error e) {
      stores.close();
      throw e;
    }
    DemoAccounts.Credential admin = server.demoCredentials().stream()
        .filter(credential -> credential.role() == Role.ADMIN).findFirst()
        .orElseThrow(() -> new IllegalStateException("the fresh node seeded no admin account"));
    return new Target(server.baseUrl(), admin.username(), admin.password(), database, server, stores, dataDir);
  }

  /** For {@code -Dablak.database.url}: where the launched node keeps its accounts. */
  String databaseUrl() {
    return database == null ? "" : "postgresql://" + database.user() + "@" + database.host() + ":" + database.port() + "/"
        + database.database();
  }

  String baseUrl() {
    return baseUrl;
  }

  String adminUsername() {
    return adminUsername;
  }

  String adminPassword() {
    return adminPassword;
  }

  String webSocketBaseUrl() {
    return baseUrl.replaceFirst("^http", "ws");
  }

  /**
   * Creates {@code count} staff accounts with the given role through the admin API. Names carry a
   * run id so repeated runs against one node do not collide. Password hashing (Argon2id) is the
   * node's most expensive request, so only a few are in flight at once.
   */
  List<Staff> createStaff(String role, int count) {
    String cookie = signIn(adminUsername, adminPassword);
    String run = UUID.randomUUID().toString().substring(0, 8);
    Semaphore inFlight = new Semaphore(4);
    List<CompletableFuture<Staff>> created = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Staff staff = new Staff("load-" + run + "-" + role + "-" + i, UUID.randomUUID().toString());
      String body = "{\"username\":\"" + staff.username() + "\",\"name\":\"Load " + role + " " + i
          + "\",\"role\":\"" + role + "\",\"password\":\"" + staff.password() + "\"}";
      inFlight.acquireUninterruptibly();
      created.add(client.sendAsync(post(Messages.STAFF, body).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString())
          .whenComplete((response, failure) -> inFlight.release())
          .thenApply(response -> {
            if (response.statusCode() != 201) {
              throw new IllegalStateException("creating " + staff.username() + " answered " + response.statusCode() + " " + response.body());
            }
            return staff;
          }));
    }
    return created.stream().map(CompletableFuture::join).toList();
  }

  /**
   * Gives clerks the skills of every queue (proficiency 3) and the languages hu and en, as the node
   * does for its demo clerks. The admin API creates accounts but cannot set a routing profile yet, so
   * this writes the profile where {@code StaffAccounts.setClerkProfile} does; the node reads it at
   * every {@code clerk.state}.
   */
  void giveSkills(List<Staff> clerks, List<String> skills) {
    if (clerks.isEmpty()) {
      return;
    }
    if (database == null) {
      throw new IllegalArgumentException("-Dablak.database.url is required with -Dablak.url when the profile has clerks");
    }
    String skillJson = skills.stream().map(skill -> "\"" + skill + "\":3").collect(java.util.stream.Collectors.joining(",", "{", "}"));
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
        PreparedStatement update = connection.prepareStatement(
            "UPDATE accounts.staff SET skills = ?::jsonb, languages = ?, capacity = 1 WHERE username = ANY (?)")) {
      update.setString(1, skillJson);
      update.setArray(2, connection.createArrayOf("text", new String[] {"hu", "en"}));
      update.setArray(3, connection.createArrayOf("text", clerks.stream().map(Staff::username).toArray(String[]::new)));
      int updated = update.executeUpdate();
      if (updated != clerks.size()) {
        throw new IllegalStateException("gave skills to " + updated + " of " + clerks.size() + " clerks");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not write the clerks' routing profiles", e);
    }
  }

  private String signIn(String username, String password) {
    String body = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    HttpResponse<String> response = send(post(Messages.LOGIN, body).build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("signing in as " + username + " answered " + response.statusCode() + " " + response.body());
    }
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private HttpRequest.Builder post(String path, String json) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("-D" + property + " is required with -Dablak.url");
    }
    return value;
  }

  @Override
  public void close() {
    if (server == null) {
      return;
    }
    server.close();
    stores.close();
    try (Stream<Path> paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
