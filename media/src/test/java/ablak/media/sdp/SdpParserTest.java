package ablak.media.sdp;

import ablak.media.rtp.Codec;
import ablak.media.rtp.MediaKind;
import ablak.media.sdp.SdpException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdpParserTest {
    static final String FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    /** Shaped like Chromium's offer: BUNDLE, rtcp-mux, RTX, many codecs, a data channel. */
    static final String OFFER = String.join("\r\n",
            "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "a=group:BUNDLE 0 1 2", "a=msid-semantic: WMS stream",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:AbCd", "a=ice-pwd:abcdefghijklmnopqrstuvwx", "a=ice-options:trickle",
            "a=fingerprint:sha-256 " + FP, "a=setup:actpass", "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", "a=sendrecv", "a=msid:stream audio",
            "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "a=rtcp-fb:111 transport-cc", "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:63 red/48000/2", "a=rtpmap:9 G722/8000", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
            "a=ssrc:1111 cname:x", "a=ssrc:1111 msid:stream audio",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103", "c=IN IP4 0.0.0.0", "a=ice-ufrag:AbCd",
            "a=ice-pwd:abcdefghijklmnopqrstuvwx", "a=fingerprint:sha-256 " + FP, "a=setup:actpass", "a=mid:1",
            "a=sendrecv", "a=rtcp-mux", "a=rtcp-rsize", "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 goog-remb",
            "a=rtcp-fb:96 transport-cc", "a=rtcp-fb:96 ccm fir", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli",
            "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
            "a=rtpmap:102 H264/90000", "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "a=rtpmap:103 rtx/90000", "a=fmtp:103 apt=102",
            "a=ssrc-group:FID 2222 3333", "a=ssrc:2222 cname:x", "a=ssrc:3333 cname:x",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=mid:2", "a=sctp-port:5000", "");

    @Test
    void readsAChromiumOffer() throws SdpException {
        SdpOffer offer = SdpParser.parse(OFFER, 32 * 1024);
        assertThat(offer.iceUfrag()).isEqualTo("AbCd");
        assertThat(offer.fingerprint()).isEqualTo(FP);
        assertThat(offer.media()).hasSize(3);
        assertThat(offer.media().get(1).kind()).contains(MediaKind.VIDEO);
        assertThat(offer.media().get(1).ssrcs()).as("RTX SSRC of the FID group is not a track").containsExactly(2222L);
        assertThat(offer.media().get(2).kind()).isEmpty();
    }

    @Test
    void negotiationKeepsOpusAndVp8WithTheirFeedbackAndRejectsTheDataChannel() throws SdpException {
        SdpOffer offer = SdpParser.parse(OFFER, 32 * 1024);
        List<Negotiated> n = offer.media().stream().map(m -> Negotiated.of(m, true)).toList();
        assertThat(n.get(0).codec()).contains(Codec.OPUS);
        assertThat(n.get(1).codec()).contains(Codec.VP8);
        assertThat(n.get(1).feedback()).containsExactly("goog-remb", "ccm fir", "nack", "nack pli");
        assertThat(n.get(1).answerDirection()).isEqualTo(Direction.SENDRECV);
        assertThat(n.get(2).accepted()).isFalse();
    }

    @Test
    void aListenOnlyParticipantIsOnlySentTo() throws SdpException {
        SdpOffer offer = SdpParser.parse(OFFER, 32 * 1024);
        assertThat(Negotiated.of(offer.media().get(1), false).answerDirection()).isEqualTo(Direction.SENDONLY);
    }

    @Test
    void h264IsChosenWhenVp8IsNotOffered() throws SdpException {
        SdpOffer offer = SdpParser.parse(OFFER.replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP9/90000"), 32 * 1024);
        Negotiated video = Negotiated.of(offer.media().get(1), true);
        assertThat(video.codec()).contains(Codec.H264);
        assertThat(video.payloadType().orElseThrow().pt()).isEqualTo(102);
    }

    @Test
    void theAnswerIsPassiveBundledAndAnnouncesOurSsrcs() throws SdpException {
        SdpOffer offer = SdpParser.parse(OFFER, 32 * 1024);
        List<Negotiated> n = offer.media().stream().map(m -> Negotiated.of(m, true)).toList();
        java.util.ArrayList<SdpAnswer.Outgoing> out = new java.util.ArrayList<>();
        out.add(new SdpAnswer.Outgoing(77, "s0", "s0-audio"));
        out.add(new SdpAnswer.Outgoing(78, "s0", "s0-video"));
        out.add(null);
        String answer = SdpAnswer.write(n, out, "uf", "pw", FP, List.of(new InetSocketAddress("127.0.0.1", 10000)), "c");
        assertThat(answer).contains("a=group:BUNDLE 0 1\r\n", "a=setup:passive", "a=fingerprint:sha-256 " + FP,
                "a=ssrc:78 cname:c", "a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host", "m=application 0 ",
                "a=rtpmap:111 opus/48000/2", "a=rtpmap:96 VP8/90000");
        assertThat(answer).doesNotContain("rtx", "H264", "transport-cc", "extmap");
    }

    static Stream<Arguments> hostileOffers() {
        return Stream.of(
                Arguments.of("", Reason.MALFORMED),
                Arguments.of("hello", Reason.MALFORMED),
                Arguments.of("v=0\r\n" + "a=x\r\n".repeat(10_000), Reason.TOO_LARGE),
                Arguments.of(OFFER.replace("a=ice-pwd:abcdefghijklmnopqrstuvwx", "a=ice-pwd:short"), Reason.MISSING_ICE_CREDENTIALS),
                Arguments.of(OFFER.replace("a=fingerprint:sha-256 " + FP, "a=fingerprint:sha-1 AB:CD"), Reason.MISSING_FINGERPRINT),
                Arguments.of(OFFER.replace("a=setup:actpass", "a=setup:passive"), Reason.UNSUPPORTED_SETUP),
                Arguments.of(OFFER.replace("a=group:BUNDLE 0 1 2", "a=group:BUNDLE 0"), Reason.NOT_BUNDLED),
                Arguments.of(OFFER.replace("a=rtcp-mux\r\n", ""), Reason.NO_RTCP_MUX),
                Arguments.of(OFFER.replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 opus/x/2"), Reason.MALFORMED),
                Arguments.of(OFFER.replace("a=ssrc:1111 cname:x", "a=ssrc:99999999999 cname:x"), Reason.MALFORMED),
                Arguments.of(OFFER.replace("a=mid:1", "a=mid:0"), Reason.MALFORMED),
                Arguments.of(OFFER.replace("a=mid:0", "a=mid:0\u0000"), Reason.MALFORMED),
                Arguments.of("v=0\r\n" + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:1\r\n".repeat(17), Reason.TOO_MANY_MEDIA),
                Arguments.of("v=0\r\ns=-\r\n", Reason.NO_ACCEPTABLE_MEDIA));
    }

    @ParameterizedTest
    @MethodSource("hostileOffers")
    void aHostileOrBrokenOfferIsRefusedWithItsReason(String sdp, Reason reason) {
        assertThatThrownBy(() -> SdpParser.parse(sdp, 32 * 1024))
                .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
