package ablak.media.call;

import ablak.media.MediaSettings;
import ablak.media.srtp.SrtpProfile;
import ablak.media.stats.DropReason;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Real headless Chromium participants in one call through the SFU, on loopback. */
class ChromiumCallTest {
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection");
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static Playwright playwright;
    private static Sfu sfu;
    private static TestSignalingServer server;
    private final List<Browser> browsers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        sfu = Sfu.start(MediaSettings.loopback(), new SimpleMeterRegistry());
        server = new TestSignalingServer(sfu);
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    @AfterAll
    static void stop() {
        playwright.close();
        server.close();
        sfu.close();
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(Browser::close);
    }

    @Test
    void twoThenThreeParticipantsSeeAndHearEveryoneElse() {
        Page citizen = join("call-three", "citizen", "citizen");
        Page clerk = join("call-three", "clerk", "clerk");
        awaitMedia(List.of(citizen, clerk), 1);

        Page interpreter = join("call-three", "interpreter", "interpreter");
        awaitMedia(List.of(citizen, clerk, interpreter), 2);

        assertThat(sfu.metrics().droppedCount(DropReason.SRTP_AUTH)).isZero();
        assertThat(sfu.metrics().forwardedCount()).isPositive();
        Participant clerkSide = sfu.findCall("call-three").orElseThrow().participant("clerk").orElseThrow();
        await(() -> clerkSide.stats().rttMillis() >= 0, "an RTT from Chromium's receiver reports");
        assertThat(clerkSide.stats().keyframesRequested()).as("a keyframe was requested when others joined").isPositive();
        assertThat(clerkSide.transport().srtpProfile()).as("Chromium offers AES-GCM SRTP and the SFU prefers it")
                .isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
    }

    @Test
    void aParticipantWhoDropsAndReconnectsIsSeenAndHearsAgain() {
        Page citizen = join("call-reconnect", "citizen", "citizen");
        Page clerk = join("call-reconnect", "clerk", "clerk");
        awaitMedia(List.of(citizen, clerk), 1);

        citizen.evaluate("leave()");
        long framesBefore = totalFrames(clerk);
        citizen.evaluate("path => join(path, 2)", path("call-reconnect", "citizen", "citizen"));

        await(() -> totalFrames(clerk) > framesBefore + 20, "the clerk decodes the reconnected citizen");
        awaitMedia(List.of(citizen), 1);
        assertThat(sfu.findCall("call-reconnect").orElseThrow().participants()).hasSize(2);
        assertThat(sfu.metrics().droppedCount(DropReason.SRTP_AUTH)).isZero();
    }

    private Page join(String call, String participant, String role) {
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/bin/chromium")).setHeadless(true).setArgs(FLAGS));
        browsers.add(browser);
        Page page = browser.newPage();
        page.navigate(server.url());
        page.evaluate("path => join(path, 2)", path(call, participant, role));
        return page;
    }

    private static String path(String call, String participant, String role) {
        return "/calls/" + call + "/participants/" + participant + "?role=" + role;
    }

    /** Each page decodes video from, and receives audio from, at least {@code others} other participants. */
    private static void awaitMedia(List<Page> pages, int others) {
        for (Page page : pages) {
            await(() -> count(page, "video", "framesDecoded") >= others && count(page, "audio", "packetsReceived") >= others,
                    "video frames decoded and audio received from " + others + " others");
        }
    }

    @SuppressWarnings("unchecked")
    private static long count(Page page, String kind, String field) {
        Map<String, Object> stats = (Map<String, Object>) page.evaluate("inbound()");
        List<Map<String, Object>> streams = (List<Map<String, Object>>) stats.get(kind);
        return streams.stream().filter(s -> ((Number) s.get(field)).longValue() > 0).count();
    }

    @SuppressWarnings("unchecked")
    private static long totalFrames(Page page) {
        Map<String, Object> stats = (Map<String, Object>) page.evaluate("inbound()");
        return ((List<Map<String, Object>>) stats.get("video")).stream()
                .mapToLong(s -> ((Number) s.get("framesDecoded")).longValue()).sum();
    }

    private static String meters() {
        StringBuilder out = new StringBuilder();
        sfu.metrics().registry().getMeters().forEach(m -> m.measure().forEach(v -> {
            if (v.getValue() != 0 && !m.getId().getName().startsWith("ablak.media.participant")) {
                out.append('\n').append(m.getId().getName()).append(m.getId().getTags()).append('=').append(v.getValue());
            }
        }));
        return out.toString();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE + ": " + what + "; SFU meters: " + meters());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
