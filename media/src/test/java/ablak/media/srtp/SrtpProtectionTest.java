package ablak.media.srtp;

import ablak.media.rtp.PacketBuffer;
import ablak.media.rtp.Rtcp;
import ablak.media.rtp.Rtp;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.SecureRandom;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Both profiles: index and rollover counter across the sequence wrap, replay protection, bad input, interop. */
class SrtpProtectionTest {
    private static final long SSRC = 0xCAFEBABEL;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void theRolloverCounterAdvancesAcrossTheSequenceWrapAndLatePacketsFromBeforeItStillDecrypt(SrtpProfile profile) {
        SrtpKeys keys = keys(profile);
        SrtpSession sender = SrtpSession.forClient(keys);
        SrtpSession receiver = SrtpSession.forServer(keys);
        PacketBuffer late = null;
        for (int i = 65_530; i < 65_546; i++) {
            int seq = i & 0xFFFF;
            PacketBuffer p = packet(seq, 300);
            byte[] plain = content(p);
            assertThat(sender.encryptRtp(p)).isEqualTo(SrtpErrorStatus.OK);
            if (seq == 65_535) {
                late = p; // delivered after the wrap: ROC 0 must still be guessed for it
                continue;
            }
            assertThat(receiver.decryptRtp(p)).as("seq %d", seq).isEqualTo(SrtpErrorStatus.OK);
            assertThat(content(p)).isEqualTo(plain);
        }
        assertThat(receiver.decryptRtp(late)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(Rtp.sequence(late.getBuffer(), 0)).isEqualTo(65_535);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedAndTooOldPacketsAreRefusedOutOfOrderOnesInTheWindowAccepted(SrtpProfile profile) {
        SrtpKeys keys = keys(profile);
        SrtpSession sender = SrtpSession.forClient(keys);
        SrtpSession receiver = SrtpSession.forServer(keys);
        PacketBuffer[] sent = new PacketBuffer[100];
        for (int seq = 0; seq < 100; seq++) {
            sent[seq] = packet(seq, 100);
            sender.encryptRtp(sent[seq]);
        }
        PacketBuffer tooOld = copy(sent[10]);
        PacketBuffer reordered = copy(sent[50]);
        for (int seq = 0; seq < 100; seq++) {
            if (seq != 10 && seq != 50) {
                PacketBuffer again = copy(sent[seq]);
                assertThat(receiver.decryptRtp(sent[seq])).isEqualTo(SrtpErrorStatus.OK);
                assertThat(receiver.decryptRtp(again)).as("replay of %d", seq).isEqualTo(SrtpErrorStatus.REPLAY_FAIL);
            }
        }
        assertThat(receiver.decryptRtp(tooOld)).isEqualTo(SrtpErrorStatus.REPLAY_OLD);
        assertThat(receiver.decryptRtp(reordered)).as("49 behind, inside the 64-packet window").isEqualTo(SrtpErrorStatus.OK);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void badPacketsAreRefusedAndChangeNothing(SrtpProfile profile) {
        SrtpKeys keys = keys(profile);
        SrtpSession sender = SrtpSession.forClient(keys);
        SrtpSession receiver = SrtpSession.forServer(keys);
        PacketBuffer first = packet(1, 100);
        sender.encryptRtp(first);
        assertThat(receiver.decryptRtp(first)).isEqualTo(SrtpErrorStatus.OK);

        // A forged packet far ahead must not move the rollover counter or the replay window.
        PacketBuffer forged = packet(30_000, 100);
        sender.encryptRtp(forged);
        forged.getBuffer()[30] ^= 1;
        assertThat(receiver.decryptRtp(forged)).isEqualTo(SrtpErrorStatus.AUTH_FAIL);
        PacketBuffer truncated = packet(2, 100);
        sender.encryptRtp(truncated);
        PacketBuffer genuine = copy(truncated);
        truncated.setLength(Rtp.MIN_RTP + profile.tagLength() - 1);
        assertThat(receiver.decryptRtp(truncated)).isNotEqualTo(SrtpErrorStatus.OK);
        PacketBuffer badHeader = copy(genuine);
        badHeader.getBuffer()[0] = (byte) 0x8F; // 15 CSRCs: longer than the packet
        badHeader.setLength(40);
        assertThat(receiver.decryptRtp(badHeader)).isNotEqualTo(SrtpErrorStatus.OK);

        assertThat(receiver.decryptRtp(genuine)).isEqualTo(SrtpErrorStatus.OK);
        PacketBuffer next = packet(3, 100);
        sender.encryptRtp(next);
        assertThat(receiver.decryptRtp(next)).isEqualTo(SrtpErrorStatus.OK);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtcpUsesTheSameProfile(SrtpProfile profile) {
        SrtpKeys keys = keys(profile);
        PacketBuffer p = new PacketBuffer(64);
        p.setLength(Rtcp.writePli(p.getBuffer(), 0, 1, 2));
        byte[] plain = content(p);
        assertThat(SrtpSession.forClient(keys).encryptRtcp(p)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(p.getLength()).isEqualTo(plain.length + profile.tagLength() + 4);
        assertThat(SrtpSession.forServer(keys).decryptRtcp(p)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(content(p)).isEqualTo(plain);
    }

    /** jitsi-srtp (what the SFU used before, and what interoperates with Chromium in its own tests) both ways. */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void interoperatesWithJitsiSrtpBothWaysAcrossTheWrap(SrtpProfile profile) throws Exception {
        SrtpKeys keys = keys(profile);
        SrtpSession ours = SrtpSession.forServer(keys);
        SrtpCryptoContext theirSender = jitsi(profile, true, keys.clientKey(), keys.clientSalt());
        SrtpCryptoContext theirReceiver = jitsi(profile, false, keys.serverKey(), keys.serverSalt());
        for (int i = 65_000; i < 66_000; i += 7) {
            int seq = i & 0xFFFF;
            PacketBuffer in = packet(seq, 1200);
            byte[] plain = content(in);
            assertThat(theirSender.transformPacket(in)).isEqualTo(SrtpErrorStatus.OK);
            assertThat(ours.decryptRtp(in)).as("jitsi -> ours, seq %d", seq).isEqualTo(SrtpErrorStatus.OK);
            assertThat(content(in)).isEqualTo(plain);

            PacketBuffer out = packet(seq, 1200);
            assertThat(ours.encryptRtp(out)).isEqualTo(SrtpErrorStatus.OK);
            assertThat(theirReceiver.reverseTransformPacket(out, false)).as("ours -> jitsi, seq %d", seq)
                    .isEqualTo(SrtpErrorStatus.OK);
            assertThat(content(out)).isEqualTo(plain);
        }
    }

    private static SrtpCryptoContext jitsi(SrtpProfile profile, boolean sender, byte[] key, byte[] salt) throws Exception {
        SrtpPolicy policy = profile == SrtpProfile.AEAD_AES_128_GCM
                ? new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12)
                : new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
        return new SrtpContextFactory(sender, key, salt, policy, policy, new LoggerImpl("test"))
                .deriveContext((int) SSRC, 0);
    }

    private static PacketBuffer packet(int seq, int length) {
        PacketBuffer p = new PacketBuffer(length + PacketBuffer.HEADROOM);
        byte[] b = p.getBuffer();
        b[0] = (byte) 0x80;
        b[1] = 96;
        Rtp.setSequence(b, 0, seq);
        Rtp.setTimestamp(b, 0, seq * 3000L);
        Rtp.setSsrc(b, 0, SSRC);
        for (int i = 12; i < length; i++) {
            b[i] = (byte) (i * 31 + seq);
        }
        p.setLength(length);
        return p;
    }

    private static PacketBuffer copy(PacketBuffer p) {
        return PacketBuffer.copyOf(p.getBuffer(), p.getOffset(), p.getLength());
    }

    private static byte[] content(PacketBuffer p) {
        return Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
    }

    private static SrtpKeys keys(SrtpProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        new SecureRandom().nextBytes(material);
        return SrtpKeys.fromKeyingMaterial(profile, material);
    }
}
