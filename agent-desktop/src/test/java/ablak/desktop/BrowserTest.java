package ablak.desktop;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ViewportSize;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's Chromium, headless, with a fake camera and microphone, driven by Playwright against the built
 * webroot. Camera permission is NOT granted by a browser flag: each test grants it to its context (or does not,
 * to see the "blocked" message), which is how a real citizen's browser behaves.
 */
abstract class BrowserTest {

    static final Path SCREENSHOTS = Path.of(System.getProperty("ablak.screenshots", "../docs/screenshots"));

    static StaticWebServer server;
    static Playwright playwright;
    static Browser browser;

    private final List<BrowserContext> contexts = new ArrayList<>();
    private final List<String> consoleErrors = new ArrayList<>();

    @BeforeAll
    static void startBrowser() throws Exception {
        server = StaticWebServer.fromBuild();
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of("/usr/bin/chromium"))
                .setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                        "--use-fake-device-for-media-stream", "--allow-loopback-in-peer-connection",
                        "--autoplay-policy=no-user-gesture-required")));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeContexts() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
    }

    /** A fresh browser profile; camera and microphone allowed or not. */
    Page newPage(boolean allowCamera, int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(new ViewportSize(width, height))
                .setLocale("hu-HU"));
        if (allowCamera) {
            context.grantPermissions(List.of("camera", "microphone"), new BrowserContext.GrantPermissionsOptions().setOrigin(server.url("")));
        }
        contexts.add(context);
        Page page = context.newPage();
        page.onConsoleMessage(message -> {
            // A 401 from "who am I?" before sign-in, or from a wrong password, is the server's answer, not a fault:
            // Chromium logs every 4xx response on the console.
            boolean expectedRefusal = message.text().contains("status of 401") && message.location().contains("/api/auth/");
            if ("error".equals(message.type()) && !expectedRefusal) {
                consoleErrors.add(message.text() + " at " + message.location());
            }
        });
        page.onPageError(consoleErrors::add);
        return page;
    }

    Page newPage(boolean allowCamera) {
        return newPage(allowCamera, 1280, 860);
    }

    /** No script errors and no Content-Security-Policy violations (Chromium reports both on the console). */
    void assertNoConsoleErrors() {
        assertThat(consoleErrors).as("console errors").isEmpty();
    }

    /** Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is now; serious or critical findings fail. */
    void assertAccessible(Page page, String screen) {
        if (!(Boolean) page.evaluate("() => typeof window.axe !== 'undefined'")) {
            // Loaded from the same origin as a file, so the page's strict CSP allows it (no inline script).
            page.addScriptTag(new Page.AddScriptTagOptions().setUrl(server.url("/__test/axe.min.js")));
        }
        @SuppressWarnings("unchecked")
        List<String> violations = (List<String>) page.evaluate("""
                async () => {
                  const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
                  return result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
                }""");
        assertThat(violations).as("axe-core serious/critical violations on " + screen).isEmpty();
    }

    /** Saves what a person sees into docs/screenshots/NAME.png. */
    void screenshot(Page page, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        page.evaluate("() => document.fonts.ready");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(false));
    }

    /** Checks a screen the way every screen is checked, then photographs it. */
    void check(Page page, String screen) throws Exception {
        verify(page, screen);
        screenshot(page, screen);
    }

    /** Checks a screen without photographing it: the full-journey test against a real node takes that photo. */
    void verify(Page page, String screen) {
        assertAccessible(page, screen);
        assertNoConsoleErrors();
    }
}
