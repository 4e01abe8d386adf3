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
 * @param videoWidth          picture size of its video's last keyframe (VP8); 0 when unknown (H.264, no video yet)
 * @param videoHeight         as {@code videoWidth}
 * @param framesIn            video frames received from it on its current transport (marker bits; not decoded)
 * @param frameRateIn         those frames per second over the last report interval
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
        int videoWidth,
        int videoHeight,
        long framesIn,
        double frameRateIn,
        Instant at) {
}
