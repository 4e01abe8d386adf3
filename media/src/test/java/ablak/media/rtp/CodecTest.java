package ablak.media.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CodecTest {
    @Test
    void vp8KeyframeIsTheStartOfPartitionZeroWithThePBitClear() {
        assertThat(Codec.VP8.isKeyframeStart(new byte[] {0x10, 0x00}, 0, 2)).isTrue();
        assertThat(Codec.VP8.isKeyframeStart(new byte[] {0x10, 0x01}, 0, 2)).as("delta frame").isFalse();
        assertThat(Codec.VP8.isKeyframeStart(new byte[] {0x00, 0x00}, 0, 2)).as("not a frame start").isFalse();
    }

    @Test
    void vp8KeyframeIsFoundBehindTheExtendedDescriptor() {
        // X=1, S=1; extension with I (15-bit picture id), L and T/K bytes, then the VP8 header.
        byte[] p = {(byte) 0x90, (byte) 0xE0, (byte) 0x81, 0x23, 0x05, 0x20, 0x00};
        assertThat(Codec.VP8.isKeyframeStart(p, 0, p.length)).isTrue();
        p[6] = 0x01;
        assertThat(Codec.VP8.isKeyframeStart(p, 0, p.length)).isFalse();
        assertThat(Codec.VP8.isKeyframeStart(p, 0, 3)).as("truncated").isFalse();
    }

    @Test
    void vp8KeyframeSizeIsReadFromTheFrameHeader() {
        // Descriptor S=1, then frame tag (P=0), start code 9d 01 2a, width 640 and height 480 (14 bits, little-endian,
        // the top two bits are the scale and must be ignored).
        byte[] p = {0x10, 0x50, 0x2a, 0x01, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x42, (byte) 0xe0, 0x01};
        assertThat(Codec.vp8KeyframeSize(p, 0, p.length)).isEqualTo(640 << 16 | 480);
        assertThat(Codec.vp8KeyframeSize(p, 0, p.length - 1)).as("truncated").isEqualTo(-1);
        p[4] = 0x00;
        assertThat(Codec.vp8KeyframeSize(p, 0, p.length)).as("no start code").isEqualTo(-1);
        p[4] = (byte) 0x9d;
        p[1] = 0x51;
        assertThat(Codec.vp8KeyframeSize(p, 0, p.length)).as("a delta frame has no size").isEqualTo(-1);
    }

    @Test
    void h264KeyframeIsAnIdrOrSpsAloneInStapAOrStartingAFuA() {
        assertThat(Codec.H264.isKeyframeStart(new byte[] {0x65}, 0, 1)).isTrue();
        assertThat(Codec.H264.isKeyframeStart(new byte[] {0x41}, 0, 1)).isFalse();
        byte[] stapA = {0x18, 0, 2, 0x67, 0x42, 0, 1, 0x68};
        assertThat(Codec.H264.isKeyframeStart(stapA, 0, stapA.length)).isTrue();
        assertThat(Codec.H264.isKeyframeStart(new byte[] {0x7C, (byte) 0x85}, 0, 2)).isTrue();
        assertThat(Codec.H264.isKeyframeStart(new byte[] {0x7C, (byte) 0x05}, 0, 2)).as("FU-A continuation").isFalse();
    }

    @Test
    void everyOpusPacketCanStartPlayback() {
        assertThat(Codec.OPUS.isKeyframeStart(new byte[] {1}, 0, 1)).isTrue();
    }
}
