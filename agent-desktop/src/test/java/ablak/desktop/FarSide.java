package ablak.desktop;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The other end of a call for tests that have no SFU: a plain RTCPeerConnection in its own page (with the fake
 * camera) that plays the WHIP endpoint the app publishes to, so the app shows real decoded video and the far side
 * decodes the app's.
 */
final class FarSide {

    static final String SESSION = "/whip/sessions/far-side-1";

    private final Page page;
    /** Every WHIP request the app made: method, path, Authorization and Content-Type. */
    final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private volatile String lastOffer;

    FarSide(Page page, String origin) {
        this.page = page;
        page.navigate(origin);
    }

    /**
     * Answers the app's WHIP requests: a POST of an offer gets 201 with this page's complete answer and the
     * session's Location, a DELETE of the session 200.
     */
    FarSide serveWhip(Page app) {
        app.route("**/whip/**", route -> {
            String method = route.request().method();
            String path = route.request().url().replaceFirst("^https?://[^/]+", "");
            requests.add(Map.of("method", method, "path", path,
                    "authorization", route.request().headers().getOrDefault("authorization", ""),
                    "contentType", route.request().headers().getOrDefault("content-type", "")));
            if ("POST".equals(method)) {
                lastOffer = route.request().postData();
                route.fulfill(new Route.FulfillOptions().setStatus(201).setContentType("application/sdp")
                        .setHeaders(Map.of("Location", SESSION)).setBody(answer(route.request().postData())));
            } else {
                route.fulfill(new Route.FulfillOptions().setStatus(200));
            }
        });
        return this;
    }

    /** The SDP offer of the app's last WHIP POST. */
    String lastOffer() {
        return lastOffer;
    }

    /** Answers an SDP offer with every candidate gathered, as the SFU does (no trickle). */
    String answer(String offerSdp) {
        return (String) page.evaluate("""
                async (offer) => {
                  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
                  const pc = new RTCPeerConnection();
                  window.farSide = pc;
                  stream.getTracks().forEach((track) => pc.addTrack(track, stream));
                  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
                  await pc.setLocalDescription(await pc.createAnswer());
                  if (pc.iceGatheringState !== 'complete') {
                    await new Promise((done) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && done()));
                  }
                  return pc.localDescription.sdp;
                }""", offerSdp);
    }

    /** Video frames the far side has decoded from the app, read from getStats as a media engineer would. */
    long framesDecoded() {
        Object frames = page.evaluate("""
                async () => {
                  let frames = 0;
                  (await window.farSide.getStats()).forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0; });
                  return frames;
                }""");
        return ((Number) frames).longValue();
    }

    boolean received(String method) {
        return requests.stream().anyMatch(r -> method.equals(r.get("method")));
    }
}
