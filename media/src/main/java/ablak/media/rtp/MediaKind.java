package ablak.media.rtp;

/** The two kinds of media line the SFU accepts (RFC 8866 5.14). */
public enum MediaKind {
    AUDIO, VIDEO;

    public String sdpName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
