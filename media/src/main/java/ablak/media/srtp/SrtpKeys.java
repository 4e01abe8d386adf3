package ablak.media.srtp;

import java.util.Arrays;

/**
 * The SRTP profile and the master keys and salts for both directions of one DTLS association (RFC 5764 4.2):
 * the exporter output is client key | server key | client salt | server salt.
 */
public record SrtpKeys(SrtpProfile profile, byte[] clientKey, byte[] serverKey, byte[] clientSalt, byte[] serverSalt) {

    /** Keys of SRTP_AES128_CM_HMAC_SHA1_80 from 60 bytes of exporter output. */
    public static SrtpKeys fromKeyingMaterial(byte[] material) {
        return fromKeyingMaterial(SrtpProfile.AES_CM_128_HMAC_SHA1_80, material);
    }

    public static SrtpKeys fromKeyingMaterial(SrtpProfile profile, byte[] material) {
        if (material.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("expected " + profile.keyingMaterialLength()
                    + " bytes of keying material for " + profile + ", got " + material.length);
        }
        int k = profile.keyLength();
        int s = profile.saltLength();
        return new SrtpKeys(profile, Arrays.copyOfRange(material, 0, k), Arrays.copyOfRange(material, k, 2 * k),
                Arrays.copyOfRange(material, 2 * k, 2 * k + s), Arrays.copyOfRange(material, 2 * k + s, 2 * (k + s)));
    }

    @Override
    public String toString() {
        return "SrtpKeys[" + profile + ", <hidden>]";
    }
}
