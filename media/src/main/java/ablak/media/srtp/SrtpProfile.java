package ablak.media.srtp;

import org.bouncycastle.tls.SRTPProtectionProfile;

/**
 * The SRTP protection profiles the SFU negotiates in DTLS-SRTP's use_srtp extension (RFC 5764 4.1.2,
 * RFC 7714 14.2), with the key, salt and tag lengths each one implies.
 */
public enum SrtpProfile {
    /** RFC 3711: AES counter mode and an 80-bit HMAC-SHA1 tag; every WebRTC endpoint offers it. */
    AES_CM_128_HMAC_SHA1_80(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, 16, 14, 10),
    /** RFC 7714: AES-GCM, one pass for encryption and authentication, a 128-bit tag; Chromium offers it. */
    AEAD_AES_128_GCM(SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, 16, 12, 16);

    private final int dtlsId;
    private final int keyLength;
    private final int saltLength;
    private final int tagLength;

    SrtpProfile(int dtlsId, int keyLength, int saltLength, int tagLength) {
        this.dtlsId = dtlsId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
    }

    /** The profile's number in the use_srtp extension. */
    public int dtlsId() { return dtlsId; }
    public int keyLength() { return keyLength; }
    public int saltLength() { return saltLength; }
    /** Bytes an SRTP packet grows by: the auth tag (CM) or the AEAD tag (GCM). */
    public int tagLength() { return tagLength; }

    /** Exporter output for both directions: two master keys and two master salts (RFC 5764 4.2). */
    public int keyingMaterialLength() { return 2 * (keyLength + saltLength); }

    public static SrtpProfile byDtlsId(int id) {
        for (SrtpProfile p : values()) {
            if (p.dtlsId == id) {
                return p;
            }
        }
        throw new IllegalArgumentException("unsupported SRTP protection profile " + id);
    }
}
