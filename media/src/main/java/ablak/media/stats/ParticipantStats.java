package ablak.media.stats;

import java.time.Instant;

/**
 * A participant's media quality at one moment, for the clerk's connection-quality indicator and the
 * wallboard. "In" is what the participant sends to the SFU, "out" what the SFU sends to it.
 *
 * @param connected           ICE and DTLS are up on its current transport
 * @param packetsLost         cumulative, over its published streams (RFC 3550 A.3)
 * @param jitterMillis        the largest interarrival jitter of its published streams (RFC 3550 A.8)
 * @param rttMillis           round trip from its receiver reports about our sender reports; -1 if not known yet
 * @param keyframesRequested  PLIs the SFU sent it because subscribers needed a keyframe
 */
public record ParticipantStats(
        String callId,
        String participantId,
        String role,
        boolean connected,
        long packetsIn,
        long bytesIn,
        long packetsLost,
        double jitterMillis,
        long bitrateInBps,
        long packetsOut,
        long bytesOut,
        long bitrateOutBps,
        double rttMillis,
        long keyframesRequested,
        long nacksReceived,
        long retransmissions,
        long srtpFailures,
        Instant at) {
}
