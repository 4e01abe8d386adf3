package ablak.signaling;

import ablak.signaling.auth.DemoAccounts;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ViewportSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Headless Chromium for journeys through a real node: one browser with the fake camera and
 * microphone, a fresh context per person (its own profile), every RTCPeerConnection a page makes
 * kept for getStats, and every console error (CSP violations included) collected for the test.
 */
final class JourneyPages implements AutoCloseable {

  static final Path SCREENSHOTS = Path.of(System.getProperty("ablak.screenshots", "../docs/screenshots"));
  static final double SLOW = 30_000;
  private static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
      "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection",
      "--autoplay-policy=no-user-gesture-required");
  /** Counts every RTCPeerConnection a page makes, so the test can read getStats as a media engineer would. */
  private static final String PEER_TRACKER = """
      window.__peers = [];
      const Native = window.RTCPeerConnection;
      window.RTCPeerConnection = class extends Native {
        constructor(...args) { super(...args); window.__peers.push(this); }
      };""";
  private static final String FRAMES_DECODED = """
      async () => {
        let frames = 0;
        for (const peer of window.__peers) {
          if (peer.connectionState === 'closed') continue;
          (await peer.getStats()).forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0; });
        }
        return frames;
      }""";

  /** The same, for the page's main remote video only: its own sendrecv video section, where the other person is. */
  private static final String MAIN_FRAMES_DECODED = """
      async () => {
        let frames = 0;
        for (const peer of window.__peers) {
          if (peer.connectionState === 'closed') continue;
          const main = peer.getTransceivers().find((t) => t.direction === 'sendrecv' && t.receiver.track.kind === 'video');
          if (!main) continue;
          (await main.receiver.getStats()).forEach((r) => { if (r.type === 'inbound-rtp') frames += r.framesDecoded || 0; });
        }
        return frames;
      }""";

  private final AblakServer node;
  private final Browser browser;
  private final List<BrowserContext> contexts = new ArrayList<>();
  /** Console messages that are an expected answer, not a fault: (text, location) → true to ignore. */
  private final BiPredicate<String, String> expected;
  final List<String> consoleErrors = new ArrayList<>();

  /** {@code extraFlags}: e.g. {@code --use-file-for-fake-video-capture=...} for a particular camera. */
  JourneyPages(Playwright playwright, AblakServer node, List<String> extraFlags, BiPredicate<String, String> expected) {
    this.node = node;
    this.expected = expected;
    List<String> flags = new ArrayList<>(CHROMIUM_FLAGS);
    flags.addAll(extraFlags);
    this.browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(Path.of("/usr/bin/chromium")).setHeadless(true).setArgs(flags));
  }

  static Playwright playwright() {
    return Playwright.create(new Playwright.CreateOptions().setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  Page page(int width, int height) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions()
        .setViewportSize(new ViewportSize(width, height)).setLocale("hu-HU"));
    context.grantPermissions(List.of("camera", "microphone"), new BrowserContext.GrantPermissionsOptions().setOrigin(node.baseUrl()));
    context.addInitScript(PEER_TRACKER);
    contexts.add(context);
    Page page = context.newPage();
    page.onConsoleMessage(message -> {
      // Before sign-in, "who am I?" answers 401: Chromium logs it, but it is the expected answer.
      boolean signInProbe = message.text().contains("status of 401") && message.location().contains("/api/auth/me");
      if ("error".equals(message.type()) && !signInProbe && !expected.test(message.text(), message.location())) {
        consoleErrors.add(message.text() + " at " + message.location());
      }
    });
    page.onPageError(consoleErrors::add);
    return page;
  }

  void signIn(Page page, String app, String username) {
    String password = node.demoCredentials().stream().filter(c -> c.username().equals(username))
        .map(DemoAccounts.Credential::password).findFirst().orElseThrow();
    page.navigate(node.baseUrl() + app);
    page.getByLabel("Felhasználónév").fill(username);
    page.getByLabel("Jelszó").fill(password);
    click(page, "Bejelentkezés");
  }

  static void click(Page page, String button) {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(button)).click();
  }

  /** Video frames decoded so far by every open RTCPeerConnection of the page, from getStats. */
  static long frames(Page page) {
    return ((Number) page.evaluate(FRAMES_DECODED)).longValue();
  }

  /** Video frames decoded so far in the page's main remote video (not a third participant's or a supervisor's slot). */
  static long mainFrames(Page page) {
    return ((Number) page.evaluate(MAIN_FRAMES_DECODED)).longValue();
  }

  static void screenshot(Page page, String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    page.evaluate("() => document.fonts.ready");
    // The wallboard's clerk table is below its tiles: the whole board, as a wall screen shows it.
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(name.startsWith("wallboard")));
  }

  /**
   * The page's control WebSocket as a network link the test can cut: while cut, the open socket is closed on
   * both sides (the node sees the connection lost) and every reconnect is closed as it opens; restored, the next
   * reconnect reaches the node. Playwright's offline mode would not do: it leaves open WebSockets (and WebRTC)
   * alone. Install it before the page connects.
   */
  static final class ControlLink {

    private final List<WebSocketRoute[]> open = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean cut;

    ControlLink(Page page) {
      page.routeWebSocket(java.util.regex.Pattern.compile(".*/ws$"), socket -> {
        if (cut) {
          socket.close(new WebSocketRoute.CloseOptions().setCode(4500).setReason("network down"));
          return;
        }
        open.add(new WebSocketRoute[] {socket, socket.connectToServer()});
      });
    }

    void cut() {
      cut = true;
      open.forEach(ends -> {
        ends[0].close(new WebSocketRoute.CloseOptions().setCode(4500).setReason("network down"));
        ends[1].close(new WebSocketRoute.CloseOptions().setCode(4500).setReason("network down"));
      });
      open.clear();
    }

    void restore() {
      cut = false;
    }
  }

  /** Closes every page of the test; the browser stays for the next. */
  void closePages() {
    contexts.forEach(BrowserContext::close);
    contexts.clear();
    consoleErrors.clear();
  }

  @Override
  public void close() {
    closePages();
    browser.close();
  }
}
