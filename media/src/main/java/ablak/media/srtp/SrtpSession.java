package ablak.media.srtp;

import ablak.media.rtp.PacketBuffer;
import ablak.media.rtp.Rtcp;
import ablak.media.rtp.Rtp;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.function.LongFunction;

/**
 * SRTP and SRTCP for one transport (RFC 3711, RFC 7714 for AEAD_AES_128_GCM). SRTP, which every forwarded
 * packet passes twice, is {@link RtpProtection}: session keys derived once per direction, cipher objects
 * initialised once per SSRC. SRTCP, about one packet in a hundred, stays on jitsi-srtp. A context that
 * decrypts an SSRC is never asked to encrypt it. Send-side replay protection is off because a NACK is
 * answered by sending the same sequence number again (RFC 4588 would need RTX, which is not negotiated);
 * receive-side replay protection stays on (RFC 3711 3.3.2).
 */
public final class SrtpSession {
    private static final Logger LOG = new LoggerImpl(SrtpSession.class.getName());

    private final SrtpContextFactory decryptFactory;
    private final SrtpContextFactory encryptFactory;
    private final SsrcMap<RtpProtection> rtpDecrypt = new SsrcMap<>();
    private final SsrcMap<RtpProtection> rtpEncrypt = new SsrcMap<>();
    private final SsrcMap<SrtcpCryptoContext> rtcpDecrypt = new SsrcMap<>();
    private final SsrcMap<SrtcpCryptoContext> rtcpEncrypt = new SsrcMap<>();
    private final LongFunction<RtpProtection> newDecrypt;
    private final LongFunction<RtpProtection> newEncrypt;
    private final SrtpProfile profile;

    private SrtpSession(SrtpProfile profile, byte[] decryptKey, byte[] decryptSalt, byte[] encryptKey, byte[] encryptSalt) {
        this.profile = profile;
        this.decryptFactory = new SrtpContextFactory(false, decryptKey, decryptSalt, policy(profile), policy(profile), LOG);
        SrtpPolicy send = policy(profile);
        send.setSendReplayEnabled(false);
        this.encryptFactory = new SrtpContextFactory(true, encryptKey, encryptSalt, send, send, LOG);
        SessionKeys decrypt = SessionKeys.derive(profile, decryptKey, decryptSalt);
        SessionKeys encrypt = SessionKeys.derive(profile, encryptKey, encryptSalt);
        this.newDecrypt = ssrc -> decrypt.newProtection();
        this.newEncrypt = ssrc -> encrypt.newProtection();
    }

    /** The DTLS server's view: the client's half decrypts, ours encrypts. */
    public static SrtpSession forServer(SrtpKeys keys) {
        return new SrtpSession(keys.profile(), keys.clientKey(), keys.clientSalt(), keys.serverKey(), keys.serverSalt());
    }

    /** The DTLS client's view, for peers written with the same libraries (tests, benchmark). */
    public static SrtpSession forClient(SrtpKeys keys) {
        return new SrtpSession(keys.profile(), keys.serverKey(), keys.serverSalt(), keys.clientKey(), keys.clientSalt());
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** jitsi-srtp's policy of the profile (RFC 5764 4.1.2, RFC 7714 14.2), for SRTCP. */
    private static SrtpPolicy policy(SrtpProfile profile) {
        return switch (profile) {
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, profile.keyLength(),
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, profile.tagLength(), profile.saltLength());
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, profile.keyLength(),
                    SrtpPolicy.NULL_AUTHENTICATION, 0, profile.tagLength(), profile.saltLength());
        };
    }

    public SrtpErrorStatus decryptRtp(PacketBuffer packet) {
        try {
            return rtpDecrypt.computeIfAbsent(ssrc(packet, 8), newDecrypt).unprotect(packet);
        } catch (GeneralSecurityException e) {
            return SrtpErrorStatus.FAIL;
        }
    }

    public SrtpErrorStatus encryptRtp(PacketBuffer packet) {
        try {
            return rtpEncrypt.computeIfAbsent(ssrc(packet, 8), newEncrypt).protect(packet);
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
     * jitsi-srtp (SRTCP) measures the AES implementations on first use, which costs about half a second; pay
     * it at start rather than on the first call's first PLI.
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
        PacketBuffer rtcp = new PacketBuffer(64);
        rtcp.setLength(Rtcp.writePli(rtcp.getBuffer(), 0, 1, 2));
        client.encryptRtcp(rtcp);
        server.decryptRtcp(rtcp);
        client.close();
        server.close();
    }

    /** One direction's session keys (RFC 3711 4.3): the same for every SSRC, so derived once. */
    private record SessionKeys(SrtpProfile profile, byte[] key, byte[] salt, byte[] authKey) {
        static SessionKeys derive(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
            return new SessionKeys(profile,
                    KeyDerivation.derive(masterKey, masterSalt, KeyDerivation.RTP_ENCRYPTION, profile.keyLength()),
                    KeyDerivation.derive(masterKey, masterSalt, KeyDerivation.RTP_SALT, profile.saltLength()),
                    profile == SrtpProfile.AES_CM_128_HMAC_SHA1_80
                            ? KeyDerivation.derive(masterKey, masterSalt, KeyDerivation.RTP_AUTHENTICATION, 20) : null);
        }

        RtpProtection newProtection() {
            try {
                return profile == SrtpProfile.AES_CM_128_HMAC_SHA1_80
                        ? new AesCmHmacSha1(key, salt, authKey) : new AesGcm(key, salt);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot create SRTP context", e);
            }
        }
    }

    private static long ssrc(PacketBuffer packet, int at) {
        return Rtp.readUint32(packet.getBuffer(), packet.getOffset() + at);
    }

    private static SrtcpCryptoContext deriveControl(SrtpContextFactory factory, long ssrc) {
        try {
            return factory.deriveControlContext((int) ssrc);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive SRTCP context", e);
        }
    }
}
