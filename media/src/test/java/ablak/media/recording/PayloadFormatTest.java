package ablak.media.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The payload descriptors and aggregation packets that ffmpeg's RTP muxer does not send but Chromium does. */
class PayloadFormatTest {

    private final Vp8PayloadFormat vp8 = new Vp8PayloadFormat();
    private final H264PayloadFormat h264 = new H264PayloadFormat();

    @Test
    void stripsEveryVp8DescriptorExtensionChromiumSends() {
        // X S | I L T | M + 15-bit PictureID | TL0PICIDX | TID/Y/KEYIDX | frame data
        byte[] payload = {(byte) 0x90, (byte) 0xE0, (byte) 0x80 | 0x12, 0x34, 0x07, 0x20, 0x11, 0x22};

        assertThat(vp8.startsFrame(payload)).isTrue();
        assertThat(frameData(vp8, payload)).containsExactly(0x11, 0x22);
    }

    @Test
    void readsASevenBitPictureIdAndTheShortestDescriptor() {
        assertThat(frameData(vp8, new byte[] {(byte) 0x90, (byte) 0x80, 0x05, 0x33})).containsExactly(0x33);
        assertThat(frameData(vp8, new byte[] {0x10, 0x44})).containsExactly(0x44);
    }

    @Test
    void aVp8PacketContinuingAPartitionDoesNotStartAFrame() {
        assertThat(vp8.startsFrame(new byte[] {0x00, 0x44})).as("S=0").isFalse();
        assertThat(vp8.startsFrame(new byte[] {0x11, 0x44})).as("S=1 but partition 1").isFalse();
    }

    @Test
    void rejectsVp8DescriptorsThatRunPastThePayload() {
        assertThatThrownBy(() -> vp8.startsFrame(new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x80}))
                .isInstanceOf(MalformedRtpException.class);
        assertThatThrownBy(() -> frameData(vp8, new byte[] {(byte) 0x90})).isInstanceOf(MalformedRtpException.class);
    }

    @Test
    void unpacksAnH264StapAIntoAnnexBNalUnits() {
        // STAP-A (type 24) carrying a 3-byte SPS (type 7) and a 2-byte PPS (type 8), RFC 6184 5.7.1.
        byte[] stapA = {0x18, 0x00, 0x03, 0x67, 0x42, 0x00, 0x00, 0x02, 0x68, (byte) 0xCE};

        assertThat(frameData(h264, stapA)).containsExactly(0, 0, 0, 1, 0x67, 0x42, 0x00, 0, 0, 0, 1, 0x68, 0xCE);
    }

    @Test
    void rebuildsAnH264NalUnitFromItsFuAFragments() {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        // FU indicator: NRI 3, type 28; FU header: start, IDR slice (type 5), then middle, then end.
        byte[] first = {0x7C, (byte) 0x85, 0x01, 0x02};
        byte[] last = {0x7C, 0x45, 0x03};

        assertThat(h264.startsFrame(first)).isTrue();
        assertThat(h264.startsFrame(last)).isFalse();
        h264.appendFrameData(first, frame);
        h264.appendFrameData(last, frame);

        assertThat(toInts(frame.toByteArray())).containsExactly(0, 0, 0, 1, 0x65, 0x01, 0x02, 0x03);
        assertThat(h264.isKeyframe(frame.toByteArray())).isTrue();
    }

    @Test
    void rejectsH264PacketsThatAreTruncatedOrNotAllowedInNonInterleavedMode() {
        assertThatThrownBy(() -> frameData(h264, new byte[] {0x18, 0x00, 0x09, 0x67}))
                .isInstanceOf(MalformedRtpException.class);
        assertThatThrownBy(() -> frameData(h264, new byte[] {0x19, 0x00})).as("STAP-B")
                .isInstanceOf(MalformedRtpException.class);
        assertThatThrownBy(() -> h264.startsFrame(new byte[] {0x7C})).isInstanceOf(MalformedRtpException.class);
    }

    private static int[] frameData(VideoPayloadFormat format, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        format.appendFrameData(payload, frame);
        return toInts(frame.toByteArray());
    }

    private static int[] toInts(byte[] bytes) {
        int[] ints = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ints[i] = bytes[i] & 0xFF;
        }
        return ints;
    }
}
