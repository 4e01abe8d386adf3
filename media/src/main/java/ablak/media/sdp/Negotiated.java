package ablak.media.sdp;

import ablak.media.rtp.Codec;
import ablak.media.rtp.MediaKind;
import ablak.media.sdp.SdpOffer.Media;
import ablak.media.sdp.SdpOffer.PayloadType;

import java.util.List;
import java.util.Optional;

/**
 * The outcome for one m-section: rejected, or accepted with exactly one codec and the directions the SFU
 * will actually use.
 *
 * @param offered      the client's m-section
 * @param codec        the one codec kept; empty means the section is rejected (port 0, RFC 8829 5.3.1)
 * @param payloadType  the client's payload type for that codec: kept in both directions
 * @param feedback     the rtcp-fb values accepted (RFC 4585 4.2)
 * @param receive      the SFU receives the client's track on this section
 * @param send         the SFU sends another participant's track on this section
 */
public record Negotiated(Media offered, Optional<Codec> codec, Optional<PayloadType> payloadType,
                         List<String> feedback, boolean receive, boolean send) {

    public boolean accepted() {
        return codec.isPresent();
    }

    public MediaKind kind() {
        return offered.kind().orElseThrow();
    }

    /** Direction written in the answer, from the SFU's point of view. */
    public Direction answerDirection() {
        return Direction.of(send, receive);
    }

    private static final List<String> VIDEO_FEEDBACK = List.of("nack", "nack pli", "ccm fir", "goog-remb");

    /**
     * Keeps what the SFU forwards: Opus for audio; VP8, else H.264 with packetization-mode=1 (RFC 6184 6.2),
     * preferring constrained baseline, for video. No RTX, FEC or header extensions: retransmissions go on
     * the original SSRC, so nothing the SFU rewrites is left unrewritten.
     *
     * @param publishes whether the SFU takes this participant's media at all (false answers their sections sendonly)
     */
    public static Negotiated of(Media media, boolean publishes) {
        if (media.kind().isEmpty()) {
            return rejected(media);
        }
        Optional<PayloadType> chosen = media.kind().get() == MediaKind.AUDIO
                ? first(media, Codec.OPUS, "")
                : first(media, Codec.VP8, "").or(() -> first(media, Codec.H264, "profile-level-id=42e01f"))
                        .or(() -> first(media, Codec.H264, ""));
        if (chosen.isEmpty()) {
            return rejected(media);
        }
        PayloadType pt = chosen.get();
        Codec codec = Codec.bySdpName(pt.encoding(), pt.clockRate()).orElseThrow();
        List<String> feedback = codec.kind() == MediaKind.VIDEO
                ? pt.rtcpFeedback().stream().filter(VIDEO_FEEDBACK::contains).toList()
                : List.of();
        boolean receive = publishes && media.direction().sends();
        boolean send = media.direction().receives();
        return new Negotiated(media, Optional.of(codec), chosen, feedback, receive, send);
    }

    private static Negotiated rejected(Media media) {
        return new Negotiated(media, Optional.empty(), Optional.empty(), List.of(), false, false);
    }

    private static Optional<PayloadType> first(Media media, Codec codec, String fmtpHint) {
        return media.payloadTypes().stream()
                .filter(pt -> pt.encoding().equalsIgnoreCase(codec.sdpName()) && pt.clockRate() == codec.clockRate())
                .filter(pt -> codec != Codec.H264 || pt.fmtp().contains("packetization-mode=1"))
                .filter(pt -> fmtpHint.isEmpty() || pt.fmtp().toLowerCase(java.util.Locale.ROOT).contains(fmtpHint))
                .findFirst();
    }
}
