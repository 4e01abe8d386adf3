package ablak.media.recording;

/** A packet handed to the recorder that cannot be read as RTP of its track's codec; it is dropped and counted. */
public final class MalformedRtpException extends IllegalArgumentException {
    public MalformedRtpException(String message) {
        super(message);
    }
}
