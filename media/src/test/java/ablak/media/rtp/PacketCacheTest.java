package ablak.media.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PacketCacheTest {
    @Test
    void returnsAKeptPacketAndForgetsItOnceItsSlotIsReused() {
        PacketCache cache = new PacketCache(16);
        cache.put(packet(100, (byte) 7), 0, 20);
        PacketBuffer out = new PacketBuffer(64);

        assertThat(cache.get(100, out)).isTrue();
        assertThat(out.getLength()).isEqualTo(20);
        assertThat(out.getBuffer()[19]).isEqualTo((byte) 7);

        cache.put(packet(116, (byte) 8), 0, 20);
        assertThat(cache.get(100, out)).isFalse();
        assertThat(cache.get(116, out)).isTrue();
        assertThat(cache.get(101, out)).isFalse();
    }

    private static byte[] packet(int seq, byte last) {
        byte[] p = new byte[20];
        p[0] = (byte) 0x80;
        Rtp.setSequence(p, 0, seq);
        p[19] = last;
        return p;
    }
}
