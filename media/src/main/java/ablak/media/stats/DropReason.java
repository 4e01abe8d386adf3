package ablak.media.stats;

import java.util.Locale;

/** Why the packet path dropped a packet; one counter each. */
public enum DropReason {
    /** Not DTLS, RTP or RTCP, or too short to be one (RFC 7983). */
    GARBAGE,
    /** RTP whose header announces more than the packet holds. */
    MALFORMED,
    /** An SSRC the transport did not negotiate. */
    UNKNOWN_SSRC,
    /** SRTP or SRTCP that failed authentication or replay checks (RFC 3711 3.3). */
    SRTP_AUTH,
    /** SRTP that arrived before DTLS produced keys, beyond what is buffered. */
    EARLY_OVERFLOW,
    /** DTLS records arriving faster than the handshake reads them, or after it ended. */
    DTLS_OVERFLOW,
    /** The publisher is muted or its video is off. */
    MUTED,
    /** A new subscriber waits for a keyframe; deltas would only show garbage. */
    WAITING_FOR_KEYFRAME,
    /** The subscriber has no SRTP keys yet. */
    SUBSCRIBER_NOT_READY,
    /** The network refused the datagram. */
    SEND_FAILED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
