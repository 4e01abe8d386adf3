package ablak.media.srtp;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The SRTP key derivation function (RFC 3711 4.3.1, AES-CM PRF, key derivation rate 0), also used by
 * AEAD_AES_128_GCM with its 96-bit master salt taken as the high bits of a 112-bit one (RFC 7714 11, erratum 4938).
 */
final class KeyDerivation {
    static final int RTP_ENCRYPTION = 0x00;
    static final int RTP_AUTHENTICATION = 0x01;
    static final int RTP_SALT = 0x02;

    private KeyDerivation() {
    }

    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
            // x = key_id XOR master_salt, key_id = label || (index DIV kdr) = label || 0^48; PRF input is x * 2^16.
            byte[] block = new byte[16];
            System.arraycopy(masterSalt, 0, block, 0, masterSalt.length);
            block[7] ^= (byte) label;
            byte[] out = new byte[(length + 15) / 16 * 16];
            for (int i = 0; i < out.length / 16; i++) {
                block[14] = (byte) (i >>> 8);
                block[15] = (byte) i;
                aes.doFinal(block, 0, 16, out, i * 16);
            }
            return Arrays.copyOf(out, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }
}
