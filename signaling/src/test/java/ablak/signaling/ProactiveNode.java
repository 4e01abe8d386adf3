package ablak.signaling;

import ablak.signaling.auth.DemoAccounts;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/**
 * A node on the machine's PostgreSQL and Redis (a fresh database and key prefix) whose proactive
 * service sends through a real SMTP server (GreenMail on a free loopback port), with signed-in
 * staff and helpers for the proactive REST API.
 */
final class ProactiveNode implements AutoCloseable {

  static final ZoneId ZONE = ZoneId.of("Europe/Budapest");

  final GreenMail mail;
  final MachineStores stores = new MachineStores();
  final AblakServer server;
  final Vertx vertx = Vertx.vertx();
  final WebClient web = WebClient.create(vertx);
  final Api api;
  final String supervisor;
  final String admin;
  final String clerk;
  final String clerkId;
  private final Path dataDir = TestNodes.tempDataDir();

  ProactiveNode() {
    int smtpPort = freePort();
    mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    server = AblakServer.start(TestNodes.embeddedSettings(dataDir, stores.environment(Map.of(
        "ABLAK_MAIL_SMTP_HOST", "127.0.0.1",
        "ABLAK_MAIL_SMTP_PORT", String.valueOf(smtpPort),
        "ABLAK_PROACTIVE_POLL_MILLIS", "100",
        // Wide enough that a slot in the next hour can be joined now.
        "ABLAK_PROACTIVE_JOIN_EARLY_MINUTES", "120"))));
    api = new Api(vertx, server.baseUrl());
    supervisor = api.login("supervisor", password("supervisor"));
    admin = api.login("admin", password("admin"));
    clerk = api.login("clerk", password("clerk"));
    clerkId = api.get("/api/auth/me", clerk).bodyAsJsonObject().getString("id");
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, Map<String, String> headers, JsonObject body) {
    HttpRequest<Buffer> request = web.requestAbs(method, server.baseUrl() + path);
    headers.forEach(request::putHeader);
    return Await.result(body == null ? request.send() : request.sendJsonObject(body));
  }

  HttpResponse<Buffer> asStaff(HttpMethod method, String path, String cookie, JsonObject body) {
    return call(method, path, cookie == null ? Map.of() : Map.of("Cookie", cookie), body);
  }

  HttpResponse<Buffer> asCitizen(HttpMethod method, String path, JsonObject body) {
    return call(method, path, Map.of("Authorization", "Bearer " + api.visitToken()), body);
  }

  HttpResponse<Buffer> withToken(HttpMethod method, String path, String token, JsonObject body) {
    return call(method, path, Map.of("Appointment-Token", token), body);
  }

  /** A supervisor's shift for the demo clerk: the given hour of the given day, local time, one hour. */
  JsonObject shift(String caseType, String language, LocalDate day, int hour) {
    Instant start = day.atTime(hour, 0).atZone(ZONE).toInstant();
    HttpResponse<Buffer> created = asStaff(HttpMethod.POST, "/api/appointments/shifts", supervisor, new JsonObject()
        .put("clerkId", clerkId).put("caseType", caseType).put("language", language)
        .put("startsAt", start.toString()).put("endsAt", start.plusSeconds(3600).toString()));
    if (created.statusCode() != 201 && created.statusCode() != 200) {
      throw new AssertionError("shift not added: " + created.bodyAsString());
    }
    return created.bodyAsJsonObject();
  }

  /** The first message's text/calendar part. */
  static String calendarOf(MimeMessage message) throws Exception {
    MimeMultipart parts = (MimeMultipart) message.getContent();
    for (int i = 0; i < parts.getCount(); i++) {
      BodyPart part = parts.getBodyPart(i);
      if (part.getContentType().startsWith("text/calendar")) {
        try (InputStream in = part.getInputStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new AssertionError("no calendar attachment");
  }

  static String textOf(MimeMessage message) throws Exception {
    return ((String) ((MimeMultipart) message.getContent()).getBodyPart(0).getContent()).replace("\r\n", "\n");
  }

  String sql(String query) {
    try (var connection = stores.jdbc(); var rows = connection.createStatement().executeQuery(query)) {
      return rows.next() ? rows.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  void update(String statement) {
    try (var connection = stores.jdbc()) {
      connection.createStatement().execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private String password(String username) {
    return server.demoCredentials().stream().filter(c -> c.username().equals(username))
        .map(DemoAccounts.Credential::password).findFirst().orElseThrow();
  }

  private static int freePort() {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws SQLException {
    server.close();
    Await.result(vertx.close());
    mail.stop();
    stores.close();
    TestNodes.delete(dataDir);
  }
}
