package ablak.media.srtp;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * AES_CM_128_HMAC_SHA1_80 (RFC 3711 4.1.1, 4.2.1) on the JDK's AES/CTR, whose multi-block AES-NI intrinsic
 * makes a 1200-byte keystream cost less than building counter blocks for AES/ECB and XORing them in Java,
 * even with a {@code Cipher.init} per packet for the IV (the key's expansion is kept across inits). The HMAC is
 * one {@code Mac} initialised once with the session auth key; {@code doFinal} resets it for the next packet.
 * HMAC-SHA1 over the packet is most of the cost (docs/performance.md).
 */
final class AesCmHmacSha1 extends RtpProtection {
    static final int TAG_LENGTH = 10;
    private static final int ROC_LENGTH = 4;

    private final Cipher aes;
    private final SecretKeySpec key;
    private final Mac hmac;
    private final byte[] salt;
    private final byte[] iv = new byte[16];
    private final byte[] roc = new byte[ROC_LENGTH];
    private final byte[] tag = new byte[20];
    /**
     * The cipher's output, copied back into the packet: with input and output in one array the JDK copies the
     * input into a new one first.
     */
    private byte[] out = new byte[1536];

    AesCmHmacSha1(byte[] sessionKey, byte[] sessionSalt, byte[] authKey) throws GeneralSecurityException {
        aes = Cipher.getInstance("AES/CTR/NoPadding");
        key = new SecretKeySpec(sessionKey, "AES");
        hmac = Mac.getInstance("HmacSHA1");
        hmac.init(new SecretKeySpec(authKey, "HmacSHA1"));
        salt = sessionSalt.clone();
    }

    @Override
    int tagLength() {
        return TAG_LENGTH;
    }

    @Override
    int seal(byte[] b, int off, int len, int header, long ssrc, long index) throws GeneralSecurityException {
        crypt(b, off + header, len - header, ssrc, index);
        authenticate(b, off, len, index);
        System.arraycopy(tag, 0, b, off + len, TAG_LENGTH);
        return len + TAG_LENGTH;
    }

    @Override
    int open(byte[] b, int off, int len, int header, long ssrc, long index) throws GeneralSecurityException {
        int body = len - TAG_LENGTH;
        authenticate(b, off, body, index);
        if (!tagMatches(b, off + body)) {
            return -1;
        }
        crypt(b, off + header, body - header, ssrc, index);
        return body;
    }

    /** RFC 3711 4.2: HMAC-SHA1 over the authenticated portion followed by the ROC. */
    private void authenticate(byte[] b, int off, int len, long index) throws GeneralSecurityException {
        long r = index >>> 16;
        roc[0] = (byte) (r >>> 24);
        roc[1] = (byte) (r >>> 16);
        roc[2] = (byte) (r >>> 8);
        roc[3] = (byte) r;
        hmac.update(b, off, len);
        hmac.update(roc, 0, ROC_LENGTH);
        hmac.doFinal(tag, 0);
    }

    /** Constant time, like {@link MessageDigest#isEqual}, without copying the received tag out. */
    private boolean tagMatches(byte[] b, int at) {
        int diff = 0;
        for (int i = 0; i < TAG_LENGTH; i++) {
            diff |= tag[i] ^ b[at + i];
        }
        return diff == 0;
    }

    /**
     * RFC 3711 4.1.1: the keystream is AES in counter mode from IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16);
     * its low 16 bits are zero, so the JDK's 128-bit counter increments exactly as SRTP's block counter does.
     */
    private void crypt(byte[] b, int at, int length, long ssrc, long index) throws GeneralSecurityException {
        if (length <= 0) {
            return;
        }
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        iv[8] ^= (byte) (index >>> 40);
        iv[9] ^= (byte) (index >>> 32);
        iv[10] ^= (byte) (index >>> 24);
        iv[11] ^= (byte) (index >>> 16);
        iv[12] ^= (byte) (index >>> 8);
        iv[13] ^= (byte) index;
        if (out.length < length) {
            out = new byte[length];
        }
        aes.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
        int n = aes.doFinal(b, at, length, out, 0);
        System.arraycopy(out, 0, b, at, n);
    }
}
