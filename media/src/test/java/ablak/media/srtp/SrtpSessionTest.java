package ablak.media.srtp;

import ablak.media.rtp.PacketBuffer;
import ablak.media.rtp.Rtcp;
import ablak.media.rtp.Rtp;
import org.jitsi.srtp.SrtpErrorStatus;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class SrtpSessionTest {
    private final SrtpKeys keys = keys();
    private final SrtpSession client = SrtpSession.forClient(keys);
    private final SrtpSession server = SrtpSession.forServer(keys);

    @Test
    void whatTheClientEncryptsTheServerDecryptsUnchanged() {
        PacketBuffer p = packet(1);
        byte[] plain = Arrays.copyOf(p.getBuffer(), p.getLength());
        assertThat(client.encryptRtp(p)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(p.getLength()).isEqualTo(plain.length + 10);
        assertThat(server.decryptRtp(p)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(Arrays.copyOf(p.getBuffer(), p.getLength())).isEqualTo(plain);
    }

    @Test
    void aTamperedPacketFailsAuthentication() {
        PacketBuffer p = packet(1);
        client.encryptRtp(p);
        p.getBuffer()[20] ^= 1;
        assertThat(server.decryptRtp(p)).isEqualTo(SrtpErrorStatus.AUTH_FAIL);
    }

    @Test
    void aReplayedPacketIsRefusedButTheServerMayResendForNack() {
        PacketBuffer p = packet(5);
        client.encryptRtp(p);
        PacketBuffer copy = PacketBuffer.copyOf(p.getBuffer(), 0, p.getLength());
        assertThat(server.decryptRtp(p)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(server.decryptRtp(copy)).isNotEqualTo(SrtpErrorStatus.OK);

        assertThat(server.encryptRtp(packet(9))).isEqualTo(SrtpErrorStatus.OK);
        assertThat(server.encryptRtp(packet(9))).as("send-side replay protection is off").isEqualTo(SrtpErrorStatus.OK);
    }

    @Test
    void srtcpRoundTrips() {
        PacketBuffer p = new PacketBuffer(64);
        p.setLength(Rtcp.writePli(p.getBuffer(), 0, 1, 2));
        assertThat(client.encryptRtcp(p)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(server.decryptRtcp(p)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(p.getLength()).isEqualTo(12);
    }

    private static PacketBuffer packet(int seq) {
        PacketBuffer p = new PacketBuffer(200);
        byte[] b = p.getBuffer();
        b[0] = (byte) 0x80;
        b[1] = 96;
        Rtp.setSequence(b, 0, seq);
        Rtp.setSsrc(b, 0, 1234);
        for (int i = 12; i < 112; i++) {
            b[i] = (byte) i;
        }
        p.setLength(112);
        return p;
    }

    private static SrtpKeys keys() {
        byte[] material = new byte[60];
        new SecureRandom().nextBytes(material);
        return SrtpKeys.fromKeyingMaterial(material);
    }
}
