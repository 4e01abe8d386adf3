package ablak.media.sdp;

/** An offer the SFU will not answer, and why. Nothing was created when this is thrown. */
public final class SdpException extends Exception {
    /** What was wrong with the offer; stable names a client or the signaling server can map to a response. */
    public enum Reason {
        TOO_LARGE, MALFORMED, MISSING_ICE_CREDENTIALS, MISSING_FINGERPRINT, UNSUPPORTED_SETUP,
        NOT_BUNDLED, NO_RTCP_MUX, TOO_MANY_MEDIA, NO_ACCEPTABLE_MEDIA
    }

    private final Reason reason;

    public SdpException(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
