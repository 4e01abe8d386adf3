package ablak.media.srtp;

import ablak.media.rtp.PacketBuffer;
import org.jitsi.srtp.SrtpErrorStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Published test vectors: RFC 3711 appendix B, libsrtp's reference packet, RFC 7714 16.1. */
class SrtpVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc3711B2AesCmKeystream() throws Exception {
        AesCmHmacSha1 cm = new AesCmHmacSha1(hex("2B7E151628AED2A6ABF7158809CF4F3C"),
                hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), new byte[20]);
        // SSRC 0 and index 0 with a zero payload: the payload becomes the keystream.
        PacketBuffer p = packet(hex("800000000000000000000000" + "00".repeat(48)));
        assertThat(cm.protect(p)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(HEX.formatHex(p.getBuffer(), 12, 60)).isEqualToIgnoringCase(
                "E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0");
    }

    @Test
    void rfc3711B3KeyDerivation() {
        byte[] masterKey = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] masterSalt = hex("0EC675AD498AFEEBB6960B3AABE6");
        assertThat(KeyDerivation.derive(masterKey, masterSalt, KeyDerivation.RTP_ENCRYPTION, 16))
                .isEqualTo(hex("C61E7A93744F39EE10734AFE3FF7A087"));
        assertThat(KeyDerivation.derive(masterKey, masterSalt, KeyDerivation.RTP_SALT, 14))
                .isEqualTo(hex("30CBBC08863D8C85D49DB34A9AE1"));
        assertThat(KeyDerivation.derive(masterKey, masterSalt, KeyDerivation.RTP_AUTHENTICATION, 20))
                .isEqualTo(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
    }

    /** libsrtp's srtp_driver reference packet: the RFC 3711 B.3 master key, SSRC 0xcafebabe, sequence 0x1234. */
    @Test
    void aesCmHmacSha1ReferencePacketBothWays() {
        SrtpKeys keys = new SrtpKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, hex("E1F97A0D3E018BE0D64FA32C06DE4139"),
                new byte[16], hex("0EC675AD498AFEEBB6960B3AABE6"), new byte[14]);
        String plain = "800f1234decafbadcafebabe" + "ab".repeat(16);
        String protectedPacket = "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb";

        PacketBuffer p = packet(hex(plain));
        assertThat(SrtpSession.forClient(keys).encryptRtp(p)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(bytes(p)).isEqualTo(protectedPacket);

        PacketBuffer q = packet(hex(protectedPacket));
        assertThat(SrtpSession.forServer(keys).decryptRtp(q)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(bytes(q)).isEqualTo(plain);
    }

    /**
     * RFC 7714 16.1.1 (encryption) and 16.1.2 (decryption): session key and salt given, ROC 0, sequence 0xf17b.
     * Through the native cipher (where the build made it) and through the JCE.
     */
    @ParameterizedTest(name = "native cipher: {0}")
    @ValueSource(booleans = {true, false})
    void rfc7714AeadAes128Gcm(boolean nativeCipher) throws Exception {
        assumeTrue(!nativeCipher || NativeGcm.LOADED, "the native cipher is not in this build");
        byte[] key = hex("000102030405060708090a0b0c0d0e0f");
        byte[] salt = hex("517569642070726f2071756f");
        String plain = "8040f17b8041f8d35501a0b2"
                + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573";
        String protectedPacket = "8040f17b8041f8d35501a0b2"
                + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
                + "899d7f27beb16a9152cf765ee4390cce";

        PacketBuffer p = packet(hex(plain));
        assertThat(new AesGcm(key, salt, nativeCipher).protect(p)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(bytes(p)).isEqualTo(protectedPacket);

        AesGcm receiver = new AesGcm(key, salt, nativeCipher);
        PacketBuffer q = packet(hex(protectedPacket));
        assertThat(receiver.unprotect(q)).isEqualTo(SrtpErrorStatus.OK);
        assertThat(bytes(q)).isEqualTo(plain);

        byte[] tampered = hex(protectedPacket);
        tampered[20] ^= 1;
        PacketBuffer t = packet(tampered);
        assertThat(new AesGcm(key, salt, nativeCipher).unprotect(t)).isEqualTo(SrtpErrorStatus.AUTH_FAIL);
        assertThat(t.getLength()).as("a refused packet keeps its length").isEqualTo(tampered.length);

        PacketBuffer truncated = packet(Arrays.copyOf(hex(protectedPacket), 12 + 15));
        assertThat(new AesGcm(key, salt, nativeCipher).unprotect(truncated)).as("shorter than a tag")
                .isEqualTo(SrtpErrorStatus.FAIL);
    }

    /** Random packets of every size sealed by one cipher open with the other, and the reverse, byte for byte. */
    @Test
    void nativeAndJceCiphersAgree() throws Exception {
        assumeTrue(NativeGcm.LOADED, "the native cipher is not in this build");
        java.util.Random random = new java.util.Random(7);
        byte[] key = new byte[16];
        byte[] salt = new byte[12];
        random.nextBytes(key);
        random.nextBytes(salt);
        AesGcm[] sealers = {new AesGcm(key, salt, true), new AesGcm(key, salt, false)};
        AesGcm[] openers = {new AesGcm(key, salt, false), new AesGcm(key, salt, true)};
        for (int size = 12; size <= 1400; size += 7) {
            byte[] plain = new byte[size];
            random.nextBytes(plain);
            plain[0] = (byte) 0x80;
            plain[1] = 96;
            plain[2] = (byte) (size >> 8);
            plain[3] = (byte) size;
            PacketBuffer[] sealed = new PacketBuffer[2];
            for (int i = 0; i < 2; i++) {
                sealed[i] = packet(plain);
                assertThat(sealers[i].protect(sealed[i])).isEqualTo(SrtpErrorStatus.OK);
            }
            assertThat(bytes(sealed[0])).as("%d bytes", size).isEqualTo(bytes(sealed[1]));
            for (int i = 0; i < 2; i++) {
                assertThat(openers[i].unprotect(sealed[i])).isEqualTo(SrtpErrorStatus.OK);
                assertThat(bytes(sealed[i])).isEqualTo(HEX.formatHex(plain));
            }
        }
    }

    /** A build that carries the native library must use it: a silent fall-back would cost every packet. */
    @Test
    void nativeCipherLoadsWhereBuilt() {
        boolean built = NativeGcm.class.getResource("/native/linux-" + System.getProperty("os.arch") + "/libablakgcm.so") != null;
        assertThat(NativeGcm.LOADED).isEqualTo(built);
    }

    static PacketBuffer packet(byte[] content) {
        PacketBuffer p = new PacketBuffer(content.length + PacketBuffer.HEADROOM);
        return p.set(content, 0, content.length);
    }

    static String bytes(PacketBuffer p) {
        return HEX.formatHex(Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength()));
    }

    static byte[] hex(String s) {
        return HEX.parseHex(s.toLowerCase());
    }
}
