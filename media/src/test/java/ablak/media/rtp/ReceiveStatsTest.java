package ablak.media.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiveStatsTest {
    @Test
    void countsLossAcrossTheSequenceWrap() {
        ReceiveStats stats = new ReceiveStats(90_000);
        int[] arrived = {65530, 65531, 65533, 65535, 0, 1, 4};
        long t = 0;
        for (int seq : arrived) {
            stats.onPacket(seq, seq * 3000L, 1000, t += 33_000_000);
        }
        assertThat(stats.expected()).isEqualTo(11);
        assertThat(stats.lost()).isEqualTo(4);
        assertThat(stats.received()).isEqualTo(7);
    }

    @Test
    void reportBlockCarriesFractionLostAndHighestSequence() {
        ReceiveStats stats = new ReceiveStats(48_000);
        for (int seq = 0; seq < 10; seq += 2) {
            stats.onPacket(seq, seq * 960L, 100, seq * 20_000_000L);
        }
        byte[] block = new byte[24];
        stats.writeReportBlock(block, 0, 42, 0);
        assertThat(Rtp.readUint32(block, 0)).isEqualTo(42);
        assertThat(block[4] & 0xFF).as("fraction lost, 4 of 9, in 1/256").isEqualTo(4 * 256 / 9);
        assertThat(Rtp.readUint32(block, 8)).isEqualTo(8);
    }
}
