package ablak.signaling.media;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.AblakServer;
import ablak.signaling.auth.DemoAccounts;
import ablak.signaling.config.SettingsLoader;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WHIP publishing and WHEP subscribing through a whole node: real Chromium pages speak plain
 * RFC 9725 over fetch, the SFU forwards on loopback, and every refusal has its status.
 */
class WhipWhepTest {

  private static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
      "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection");
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String OFFER = SdpOffers.audioVideo("sendonly");

  /** Kept after the run: what the webrtcbin publisher printed. */
  private static final Path GSTREAMER_LOG = Path.of("target", "gstreamer-whip-publish.log");
  private static Path dataDir;
  private static AblakServer node;
  private static HttpClient http;
  private static String clerk;
  private static String supervisor;
  private static String admin;

  @BeforeAll
  static void start() throws IOException {
    dataDir = Files.createTempDirectory("ablak-whip-");
    node = AblakServer.start(SettingsLoader.load(null, Map.of(
        "ABLAK_HTTP_PORT", "0", "ABLAK_HTTP_EVENT_LOOPS", "1", "ABLAK_HTTP_SHUTDOWN_GRACE_SECONDS", "1",
        "ABLAK_STORES_DATA_DIR", dataDir.toString(),
        "ABLAK_MEDIA_BIND_ADDRESS", "127.0.0.1", "ABLAK_MEDIA_PORT", "0", "ABLAK_MEDIA_ACCEPT_LOOPBACK_ONLY", "true")));
    http = HttpClient.newHttpClient();
    clerk = staffSession("clerk");
    supervisor = staffSession("supervisor");
    admin = staffSession("admin");
  }

  @AfterAll
  static void stop() throws IOException {
    node.close();
    try (Stream<Path> paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void chromiumPublishesOverWhipAndAnotherChromiumDecodesItOverWhep() {
    try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
      List<Browser> browsers = new ArrayList<>();
      try {
        Page publisher = page(playwright, browsers);
        Page subscriber = page(playwright, browsers);
        String publishSession = (String) publisher.evaluate(PUBLISH, List.of(node.baseUrl() + "/whip/calls/call-chromium", clerk));
        String subscribeSession = (String) subscriber.evaluate(SUBSCRIBE, List.of(node.baseUrl() + "/whep/calls/call-chromium", supervisor));

        await(() -> ((Number) subscriber.evaluate(FRAMES_DECODED)).longValue() > 0, "the WHEP page decodes the published video");

        assertThat(participantMeters(publishSession)).as("the publisher is a participant").isPositive();
        assertThat(send("DELETE", publishSession, clerk, null, null).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", subscribeSession, supervisor, null, null).statusCode()).isEqualTo(200);
        assertThat(participantMeters(publishSession)).as("the publisher left the call").isZero();
        assertThat(participantMeters(subscribeSession)).as("the subscriber left the call").isZero();
        assertThat(send("DELETE", publishSession, clerk, null, null).statusCode()).as("the session is gone").isEqualTo(404);
      } finally {
        browsers.forEach(Browser::close);
      }
    }
  }

  @Test
  void gstreamerWebrtcbinPublishesOverWhipAndChromiumDecodesIt() throws Exception {
    Assumptions.assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/girepository-1.0/Nice-0.1.typelib")),
        "needs GStreamer's webrtcbin with python3-gi and gir1.2-nice-0.1");
    Path script = Files.createTempFile("gstreamer_whip_publish", ".py");
    try (var in = WhipWhepTest.class.getResourceAsStream("gstreamer_whip_publish.py");
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      List<Browser> browsers = new ArrayList<>();
      Process gstreamer = new ProcessBuilder("/usr/bin/python3", script.toString(), node.baseUrl() + "/whip/calls/call-gstreamer", clerk, "15")
          .redirectErrorStream(true).redirectOutput(GSTREAMER_LOG.toFile()).start();
      try {
        Page subscriber = page(playwright, browsers);
        subscriber.evaluate(SUBSCRIBE, List.of(node.baseUrl() + "/whep/calls/call-gstreamer", supervisor));

        await(() -> ((Number) subscriber.evaluate(FRAMES_DECODED)).longValue() > 0, "Chromium decodes webrtcbin's video");

        assertThat(gstreamer.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)).as("the publisher ends its session").isTrue();
        assertThat(Files.readString(GSTREAMER_LOG)).contains("deleted 200");
        assertThat(gstreamer.exitValue()).isZero();
      } finally {
        gstreamer.destroy();
        browsers.forEach(Browser::close);
        Files.delete(script);
      }
    }
  }

  @Test
  void aCitizenPublishesIntoTheCallOfTheirOwnVisitOnly() {
    JsonObject visit = new JsonObject(send("POST", "/api/visits", null, null, null).body());
    String token = visit.getString("token");
    String visitId = visit.getString("visitId");

    HttpResponse<String> own = send("POST", "/whip/calls/" + visitId, token, "application/sdp", OFFER);
    HttpResponse<String> other = send("POST", "/whip/calls/someone-elses-call", token, "application/sdp", OFFER);

    assertThat(own.statusCode()).isEqualTo(201);
    assertThat(own.headers().firstValue("Content-Type")).hasValue("application/sdp");
    assertThat(own.body()).contains("a=setup:passive");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(send("DELETE", own.headers().firstValue("Location").orElseThrow(), token, null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void trickledCandidatesAreAcceptedAndAnIceRestartIsRefused() {
    HttpResponse<String> created = send("POST", "/whip/calls/call-trickle", clerk, "application/sdp", OFFER);
    String session = created.headers().firstValue("Location").orElseThrow();
    String etag = created.headers().firstValue("ETag").orElseThrow();
    String candidate = "a=ice-ufrag:AbCd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
        + "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host\r\n";
    String restart = "a=ice-ufrag:New1\r\na=ice-pwd:zyxwvutsrqponmlkjihgfedc\r\n";

    HttpResponse<String> trickled = patch(session, etag, candidate);
    HttpResponse<String> restarted = patch(session, "*", restart);
    HttpResponse<String> staleTag = patch(session, "\"not-this-one\"", candidate);
    HttpResponse<String> wrongType = send("PATCH", session, clerk, "application/sdp", candidate);
    HttpResponse<String> notFragment = patch(session, etag, "this is not sdp");

    assertThat(trickled.statusCode()).isEqualTo(204);
    assertThat(restarted.statusCode()).isEqualTo(422);
    assertThat(staleTag.statusCode()).isEqualTo(412);
    assertThat(wrongType.statusCode()).isEqualTo(415);
    assertThat(notFragment.statusCode()).isEqualTo(400);
    assertThat(send("DELETE", session, clerk, null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void badRequestsGetTypedErrorsAndCreateNoParticipant() {
    double transportsBefore = metric("ablak_media_transports");

    HttpResponse<String> noToken = send("POST", "/whip/calls/call-errors", null, "application/sdp", OFFER);
    HttpResponse<String> badToken = send("POST", "/whip/calls/call-errors", "v1.forged.token", "application/sdp", OFFER);
    HttpResponse<String> unknownSession = send("POST", "/whip/calls/call-errors", "no-such-session", "application/sdp", OFFER);
    HttpResponse<String> supervisorPublishes = send("POST", "/whip/calls/call-errors", supervisor, "application/sdp", OFFER);
    HttpResponse<String> adminSubscribes = send("POST", "/whep/calls/call-errors", admin, "application/sdp", OFFER);
    HttpResponse<String> json = send("POST", "/whip/calls/call-errors", clerk, "application/json", "{}");
    HttpResponse<String> badSdp = send("POST", "/whip/calls/call-errors", clerk, "application/sdp", OFFER.replace("a=rtcp-mux\r\n", ""));
    HttpResponse<String> badCallId = send("POST", "/whip/calls/" + "x".repeat(65), clerk, "application/sdp", OFFER);
    HttpResponse<String> patchUnknown = send("PATCH", "/whip/sessions/nope", clerk, "application/trickle-ice-sdpfrag", "a=mid:0\r\n");
    HttpResponse<String> deleteUnknown = send("DELETE", "/whep/sessions/nope", clerk, null, null);

    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(badToken.statusCode()).isEqualTo(401);
    assertThat(unknownSession.statusCode()).isEqualTo(401);
    assertThat(supervisorPublishes.statusCode()).isEqualTo(403);
    assertThat(adminSubscribes.statusCode()).isEqualTo(403);
    assertThat(json.statusCode()).isEqualTo(415);
    assertThat(badSdp.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(badSdp.body()).getString("code")).isEqualTo("invalid_sdp");
    assertThat(new JsonObject(badSdp.body()).getString("message")).contains("NO_RTCP_MUX");
    assertThat(badCallId.statusCode()).isEqualTo(400);
    assertThat(patchUnknown.statusCode()).isEqualTo(404);
    assertThat(deleteUnknown.statusCode()).isEqualTo(404);
    assertThat(metric("ablak_media_transports")).isEqualTo(transportsBefore);
  }

  @Test
  void aSessionCanBeEndedOnlyByWhoeverCreatedIt() {
    HttpResponse<String> created = send("POST", "/whep/calls/call-owner", clerk, "application/sdp", OFFER.replace("sendonly", "recvonly"));
    String session = created.headers().firstValue("Location").orElseThrow();

    HttpResponse<String> byOther = send("DELETE", session, supervisor, null, null);
    HttpResponse<String> asWhip = send("DELETE", session.replace("/whep/", "/whip/"), clerk, null, null);

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(byOther.statusCode()).isEqualTo(403);
    assertThat(asWhip.statusCode()).isEqualTo(404);
    assertThat(send("DELETE", session, clerk, null, null).statusCode()).isEqualTo(200);
  }

  private static final String PUBLISH = """
      async ([url, token]) => {
        const stream = await navigator.mediaDevices.getUserMedia({audio: true, video: true});
        const pc = new RTCPeerConnection();
        for (const track of stream.getTracks()) pc.addTransceiver(track, {direction: 'sendonly', streams: [stream]});
        await pc.setLocalDescription(await pc.createOffer());
        const response = await fetch(url, {method: 'POST', body: pc.localDescription.sdp,
            headers: {'Content-Type': 'application/sdp', 'Authorization': 'Bearer ' + token}});
        if (response.status !== 201) throw new Error('WHIP answered ' + response.status + ' ' + await response.text());
        await pc.setRemoteDescription({type: 'answer', sdp: await response.text()});
        window.pc = pc;
        return response.headers.get('Location');
      }""";

  private static final String SUBSCRIBE = """
      async ([url, token]) => {
        const pc = new RTCPeerConnection();
        pc.addTransceiver('audio', {direction: 'recvonly'});
        pc.addTransceiver('video', {direction: 'recvonly'});
        await pc.setLocalDescription(await pc.createOffer());
        const response = await fetch(url, {method: 'POST', body: pc.localDescription.sdp,
            headers: {'Content-Type': 'application/sdp', 'Authorization': 'Bearer ' + token}});
        if (response.status !== 201) throw new Error('WHEP answered ' + response.status + ' ' + await response.text());
        await pc.setRemoteDescription({type: 'answer', sdp: await response.text()});
        window.pc = pc;
        return response.headers.get('Location');
      }""";

  private static final String FRAMES_DECODED = """
      async () => {
        let frames = 0;
        (await window.pc.getStats()).forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0; });
        return frames;
      }""";

  private static Page page(Playwright playwright, List<Browser> browsers) {
    Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(Paths.get("/usr/bin/chromium")).setHeadless(true).setArgs(CHROMIUM_FLAGS));
    browsers.add(browser);
    Page page = browser.newPage();
    page.navigate(node.baseUrl() + "/health/live");
    return page;
  }

  private static String staffSession(String username) {
    String password = node.demoCredentials().stream().filter(c -> c.username().equals(username))
        .map(DemoAccounts.Credential::password).findFirst().orElseThrow();
    HttpResponse<String> login = send("POST", "/api/auth/login", null, "application/json",
        new JsonObject().put("username", username).put("password", password).encode());
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  }

  private static HttpResponse<String> patch(String session, String ifMatch, String fragment) {
    return send("PATCH", session, clerk, "application/trickle-ice-sdpfrag", fragment, "If-Match", ifMatch);
  }

  private static HttpResponse<String> send(String method, String path, String token, String contentType, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** How many of the SFU's per-participant meters name this session's participant. */
  private static long participantMeters(String sessionLocation) {
    String participant = "participant=\"" + sessionLocation.substring(sessionLocation.lastIndexOf('/') + 1) + "\"";
    return send("GET", "/metrics", null, null, null).body().lines().filter(line -> line.contains(participant)).count();
  }

  private static double metric(String name) {
    return send("GET", "/metrics", null, null, null).body().lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  private static void await(BooleanSupplier condition, String what) {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what);
      }
    }
  }
}
