package ablak.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;

/**
 * The other end of a call for tests that have no SFU: a plain RTCPeerConnection in its own page (with the fake
 * camera) that answers the app's offer, so the app shows real decoded video and the far side decodes the app's.
 */
final class FarSide {

    private final Page page;

    FarSide(Page page, String origin) {
        this.page = page;
        page.navigate(origin);
    }

    /** Answers an SDP offer with every candidate gathered (no trickle needed from this side). */
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

    void addCandidate(JsonNode candidate) {
        page.evaluate("(c) => window.farSide.addIceCandidate(JSON.parse(c)).catch(() => undefined)", candidate.toString());
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

    /** Plays the media part of the server: answers the app's offer and passes on its candidates. */
    void connect(ScriptedControlServer control, Page app) {
        app.waitForCondition(() -> control.hasReceived("media.offer"));
        JsonNode offer = control.last("media.offer");
        control.respond(offer, ScriptedControlServer.message("media.answer").put("sdp", answer(offer.path("sdp").asText())));
        control.received.stream().filter(m -> "media.candidate".equals(m.path("type").asText()))
                .forEach(m -> addCandidate(m.path("candidate")));
    }
}
