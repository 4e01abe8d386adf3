package ablak.media.sdp;

import ablak.media.rtp.MediaKind;

import java.util.List;
import java.util.Optional;

/**
 * What the SFU needs from a client's offer, checked. Produced only by {@link SdpParser}.
 *
 * @param iceUfrag     RFC 8839 5.4
 * @param icePwd       RFC 8839 5.4
 * @param fingerprint  SHA-256 of the client's DTLS certificate (RFC 8122 5)
 * @param media        the m-sections in offer order
 */
public record SdpOffer(String iceUfrag, String icePwd, String fingerprint, List<Media> media) {

    /** One offered payload type and what was said about it. */
    public record PayloadType(int pt, String encoding, int clockRate, int channels, String fmtp, List<String> rtcpFeedback) {
        public PayloadType {
            rtcpFeedback = List.copyOf(rtcpFeedback);
        }
    }

    /**
     * One m-section.
     *
     * @param kind        audio or video; empty for kinds the SFU does not carry (they are rejected in the answer)
     * @param mediaType   the m= type as written, e.g. {@code application}
     * @param protocol    the m= proto field
     * @param formats     the m= format list as written (for rejecting the section faithfully)
     * @param ssrcs       the client's SSRCs for this section (RFC 5576), first the primary
     */
    public record Media(int index, String mid, Optional<MediaKind> kind, String mediaType, String protocol,
                       String formats, Direction direction, List<PayloadType> payloadTypes, List<Long> ssrcs) {
        public Media {
            payloadTypes = List.copyOf(payloadTypes);
            ssrcs = List.copyOf(ssrcs);
        }
    }
}
