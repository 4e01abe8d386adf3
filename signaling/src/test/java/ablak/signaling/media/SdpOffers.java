package ablak.signaling.media;

/**
 * Offers as a WHIP client posts them, for tests that need the SFU to accept a participant but send no
 * media (the fingerprint names no real certificate, so no DTLS handshake completes).
 */
public final class SdpOffers {

  private static final String FINGERPRINT =
      "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

  private SdpOffers() {}

  /** One bundled Opus and one VP8 section, both {@code direction} ({@code sendonly} or {@code sendrecv}). */
  public static String audioVideo(String direction) {
    return String.join("\r\n",
        "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=ice-ufrag:AbCd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
        "a=fingerprint:sha-256 " + FINGERPRINT, "a=setup:actpass", "a=mid:0", "a=" + direction,
        "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "a=ssrc:1111 cname:x",
        "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=ice-ufrag:AbCd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
        "a=fingerprint:sha-256 " + FINGERPRINT, "a=setup:actpass", "a=mid:1", "a=" + direction,
        "a=rtcp-mux", "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 nack", "a=ssrc:2222 cname:x", "");
  }

  /** One sendonly VP8 section: enough for the SFU to hold a call whose recording has no tracks. */
  public static String videoOnly() {
    return String.join("\r\n",
        "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
        "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=ice-ufrag:AbCd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
        "a=fingerprint:sha-256 " + FINGERPRINT, "a=setup:actpass", "a=mid:0", "a=sendonly",
        "a=rtcp-mux", "a=rtpmap:96 VP8/90000", "a=ssrc:2222 cname:x", "");
  }
}
