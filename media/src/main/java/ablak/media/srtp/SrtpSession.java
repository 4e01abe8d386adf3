package ablak.media.srtp;

import ablak.media.rtp.PacketBuffer;
import ablak.media.rtp.Rtp;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.function.LongFunction;

/**
 * SRTP and SRTCP for one transport (RFC 3711), on jitsi-srtp. One context factory per direction: a context
 * that decrypts an SSRC must never be asked to encrypt it. Send-side replay protection is off because a
 * NACK is answered by sending the same sequence number again (RFC 4588 would need RTX, which is not
 * negotiated); receive-side replay protection stays on (RFC 3711 3.3.2).
 */
public final class SrtpSession {
    private static final Logger LOG = new LoggerImpl(SrtpSession.class.getName());

    private final SrtpContextFactory decryptFactory;
    private final SrtpContextFactory encryptFactory;
    private final SsrcMap<SrtpCryptoContext> rtpDecrypt = new SsrcMap<>();
    private final SsrcMap<SrtpCryptoContext> rtpEncrypt = new SsrcMap<>();
    private final SsrcMap<SrtcpCryptoContext> rtcpDecrypt = new SsrcMap<>();
    private final SsrcMap<SrtcpCryptoContext> rtcpEncrypt = new SsrcMap<>();
    private final LongFunction<SrtpCryptoContext> newDecrypt;
    private final LongFunction<SrtpCryptoContext> newEncrypt;

    private SrtpSession(byte[] decryptKey, byte[] decryptSalt, byte[] encryptKey, byte[] encryptSalt) {
        this.decryptFactory = new SrtpContextFactory(false, decryptKey, decryptSalt, policy(), policy(), LOG);
        SrtpPolicy send = policy();
        send.setSendReplayEnabled(false);
        this.encryptFactory = new SrtpContextFactory(true, encryptKey, encryptSalt, send, send, LOG);
        this.newDecrypt = ssrc -> derive(decryptFactory, ssrc);
        this.newEncrypt = ssrc -> derive(encryptFactory, ssrc);
    }

    /** The DTLS server's view: the client's half decrypts, ours encrypts. */
    public static SrtpSession forServer(SrtpKeys keys) {
        return new SrtpSession(keys.clientKey(), keys.clientSalt(), keys.serverKey(), keys.serverSalt());
    }

    /** The DTLS client's view, for peers written with the same libraries (tests, benchmark). */
    public static SrtpSession forClient(SrtpKeys keys) {
        return new SrtpSession(keys.serverKey(), keys.serverSalt(), keys.clientKey(), keys.clientSalt());
    }

    /** SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 4.1.2): AES-CM 128, HMAC-SHA1 with an 80-bit tag, 112-bit salt. */
    private static SrtpPolicy policy() {
        return new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, SrtpKeys.KEY_LENGTH, SrtpPolicy.HMACSHA1_AUTHENTICATION,
                20, 10, SrtpKeys.SALT_LENGTH);
    }

    public SrtpErrorStatus decryptRtp(PacketBuffer packet) {
        try {
            return rtpDecrypt.computeIfAbsent(ssrc(packet, 8), newDecrypt)
                    .reverseTransformPacket(packet, false);
        } catch (GeneralSecurityException e) {
            return SrtpErrorStatus.FAIL;
        }
    }

    public SrtpErrorStatus encryptRtp(PacketBuffer packet) {
        try {
            return rtpEncrypt.computeIfAbsent(ssrc(packet, 8), newEncrypt).transformPacket(packet);
        } catch (GeneralSecurityException e) {
            return SrtpErrorStatus.FAIL;
        }
    }

    public SrtpErrorStatus decryptRtcp(PacketBuffer packet) {
        try {
            return rtcpDecrypt.computeIfAbsent(ssrc(packet, 4), s -> deriveControl(decryptFactory, s))
                    .reverseTransformPacket(packet);
        } catch (GeneralSecurityException e) {
            return SrtpErrorStatus.FAIL;
        }
    }

    public SrtpErrorStatus encryptRtcp(PacketBuffer packet) {
        try {
            return rtcpEncrypt.computeIfAbsent(ssrc(packet, 4), s -> deriveControl(encryptFactory, s))
                    .transformPacket(packet);
        } catch (GeneralSecurityException e) {
            return SrtpErrorStatus.FAIL;
        }
    }

    /** Drops the decrypt context of an SSRC that failed: unauthenticated SSRCs must not pile up contexts. */
    public void forgetInbound(long ssrc) {
        rtpDecrypt.remove(ssrc);
    }

    public void close() {
        decryptFactory.close();
        encryptFactory.close();
        rtpDecrypt.clear();
        rtpEncrypt.clear();
        rtcpDecrypt.clear();
        rtcpEncrypt.clear();
    }

    /**
     * jitsi-srtp measures the AES implementations on first use, which costs about half a second; pay it at
     * start rather than on the first call's first keyframe.
     */
    public static void warmUp() {
        byte[] material = new byte[60];
        new SecureRandom().nextBytes(material);
        SrtpKeys keys = SrtpKeys.fromKeyingMaterial(material);
        SrtpSession client = forClient(keys);
        SrtpSession server = forServer(keys);
        PacketBuffer packet = new PacketBuffer(200);
        packet.setLength(172);
        packet.getBuffer()[0] = (byte) 0x80;
        packet.getBuffer()[1] = 96;
        client.encryptRtp(packet);
        server.decryptRtp(packet);
        client.close();
        server.close();
    }

    private static long ssrc(PacketBuffer packet, int at) {
        return Rtp.readUint32(packet.getBuffer(), packet.getOffset() + at);
    }

    private static SrtpCryptoContext derive(SrtpContextFactory factory, long ssrc) {
        try {
            return factory.deriveContext((int) ssrc, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive SRTP context", e);
        }
    }

    private static SrtcpCryptoContext deriveControl(SrtpContextFactory factory, long ssrc) {
        try {
            return factory.deriveControlContext((int) ssrc);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive SRTCP context", e);
        }
    }
}
