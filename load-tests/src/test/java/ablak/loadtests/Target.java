package ablak.loadtests;

import ablak.signaling.AblakServer;
import ablak.signaling.auth.DemoAccounts;
import ablak.signaling.auth.Role;
import ablak.signaling.config.SettingsLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * and {@code -Dablak.admin.password}), or else one started in this JVM on embedded Redis and
 * PostgreSQL on free loopback ports, removed again by {@link #close()}.
 */
final class Target implements AutoCloseable {

  /** A staff account the simulation created, fed to virtual users. */
  record Staff(String id, String username, String password) {}

  private final String baseUrl;
  private final String adminUsername;
  private final String adminPassword;
  private final AblakServer server;
  private final Path dataDir;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Target(String baseUrl, String adminUsername, String adminPassword, AblakServer server, Path dataDir) {
    this.baseUrl = baseUrl;
    this.adminUsername = adminUsername;
    this.adminPassword = adminPassword;
    this.server = server;
    this.dataDir = dataDir;
  }

  /** The node at {@code -Dablak.url}, or one started here whose offers ring {@code offerTimeoutSeconds}. */
  static Target resolve(int offerTimeoutSeconds) {
    String url = System.getProperty("ablak.url");
    if (url != null && !url.isBlank()) {
      return new Target(url.replaceAll("/+$", ""), System.getProperty("ablak.admin.username", "admin"),
          required("ablak.admin.password"), null, null);
    }
    return startInProcess(Map.of("ABLAK_QUEUE_OFFER_TIMEOUT", "PT" + offerTimeoutSeconds + "S"));
  }

  /** Starts a node on embedded stores; the launcher uses the same settings in its own JVM. */
  static Target startInProcess(Map<String, String> settings) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("ablak-load-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(settings);
    env.putIfAbsent("ABLAK_HTTP_PORT", "0");
    // Loopback only, and a free media port: other nodes on this machine may hold the default one.
    env.putIfAbsent("ABLAK_MEDIA_BIND_ADDRESS", "127.0.0.1");
    env.putIfAbsent("ABLAK_MEDIA_PORT", "0");
    env.put("ABLAK_STORES_DATA_DIR", dataDir.toString());
    env.put("ABLAK_AUTH_SEED_DEMO_ACCOUNTS", "true");
    AblakServer server = AblakServer.start(SettingsLoader.load(null, env));
    DemoAccounts.Credential admin = server.demoCredentials().stream()
        .filter(credential -> credential.role() == Role.ADMIN).findFirst()
        .orElseThrow(() -> new IllegalStateException("the fresh node seeded no admin account"));
    return new Target(server.baseUrl(), admin.username(), admin.password(), server, dataDir);
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
      String username = "load-" + run + "-" + role + "-" + i;
      String password = UUID.randomUUID().toString();
      String body = "{\"username\":\"" + username + "\",\"name\":\"Load " + role + " " + i
          + "\",\"role\":\"" + role + "\",\"password\":\"" + password + "\"}";
      inFlight.acquireUninterruptibly();
      created.add(client.sendAsync(post(Messages.STAFF, body).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString())
          .whenComplete((response, failure) -> inFlight.release())
          .thenApply(response -> {
            if (response.statusCode() != 201) {
              throw new IllegalStateException("creating " + username + " answered " + response.statusCode() + " " + response.body());
            }
            return new Staff(new io.vertx.core.json.JsonObject(response.body()).getString("id"), username, password);
          }));
    }
    return created.stream().map(CompletableFuture::join).toList();
  }

  /** Gives clerks the skills of every queue (proficiency 3) and the languages hu and en, through the admin API. */
  void giveSkills(List<Staff> clerks, List<String> skills) {
    String cookie = signIn(adminUsername, adminPassword);
    String skillJson = skills.stream().map(skill -> "\"" + skill + "\":3").collect(java.util.stream.Collectors.joining(",", "{", "}"));
    String body = "{\"skills\":" + skillJson + ",\"languages\":[\"hu\",\"en\"],\"capacity\":1}";
    for (Staff clerk : clerks) {
      HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + Messages.STAFF + "/" + clerk.id() + "/routing"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Cookie", cookie)
          .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("giving " + clerk.username() + " skills answered " + response.statusCode() + " " + response.body());
      }
    }
  }

  /** The node's Prometheus metrics, as text. */
  String metrics() {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).timeout(Duration.ofSeconds(30))
        .header("Accept", "text/plain").GET().build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics answered " + response.statusCode());
    }
    return response.body();
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
    try (Stream<Path> paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
