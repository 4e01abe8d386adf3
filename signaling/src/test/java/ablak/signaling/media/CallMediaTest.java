package ablak.signaling.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ablak.media.recording.RecordedCodec;
import ablak.media.recording.RecordingManifest;
import ablak.signaling.AblakServer;
import ablak.signaling.ClientError;
import ablak.signaling.auth.DemoAccounts;
import ablak.signaling.config.SettingsLoader;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the node does with the media of its calls beyond forwarding: it records a call that real
 * Chromium publishes into over WHIP, reports each participant's connection quality to staff, and
 * ends WHIP/WHEP sessions whose clients vanished without DELETE.
 */
class CallMediaTest {

  private static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
      "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection");
  private static final Duration DEADLINE = Duration.ofSeconds(40);
  private static final String FINGERPRINT =
      "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
  /** A WHIP offer nobody will ever connect with: its transport times out. */
  private static final String DEAD_OFFER = String.join("\r\n",
      "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
      "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=ice-ufrag:AbCd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
      "a=fingerprint:sha-256 " + FINGERPRINT, "a=setup:actpass", "a=mid:0", "a=sendonly", "a=rtcp-mux",
      "a=rtpmap:111 opus/48000/2", "a=ssrc:1111 cname:x", "");

  private static Path dataDir;
  private static AblakServer node;
  private static HttpClient http;
  private static String clerk;
  private static String supervisor;
  private static String admin;

  @BeforeAll
  static void start() throws IOException {
    dataDir = Files.createTempDirectory("ablak-call-media-");
    node = AblakServer.start(SettingsLoader.load(null, Map.of(
        "ABLAK_HTTP_PORT", "0", "ABLAK_HTTP_EVENT_LOOPS", "1", "ABLAK_HTTP_SHUTDOWN_GRACE_SECONDS", "1",
        "ABLAK_STORES_DATA_DIR", dataDir.toString(),
        "ABLAK_MEDIA_BIND_ADDRESS", "127.0.0.1", "ABLAK_MEDIA_PORT", "0", "ABLAK_MEDIA_ACCEPT_LOOPBACK_ONLY", "true",
        // A session that never connects is reaped for its transport before the idle rule could apply.
        "ABLAK_MEDIA_CONNECT_TIMEOUT", "PT2S", "ABLAK_MEDIA_SESSION_IDLE_TIMEOUT", "PT5S")));
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
  void aCallPublishedByChromiumIsRecordedToFilesThatDecodeAndMatchTheManifest() throws Exception {
    CallRecordings recordings = node.callRecordings();
    try (Playwright playwright = playwright()) {
      List<Browser> browsers = new ArrayList<>();
      try {
        Page publisher = page(playwright, browsers);
        publisher.evaluate(PUBLISH, List.of(node.baseUrl() + "/whip/calls/call-recorded", clerk));
        await(() -> videoFramesIn("call-recorded") > 0, "the SFU receives Chromium's video");

        assertThat(await(recordings.start("call-recorded"))).isNull();
        assertThat(recordings.isRecording("call-recorded")).isTrue();
        assertThat(failure(recordings.start("call-recorded")).code()).isEqualTo(ClientError.CONFLICT);
        // The recording asks Chromium for a keyframe and writes from it on: wait for a video frame and audio in the files.
        Path recorded = dataDir.resolve("recordings").resolve("call-recorded");
        await(() -> largestFile(recorded, ".ivf") > IVF_HEADER_BYTES + IVF_FRAME_HEADER_BYTES && largestFile(recorded, ".opus") > 0,
            "video frames and audio written to the recording");
        RecordingManifest manifest = await(recordings.stop("call-recorded"));

        assertThat(recordings.isRecording("call-recorded")).isFalse();
        assertThat(manifest.stoppedAt()).isNotNull();
        RecordingManifest.Track video = track(manifest, RecordedCodec.VP8);
        RecordingManifest.Track audio = track(manifest, RecordedCodec.OPUS);
        Path directory = dataDir.resolve("recordings").resolve("call-recorded");
        for (RecordingManifest.Track track : List.of(video, audio)) {
          Path file = directory.resolve(track.file());
          assertThat(file).exists();
          assertThat(sha256(file)).as(track.file()).isEqualTo(track.sha256());
        }
        assertThat(Files.readString(directory.resolve("manifest.json"))).contains(video.sha256(), audio.sha256());
        assertThat(ffprobe(directory.resolve(video.file()), "v", "-count_frames", "nb_read_frames"))
            .as("VP8 frames ffprobe decodes").startsWith("vp8,").satisfies(line -> assertThat(count(line)).isPositive());
        assertThat(ffprobe(directory.resolve(audio.file()), "a", "-count_packets", "nb_read_packets"))
            .as("Opus packets in the Ogg file").startsWith("opus,").satisfies(line -> assertThat(count(line)).isPositive());
        assertThat(metric("ablak_media_recording_frames_total")).isPositive();
      } finally {
        browsers.forEach(Browser::close);
      }
    }
    assertThat(failure(recordings.stop("call-recorded")).code()).as("not recording any more").isEqualTo(ClientError.NOT_FOUND);
    assertThat(failure(recordings.start("call-recorded")).code()).as("a recording is never overwritten").isEqualTo(ClientError.CONFLICT);
  }

  @Test
  void recordingRefusesCallsItCannotRecordAndChangesNothing() {
    CallRecordings recordings = node.callRecordings();

    assertThat(failure(recordings.start("no-such-call")).code()).isEqualTo(ClientError.NOT_FOUND);
    assertThat(failure(recordings.start("has.a.dot")).code()).isEqualTo(ClientError.INVALID_MESSAGE);
    assertThat(failure(recordings.start(null)).code()).isEqualTo(ClientError.INVALID_MESSAGE);
    assertThat(failure(recordings.stop("no-such-call")).code()).isEqualTo(ClientError.NOT_FOUND);
    assertThat(recordings.isRecording("no-such-call")).isFalse();
    assertThat(dataDir.resolve("recordings").resolve("no-such-call")).doesNotExist();
  }

  @Test
  void staffSeeEachParticipantsConnectionQuality() {
    try (Playwright playwright = playwright()) {
      List<Browser> browsers = new ArrayList<>();
      try {
        JsonObject visit = new JsonObject(send("POST", "/api/visits", null, null, null).body());
        String callId = visit.getString("visitId");
        Page citizen = page(playwright, browsers);
        Page clerkPage = page(playwright, browsers);
        citizen.evaluate(PUBLISH, List.of(node.baseUrl() + "/whip/calls/" + callId, visit.getString("token")));
        clerkPage.evaluate(PUBLISH, List.of(node.baseUrl() + "/whip/calls/" + callId, clerk));
        await(() -> participants(callId).size() == 2 && participants(callId).stream().allMatch(p -> p.getLong("framesIn") > 0 && p.getInteger("videoWidth") > 0),
            "both publishers' video reaches the SFU");

        JsonArray participants = new JsonObject(stats(callId, supervisor).body()).getJsonArray("participants");
        assertThat(participants).hasSize(2);
        for (int i = 0; i < participants.size(); i++) {
          JsonObject p = participants.getJsonObject(i);
          assertThat(p.getString("callId")).isEqualTo(callId);
          assertThat(p.getBoolean("connected")).isTrue();
          assertThat(p.getLong("packetsIn")).isPositive();
          assertThat(p.getInteger("videoHeight")).isPositive();
          assertThat(p.getDouble("jitterMillis")).isNotNegative();
          assertThat(p.getString("at")).matches("\\d{4}-.*Z");
        }
        assertThat(participants.stream().map(p -> ((JsonObject) p).getString("role"))).containsExactlyInAnyOrder("CITIZEN", "CLERK");
        assertThat(stats(callId, admin).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/calls/" + callId + "/stats", visit.getString("token"), null, null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/calls/" + callId + "/stats", null, null, null).statusCode()).isEqualTo(401);
        assertThat(stats("no-such-call", clerk).statusCode()).isEqualTo(404);
        assertThat(stats("x".repeat(65), clerk).statusCode()).isEqualTo(400);
      } finally {
        browsers.forEach(Browser::close);
      }
    }
  }

  @Test
  void sessionsWhoseClientsVanishAreEndedAndActiveOnesAreKept() {
    try (Playwright playwright = playwright()) {
      List<Browser> browsers = new ArrayList<>();
      try {
        String active = (String) page(playwright, browsers).evaluate(PUBLISH, List.of(node.baseUrl() + "/whip/calls/call-reaped", clerk));
        Page leaving = page(playwright, browsers);
        String vanished = (String) leaving.evaluate(PUBLISH, List.of(node.baseUrl() + "/whip/calls/call-reaped", clerk));
        String neverConnected = send("POST", "/whip/calls/call-reaped", clerk, "application/sdp", DEAD_OFFER)
            .headers().firstValue("Location").orElseThrow();
        await(() -> videoFramesIn("call-reaped") > 0, "media flows in the call");
        assertThat(participantMeters(vanished)).isPositive();

        // The page goes away without DELETE, as a closed tab or a lost network does.
        leaving.context().browser().close();

        await(() -> participantMeters(vanished) == 0 && participantMeters(neverConnected) == 0,
            "the vanished and the never-connected session are ended and their meters freed");
        // Which rule ends the vanished one depends on how the browser went: a DTLS close_notify closes its
        // transport at once, silence ends it after the idle timeout. Either way both are counted.
        assertThat(metric("ablak_media_sessions_reaped_total{reason=\"transport-closed\"")).isPositive();
        assertThat(metric("ablak_media_sessions_reaped_total{reason=\"transport-closed\"")
            + metric("ablak_media_sessions_reaped_total{reason=\"idle\"")).isGreaterThanOrEqualTo(2);
        assertThat(send("DELETE", vanished, clerk, null, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", neverConnected, clerk, null, null).statusCode()).isEqualTo(404);
        assertThat(participantMeters(active)).as("the publisher still sending keeps its session").isPositive();
        assertThat(send("DELETE", active, clerk, null, null).statusCode()).isEqualTo(200);
      } finally {
        browsers.forEach(browser -> {
          if (browser.isConnected()) {
            browser.close();
          }
        });
      }
    }
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

  private static Playwright playwright() {
    return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  private static Page page(Playwright playwright, List<Browser> browsers) {
    Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(Paths.get("/usr/bin/chromium")).setHeadless(true).setArgs(CHROMIUM_FLAGS));
    browsers.add(browser);
    Page page = browser.newPage();
    page.navigate(node.baseUrl() + "/health/live");
    return page;
  }

  private static RecordingManifest.Track track(RecordingManifest manifest, RecordedCodec codec) {
    return manifest.tracks().stream().filter(t -> t.codec() == codec && t.file() != null).findFirst()
        .orElseThrow(() -> new AssertionError("no " + codec + " file in " + manifest.toJson()));
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  /** {@code codec,count} of the file's first stream of that kind, as ffprobe reads it (decoding video frames). */
  private static String ffprobe(Path file, String kind, String countOption, String countField) throws Exception {
    Process ffprobe = new ProcessBuilder("ffprobe", "-v", "error", countOption, "-select_streams", kind + ":0",
        "-show_entries", "stream=codec_name," + countField, "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
    String output = new String(ffprobe.getInputStream().readAllBytes()).trim();
    assertThat(ffprobe.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ffprobe.exitValue()).as(output).isZero();
    return output;
  }

  private static long count(String ffprobeLine) {
    return Long.parseLong(ffprobeLine.substring(ffprobeLine.lastIndexOf(',') + 1).trim());
  }

  private static HttpResponse<String> stats(String callId, String staffSession) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/calls/" + callId + "/stats"))
        .header("Cookie", "ablak_session=" + staffSession).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<JsonObject> participants(String callId) {
    HttpResponse<String> response = stats(callId, clerk);
    if (response.statusCode() != 200) {
      return List.of();
    }
    JsonArray all = new JsonObject(response.body()).getJsonArray("participants");
    return all.stream().map(JsonObject.class::cast).toList();
  }

  private static long videoFramesIn(String callId) {
    return participants(callId).stream().mapToLong(p -> p.getLong("framesIn")).sum();
  }

  private static String staffSession(String username) {
    String password = node.demoCredentials().stream().filter(c -> c.username().equals(username))
        .map(DemoAccounts.Credential::password).findFirst().orElseThrow();
    HttpResponse<String> login = send("POST", "/api/auth/login", null, "application/json",
        new JsonObject().put("username", username).put("password", password).encode());
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  }

  private static HttpResponse<String> send(String method, String path, String token, String contentType, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
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

  /** Sum of the Prometheus samples whose line starts with {@code prefix} (a name, or a name and its first labels). */
  private static double metric(String prefix) {
    return send("GET", "/metrics", null, null, null).body().lines()
        .filter(line -> line.startsWith(prefix + " ") || line.startsWith(prefix + "{") || line.startsWith(prefix + ",")
            || prefix.contains("{") && line.startsWith(prefix))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static final int IVF_HEADER_BYTES = 32;
  private static final int IVF_FRAME_HEADER_BYTES = 12;

  /** Size of the largest file in the directory with this ending, 0 when there is none yet. */
  private static long largestFile(Path directory, String ending) {
    try (var files = Files.list(directory)) {
      return files.filter(file -> file.toString().endsWith(ending)).mapToLong(file -> file.toFile().length()).max().orElse(0);
    } catch (java.io.IOException notYet) {
      return 0;
    }
  }

  private static ClientError failure(Future<?> future) {
    assertThatThrownBy(() -> await(future)).hasCauseInstanceOf(ClientError.class);
    return (ClientError) future.cause();
  }

  private static void await(BooleanSupplier condition, String what) {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what);
      }
    }
  }
}
