package ablak.media.srtp;

import org.jitsi.srtp.crypto.JitsiOpenSslProvider;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.security.GeneralSecurityException;
import java.security.Provider;

/**
 * AEAD_AES_128_GCM (RFC 7714 8, 9): the RTP header is the associated data, the payload is encrypted, a 16-byte
 * tag is appended. One cipher per SSRC, re-initialised per packet with the packet's IV. The cipher is
 * OpenSSL's with one native call per packet ({@link NativeGcm}) where the module's native library is built and
 * loads; else OpenSSL's through jitsi-srtp's JCE provider (five JNI calls, a parameter object and the JCE's
 * checks per packet: about as much CPU as the AES-GCM itself); else the JDK's, which takes about as much CPU but
 * allocates about 1.1 KB per packet, and GC pauses are what made the SFU lose packets under load
 * (docs/performance.md). Chosen here, not by jitsi-srtp's start-up race of providers, whose winner on a loaded
 * machine is chance.
 */
final class AesGcm extends RtpProtection {
    static final int TAG_LENGTH = 16;
    private static final int TAG_BITS = TAG_LENGTH * 8;

    private static final Provider OPENSSL = JitsiOpenSslProvider.isLoaded() ? new JitsiOpenSslProvider() : null;
    private static final Cleaner CONTEXTS = Cleaner.create();

    /** The native context, 0 when the JCE cipher {@link #gcm} is used. */
    private final long context;
    private final Cipher gcm;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final byte[] iv = new byte[12];
    /**
     * The JDK's cipher's output, copied back into the packet: the JDK's GCM copies its whole input into a new
     * array when input and output overlap, which costs more than this copy. OpenSSL's works in place (one
     * pointer for both through JNI, as jitsi-srtp's own GCM uses it), so with it there is no copy; null then.
     */
    private byte[] out = OPENSSL != null ? null : new byte[1536];

    AesGcm(byte[] sessionKey, byte[] sessionSalt) throws GeneralSecurityException {
        this(sessionKey, sessionSalt, NativeGcm.LOADED);
    }

    /** {@code nativeCipher} false: the JCE cipher even where the native one loads (tests check both agree). */
    AesGcm(byte[] sessionKey, byte[] sessionSalt, boolean nativeCipher) throws GeneralSecurityException {
        salt = sessionSalt.clone();
        if (nativeCipher) {
            long c = NativeGcm.create(sessionKey);
            if (c == 0) {
                throw new GeneralSecurityException("OpenSSL refused an AES-GCM key of " + sessionKey.length + " bytes");
            }
            context = c;
            CONTEXTS.register(this, () -> NativeGcm.free(c));
            gcm = null;
            key = null;
            return;
        }
        context = 0;
        gcm = OPENSSL != null ? Cipher.getInstance("AES/GCM/NoPadding", OPENSSL) : Cipher.getInstance("AES/GCM/NoPadding");
        key = new SecretKeySpec(sessionKey, "AES");
    }


    @Override
    int tagLength() {
        return TAG_LENGTH;
    }

    @Override
    int seal(byte[] b, int off, int len, int header, long ssrc, long index) throws GeneralSecurityException {
        if (context != 0) {
            int sealed;
            try {
                sealed = NativeGcm.seal(context, b, off, header, len, iv(ssrc, index));
            } finally {
                // The cleaner frees the context once this object is unreachable, which must not be mid-call.
                Reference.reachabilityFence(this);
            }
            if (sealed < 0) {
                throw new GeneralSecurityException("OpenSSL failed to encrypt");
            }
            return sealed;
        }
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv(ssrc, index)));
        gcm.updateAAD(b, off, header);
        return header + finish(b, off + header, len - header, len - header + TAG_LENGTH);
    }

    @Override
    int open(byte[] b, int off, int len, int header, long ssrc, long index) throws GeneralSecurityException {
        if (context != 0) {
            try {
                return NativeGcm.open(context, b, off, header, len, iv(ssrc, index));
            } finally {
                Reference.reachabilityFence(this);
            }
        }
        gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv(ssrc, index)));
        gcm.updateAAD(b, off, header);
        try {
            return header + finish(b, off + header, len - header, len - header - TAG_LENGTH);
        } catch (AEADBadTagException e) {
            return -1;
        }
    }

    private int finish(byte[] b, int at, int length, int outputLength) throws GeneralSecurityException {
        if (out == null) {
            return gcm.doFinal(b, at, length, b, at);
        }
        if (out.length < outputLength) {
            out = new byte[outputLength];
        }
        int n = gcm.doFinal(b, at, length, out, 0);
        System.arraycopy(out, 0, b, at, n);
        return n;
    }

    /** RFC 7714 8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt. */
    private byte[] iv(long ssrc, long index) {
        iv[0] = salt[0];
        iv[1] = salt[1];
        iv[2] = (byte) (salt[2] ^ (ssrc >>> 24));
        iv[3] = (byte) (salt[3] ^ (ssrc >>> 16));
        iv[4] = (byte) (salt[4] ^ (ssrc >>> 8));
        iv[5] = (byte) (salt[5] ^ ssrc);
        iv[6] = (byte) (salt[6] ^ (index >>> 40));
        iv[7] = (byte) (salt[7] ^ (index >>> 32));
        iv[8] = (byte) (salt[8] ^ (index >>> 24));
        iv[9] = (byte) (salt[9] ^ (index >>> 16));
        iv[10] = (byte) (salt[10] ^ (index >>> 8));
        iv[11] = (byte) (salt[11] ^ index);
        return iv;
    }
}
