package ablak.desktop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the built webroot on 127.0.0.1 under the same Content-Security-Policy the signaling server sends,
 * plus, at the REST paths the apps call, a visit token, the catalogue and forms as the cases module's
 * CatalogueView and FormView render them (fixtures made from the cases catalogue), the identification
 * panel's document types, a started draft for
 * {@code POST /api/cases} (the request is kept for the test to read), and axe-core for the accessibility check.
 * Test-only: the real server is the signaling module.
 */
final class StaticWebServer implements AutoCloseable {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json; charset=utf-8",
            "svg", "image/svg+xml");

    /** GET /api/forms/{caseType}/{version}: the fixtures hold each case type's current version. */
    private static final Pattern FORM = Pattern.compile("/api/forms/([a-z0-9-]+)/[0-9]+");

    private final HttpServer server;
    private final Path webroot;
    private final Path fixtures;
    private final Path axe;
    /** The body and Authorization header of the last {@code POST /api/cases}. */
    volatile String lastCaseRequest;
    volatile String lastCaseAuthorization;

    StaticWebServer(Path webroot, Path fixtures, Path axe) throws IOException {
        this.webroot = webroot.toRealPath();
        this.fixtures = fixtures.toRealPath();
        this.axe = axe;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    static StaticWebServer fromBuild() throws IOException {
        return new StaticWebServer(Path.of(System.getProperty("ablak.webroot", "target/classes/webroot")),
                Path.of("src/test/resources/fixtures"),
                Path.of(System.getProperty("ablak.axe", "node_modules/axe-core/axe.min.js")));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = URI.create(exchange.getRequestURI().getPath()).normalize().getPath();
            if (path.equals("/api/visits") && "POST".equals(exchange.getRequestMethod())) {
                send(exchange, 201, TYPES.get("json"), "{\"token\":\"v1.visit.token\",\"visitId\":\"0f6e\",\"expiresAt\":1795399928}".getBytes());
                return;
            }
            if (path.equals("/api/cases") && "POST".equals(exchange.getRequestMethod())) {
                lastCaseAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
                lastCaseRequest = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                send(exchange, 201, TYPES.get("json"), """
                        {"caseView":{"id":"case-1","caseType":"address-registration","formVersion":1,"language":"hu","status":"DRAFT",
                          "version":1,"data":{},"confirmedVersion":null,"caseNumber":null},"citizenToken":"case-token-1"}""".getBytes());
                return;
            }
            Path file = resolve(path, language(exchange.getRequestURI().getQuery()));
            if (file == null || !Files.isRegularFile(file) || !"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 404, "text/plain", "not found".getBytes());
                return;
            }
            String name = file.getFileName().toString();
            send(exchange, 200, TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream"), Files.readAllBytes(file));
        }
    }

    private static String language(String query) {
        String lang = query == null ? "hu" : query.replaceAll(".*\\blang=([a-z]{2}).*", "$1");
        return lang.matches("[a-z]{2}") ? lang : "hu";
    }

    private Path resolve(String path, String language) {
        if (path.equals("/__test/axe.min.js")) {
            return axe;
        }
        if (path.equals("/api/catalogue")) {
            return fixtures.resolve("catalogue." + language + ".json");
        }
        if (path.equals("/api/identifications/document-types")) {
            return fixtures.resolve("document-types." + language + ".json");
        }
        Matcher form = FORM.matcher(path);
        if (form.matches()) {
            return fixtures.resolve("forms/" + form.group(1) + "." + language + ".json");
        }
        Path file = webroot.resolve(path.substring(1)).normalize();
        if (!file.startsWith(webroot)) {
            return null;
        }
        return Files.isDirectory(file) ? file.resolve("index.html") : file;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Content-Security-Policy", WebApps.CONTENT_SECURITY_POLICY);
        exchange.getResponseHeaders().set("Permissions-Policy", WebApps.PERMISSIONS_POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
