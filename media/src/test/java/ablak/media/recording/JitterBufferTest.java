package ablak.media.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JitterBufferTest {

    private final List<String> released = new ArrayList<>();
    private final JitterBuffer buffer = new JitterBuffer(3, new JitterBuffer.Output() {
        @Override
        public void packet(RtpPacket packet) {
            released.add(String.valueOf(packet.sequenceNumber()));
        }

        @Override
        public void lost(long count) {
            released.add("lost " + count);
        }
    });

    @Test
    void releasesPacketsInSequenceOrderAcrossTheSixteenBitWrap() {
        offer(65534, 0, 65535, 1, 2, 3, 4, 5, 6);
        buffer.flush();

        assertThat(released).containsExactly("65534", "65535", "0", "1", "2", "3", "4", "5", "6");
    }

    @Test
    void declaresAPacketLostOnceTheWindowHasMovedPastIt() {
        offer(10, 11, 13, 14, 15);
        assertThat(released).as("12 may still come").containsExactly("10", "11");

        offer(16);

        assertThat(released).containsExactly("10", "11", "lost 1", "13", "14", "15", "16");
    }

    @Test
    void tellsALateDuplicateFromAPacketThatCameTooLate() {
        offer(10, 11, 13, 14, 15, 16);

        assertThat(buffer.offer(packet(11))).isEqualTo(JitterBuffer.Admission.DUPLICATE);
        assertThat(buffer.offer(packet(12))).isEqualTo(JitterBuffer.Admission.LATE);
        assertThat(buffer.offer(packet(15))).isEqualTo(JitterBuffer.Admission.DUPLICATE);
    }

    private void offer(int... sequenceNumbers) {
        for (int sequenceNumber : sequenceNumbers) {
            assertThat(buffer.offer(packet(sequenceNumber))).isEqualTo(JitterBuffer.Admission.ACCEPTED);
        }
    }

    private static RtpPacket packet(int sequenceNumber) {
        return new RtpPacket(96, false, sequenceNumber, 0, 1, new byte[] {1});
    }
}
