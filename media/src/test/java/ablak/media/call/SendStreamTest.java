package ablak.media.call;

import ablak.media.rtp.Codec;
import ablak.media.rtp.PacketBuffer;
import ablak.media.rtp.Rtp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SendStreamTest {
    private final SendStream stream = new SendStream(null, "1", 0, Codec.VP8, 100, 0xABCDL);

    @Test
    void aNewSubscriberGetsNoVideoBeforeAKeyframe() {
        stream.bind(null);
        assertThat(stream.rewrite(packet(10, 1000), false, 0)).isFalse();
        assertThat(stream.rewrite(packet(11, 1000), true, 0)).isTrue();
        assertThat(stream.rewrite(packet(12, 4000), false, 0)).as("deltas after the keyframe").isTrue();
    }

    @Test
    void aSubscriberBoundToVideoWaitsForAKeyframeUntilOneIsForwarded() {
        stream.bind(null);
        assertThat(stream.waitingForKeyframe()).as("nothing bound, nothing to wait for").isFalse();

        stream.bind(new Track(null, null, "1", Codec.VP8, 96, 0x1234L, 16));
        assertThat(stream.waitingForKeyframe()).as("the SFU keeps asking the publisher while this holds").isTrue();
        stream.rewrite(packet(10, 1000), false, 0);
        assertThat(stream.waitingForKeyframe()).isTrue();

        stream.rewrite(packet(11, 1000), true, 0);
        assertThat(stream.waitingForKeyframe()).isFalse();
    }

    @Test
    void rewritesSsrcAndPayloadTypeAndKeepsNumbersContinuousAcrossASourceChange() {
        stream.bind(null);
        PacketBuffer a = packet(500, 90_000);
        stream.rewrite(a, true, 0);
        PacketBuffer b = packet(501, 93_000);
        stream.rewrite(b, false, 33_000_000);
        assertThat(Rtp.ssrc(b.getBuffer(), 0)).isEqualTo(0xABCDL);
        assertThat(Rtp.payloadType(b.getBuffer(), 0)).isEqualTo(100);
        int lastSeq = Rtp.sequence(b.getBuffer(), 0);
        long lastTs = Rtp.timestamp(b.getBuffer(), 0);

        stream.bind(null);
        PacketBuffer c = packet(7, 5);
        stream.rewrite(c, true, 66_000_000);
        assertThat(Rtp.sequence(c.getBuffer(), 0)).isEqualTo((lastSeq + 1) & 0xFFFF);
        assertThat((Rtp.timestamp(c.getBuffer(), 0) - lastTs) & 0xFFFFFFFFL).as("33 ms at 90 kHz").isEqualTo(2970);
    }

    @Test
    void mapsASubscribersNackBackToTheSourceSequence() {
        stream.bind(null);
        PacketBuffer a = packet(1234, 0);
        stream.rewrite(a, true, 0);
        int seen = Rtp.sequence(a.getBuffer(), 0);
        assertThat(stream.sourceSequence(seen)).isEqualTo(1234);
        assertThat(stream.sourceSequence((seen + 5) & 0xFFFF)).isEqualTo(1239);
    }

    private static PacketBuffer packet(int seq, long ts) {
        PacketBuffer p = new PacketBuffer(100);
        byte[] b = p.getBuffer();
        b[0] = (byte) 0x80;
        b[1] = 96;
        Rtp.setSequence(b, 0, seq);
        Rtp.setTimestamp(b, 0, ts);
        Rtp.setSsrc(b, 0, 1);
        p.setLength(50);
        return p;
    }
}
