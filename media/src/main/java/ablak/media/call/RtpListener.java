package ablak.media.call;

/**
 * Receives every decrypted RTP packet of a call's published tracks, after mute and video-off are applied:
 * the hook recording is built on. Called on the media receive thread with a packet that is only valid
 * during the call: copy what you keep and return quickly (hand the copy to your own thread).
 */
public interface RtpListener {
    /**
     * @param track   the published track: participant, kind, codec, clock rate, payload type, SSRC
     * @param packet  a decrypted RTP packet (RFC 3550 5.1) starting at {@code offset}
     */
    void onRtp(Track track, byte[] packet, int offset, int length);

    /** The track will carry no more packets: its participant left or reconnected with a new transport. */
    default void onTrackEnded(Track track) {
    }

    /** The call was closed: every participant has left and no packet will follow. */
    default void onCallClosed(Call call) {
    }
}
