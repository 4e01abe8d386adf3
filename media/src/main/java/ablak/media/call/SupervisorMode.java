package ablak.media.call;

import ablak.media.rtp.MediaKind;

/**
 * How a supervisor takes part in a call (contact-centre monitoring: silent monitor, coach, barge-in). The
 * supervisor's transport publishes in every mode, so a change of mode changes only which send streams carry
 * their tracks: no new offer is needed.
 */
public enum SupervisorMode {
    /** Hears and sees everyone; nobody receives them, and nobody's slot carries them. */
    LISTEN,
    /** Their audio reaches the clerk (and other supervisors) only; the citizen receives nothing of it. */
    WHISPER,
    /** A normal participant: everyone hears and sees them, and the recording takes their tracks. */
    BARGE;

    /** Whether a track of {@code kind} of a supervisor in this mode is forwarded to {@code subscriber}. */
    boolean reaches(Participant subscriber, MediaKind kind) {
        return switch (this) {
            case LISTEN -> false;
            // Coaching is audio; other supervisors hear it so that a second listener follows the whole call.
            case WHISPER -> kind == MediaKind.AUDIO
                    && (subscriber.role() == Role.CLERK || subscriber.role() == Role.SUPERVISOR);
            case BARGE -> true;
        };
    }
}
