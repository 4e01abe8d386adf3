package ablak.media.call;

import ablak.media.rtp.Codec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrackTest {
    private static final long INTERVAL = 1_000_000_000L;
    private final Track video = new Track(null, null, "1", Codec.VP8, 96, 0x1234L, 16);

    @Test
    void aVideoStreamThatStartedWithoutAKeyframeAsksForOneUntilItGetsIt() {
        assertThat(video.pendingRequestDue(0, INTERVAL)).as("nothing received yet").isFalse();

        video.onVideoPacket(frameEnd(), 0, 12, 4, false);
        assertThat(video.pendingRequestDue(0, INTERVAL)).as("a delta frame, no keyframe ever").isTrue();
        assertThat(video.tryStartKeyframeRequest(0, INTERVAL)).isTrue();
        assertThat(video.pendingRequestDue(INTERVAL / 2, INTERVAL)).as("rate-limited").isFalse();
        assertThat(video.pendingRequestDue(INTERVAL, INTERVAL)).as("still no keyframe: ask again").isTrue();

        video.onVideoPacket(frameEnd(), 0, 12, 4, true);
        assertThat(video.pendingRequestDue(3 * INTERVAL, INTERVAL)).as("the keyframe arrived").isFalse();
    }

    @Test
    void audioNeverAsksForKeyframes() {
        Track audio = new Track(null, null, "0", Codec.OPUS, 111, 0x5678L, 0);
        audio.onVideoPacket(frameEnd(), 0, 12, 4, false);
        assertThat(audio.pendingRequestDue(0, INTERVAL)).isFalse();
    }

    /** An RTP header with the marker bit set, followed by four payload bytes. */
    private static byte[] frameEnd() {
        byte[] packet = new byte[16];
        packet[0] = (byte) 0x80;
        packet[1] = (byte) 0x80 | 96;
        return packet;
    }
}
