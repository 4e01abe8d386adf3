package ablak.media.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtcpTest {
    @Test
    void rembEncodesTheBitrateAsMantissaAndExponent() {
        byte[] b = new byte[64];
        int len = Rtcp.writeRemb(b, 0, 1, 2_500_000, new long[] {7, 8});
        assertThat(len).isEqualTo(28);
        assertThat(Rtp.readUint16(b, 2)).isEqualTo(len / 4 - 1);
        int exponent = (b[17] & 0xFF) >>> 2;
        long mantissa = ((b[17] & 0x03L) << 16) | ((b[18] & 0xFFL) << 8) | (b[19] & 0xFFL);
        assertThat(mantissa << exponent).isBetween(2_490_000L, 2_500_000L);
        assertThat(Rtp.readUint32(b, 24)).isEqualTo(8);
    }

    @Test
    void pliNamesSenderAndMediaSource() {
        byte[] b = new byte[12];
        Rtcp.writePli(b, 0, 11, 22);
        assertThat(b[1] & 0xFF).isEqualTo(Rtcp.PSFB);
        assertThat(b[0] & 0x1F).isEqualTo(Rtcp.FMT_PLI);
        assertThat(Rtp.readUint32(b, 8)).isEqualTo(22);
    }

    @Test
    void sdesIsPaddedToAWordBoundary() {
        byte[] b = new byte[64];
        int len = Rtcp.writeSdesCname(b, 0, 5, "abc");
        assertThat(len % 4).isZero();
        assertThat((Rtp.readUint16(b, 2) + 1) * 4).isEqualTo(len);
    }
}
