package ablak.media.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtpTest {
    @Test
    void demultiplexesByFirstByteAndPayloadType() {
        assertThat(Rtp.classify(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 13)).isEqualTo(Rtp.Kind.DTLS);
        assertThat(Rtp.classify(rtp(96, 0), 0, 12)).isEqualTo(Rtp.Kind.RTP);
        assertThat(Rtp.classify(new byte[] {(byte) 0x81, (byte) 201, 0, 1, 0, 0, 0, 1}, 0, 8)).isEqualTo(Rtp.Kind.RTCP);
        assertThat(Rtp.classify(new byte[] {(byte) 0x80, 96, 0}, 0, 3)).isEqualTo(Rtp.Kind.GARBAGE);
        assertThat(Rtp.classify(new byte[] {7, 1, 2}, 0, 3)).isEqualTo(Rtp.Kind.GARBAGE);
        assertThat(Rtp.classify(new byte[0], 0, 0)).isEqualTo(Rtp.Kind.GARBAGE);
    }

    @Test
    void headerLengthCountsCsrcsAndExtensionAndRejectsTruncation() {
        byte[] p = new byte[40];
        p[0] = (byte) 0x92; // V=2, X=1, CC=2
        Rtp.writeUint16(p, 12 + 8 + 2, 2); // extension of 2 words
        assertThat(Rtp.headerLength(p, 0, 40)).isEqualTo(12 + 8 + 4 + 8);
        assertThat(Rtp.headerLength(p, 0, 25)).isEqualTo(-1);
    }

    @Test
    void payloadLengthExcludesPaddingAndRejectsImpossiblePadding() {
        byte[] p = rtp(96, 20);
        p[0] |= 0x20;
        p[p.length - 1] = 4;
        assertThat(Rtp.payloadLength(p, 0, p.length, 12)).isEqualTo(16);
        p[p.length - 1] = (byte) 200;
        assertThat(Rtp.payloadLength(p, 0, p.length, 12)).isEqualTo(-1);
    }

    @Test
    void sequenceDeltaWrapsAround() {
        assertThat(Rtp.sequenceDelta(65535, 0)).isEqualTo(1);
        assertThat(Rtp.sequenceDelta(0, 65535)).isEqualTo(-1);
    }

    static byte[] rtp(int pt, int payload) {
        byte[] p = new byte[12 + payload];
        p[0] = (byte) 0x80;
        p[1] = (byte) pt;
        return p;
    }
}
