package ablak.media.recording;

/** Why the recorder discarded packets instead of writing them; each reason has its own counter. */
public enum DropReason {
    /** Not readable as RTP, or its payload breaks the codec's payload format. */
    MALFORMED,
    /** An SSRC or payload type that is not the track's. */
    FOREIGN,
    /** A sequence number already received. */
    DUPLICATE,
    /** Arrived after its place in the sequence had been given up as lost. */
    LATE,
    /** The recording's writer queue was full: the disk is not keeping up. */
    QUEUE_FULL,
    /** Part of a video frame that lost a packet; a damaged frame is never written. */
    INCOMPLETE_FRAME,
    /** A video frame that depends on frames not written; dropped until the next keyframe. */
    AWAITING_KEYFRAME,
    /** A video frame larger than the configured limit. */
    OVERSIZED_FRAME,
    /** Could not be written because the track's file failed (for example a full disk). */
    WRITE_FAILED
}
