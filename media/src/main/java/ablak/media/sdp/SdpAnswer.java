package ablak.media.sdp;

import ablak.media.sdp.SdpOffer.PayloadType;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Writes the SDP answer (RFC 8829 5.3) for an offer: one BUNDLE group over the accepted sections, ICE
 * credentials and host candidates of the single media port (RFC 8839), our fingerprint with
 * {@code a=setup:passive} (RFC 5763 5), and for every section the SFU sends on, the SSRC it will use
 * (RFC 5576) so the browser can demultiplex without header extensions.
 */
public final class SdpAnswer {
    private SdpAnswer() {
    }

    /** What the SFU sends on one section: the SSRC, and the stream it belongs to (RFC 8830 msid). */
    public record Outgoing(long ssrc, String streamId, String trackId) {
    }

    public static String write(List<Negotiated> sections, List<Outgoing> outgoing, String iceUfrag, String icePwd,
                               String fingerprint, List<InetSocketAddress> candidates, String cname) {
        StringBuilder sdp = new StringBuilder(2048);
        long sessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        line(sdp, "v=0");
        line(sdp, "o=- " + sessionId + " 2 IN IP4 127.0.0.1");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        String bundle = sections.stream().filter(Negotiated::accepted).map(n -> n.offered().mid())
                .collect(Collectors.joining(" "));
        line(sdp, "a=group:BUNDLE " + bundle);
        line(sdp, "a=msid-semantic: WMS *");
        for (int i = 0; i < sections.size(); i++) {
            Negotiated n = sections.get(i);
            if (!n.accepted()) {
                // RFC 8829 5.3.1: a rejected section keeps its type and format list, with port 0.
                line(sdp, "m=" + n.offered().mediaType() + " 0 " + n.offered().protocol() + " " + n.offered().formats());
                line(sdp, "c=IN IP4 0.0.0.0");
                line(sdp, "a=mid:" + n.offered().mid());
                line(sdp, "a=inactive");
                continue;
            }
            PayloadType pt = n.payloadType().orElseThrow();
            InetSocketAddress first = candidates.get(0);
            line(sdp, "m=" + n.kind().sdpName() + " " + first.getPort() + " UDP/TLS/RTP/SAVPF " + pt.pt());
            line(sdp, "c=IN " + (first.getAddress() instanceof java.net.Inet6Address ? "IP6 " : "IP4 ") + first.getAddress().getHostAddress());
            line(sdp, "a=mid:" + n.offered().mid());
            line(sdp, "a=ice-ufrag:" + iceUfrag);
            line(sdp, "a=ice-pwd:" + icePwd);
            line(sdp, "a=fingerprint:sha-256 " + fingerprint);
            line(sdp, "a=setup:passive");
            line(sdp, "a=rtcp-mux");
            line(sdp, "a=" + n.answerDirection().attribute());
            line(sdp, "a=rtpmap:" + pt.pt() + " " + n.codec().orElseThrow().rtpmap());
            if (!pt.fmtp().isEmpty()) {
                line(sdp, "a=fmtp:" + pt.pt() + " " + pt.fmtp());
            }
            for (String fb : n.feedback()) {
                line(sdp, "a=rtcp-fb:" + pt.pt() + " " + fb);
            }
            Outgoing out = outgoing.get(i);
            if (n.send() && out != null) {
                line(sdp, "a=msid:" + out.streamId() + " " + out.trackId());
                line(sdp, "a=ssrc:" + out.ssrc() + " cname:" + cname);
                line(sdp, "a=ssrc:" + out.ssrc() + " msid:" + out.streamId() + " " + out.trackId());
            }
            int foundation = 1;
            for (InetSocketAddress c : candidates) {
                // RFC 8839 5.1: host candidate, highest type preference; one component thanks to rtcp-mux.
                line(sdp, "a=candidate:" + foundation++ + " 1 udp 2130706431 " + c.getAddress().getHostAddress() + " "
                        + c.getPort() + " typ host generation 0");
            }
            line(sdp, "a=end-of-candidates");
        }
        return sdp.toString();
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append("\r\n");
    }
}
