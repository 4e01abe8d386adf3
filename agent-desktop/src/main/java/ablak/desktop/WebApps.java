package ablak.desktop;

import java.util.List;

/**
 * Where the web front ends are on the classpath and the response headers they are built to run under.
 * The signaling server serves {@link #CLASSPATH_ROOT} as static files and adds {@link #CONTENT_SECURITY_POLICY}
 * to every response: the apps load only their own scripts, styles and translations, and talk only to
 * their own origin (REST and the WebSocket), so nothing else needs to be allowed.
 */
public final class WebApps {

    /** The folder inside this module's jar: {@code webroot/citizen/}, {@code clerk/}, {@code wallboard/}, {@code appointments/}, {@code shared/}. */
    public static final String CLASSPATH_ROOT = "webroot";

    /** The URL paths of the apps, each an index.html with relative links, so any prefix works. */
    public static final List<String> APPS = List.of("/citizen/", "/clerk/", "/wallboard/", "/appointments/");

    /**
     * No inline script or style, no eval, nothing from another host (CSP Level 3). {@code connect-src 'self'}
     * covers ws:/wss: to the same host in current browsers; media from the camera and the far side arrive as
     * MediaStreams and need no source; {@code blob:} is allowed for media in case a recording is played back.
     */
    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "media-src 'self' blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    /** Camera and microphone for this origin only; nothing else a page could ask for. */
    public static final String PERMISSIONS_POLICY = "camera=(self), microphone=(self), display-capture=(), geolocation=(), payment=(), usb=()";

    private WebApps() {
    }
}
