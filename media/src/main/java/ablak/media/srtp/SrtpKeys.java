package ablak.media.srtp;

import java.util.Arrays;

/**
 * The SRTP master keys and salts for both directions of one DTLS association (RFC 5764 4.2): the exporter
 * output is client key | server key | client salt | server salt.
 */
public record SrtpKeys(byte[] clientKey, byte[] serverKey, byte[] clientSalt, byte[] serverSalt) {
    public static final int KEY_LENGTH = 16;
    public static final int SALT_LENGTH = 14;

    public static SrtpKeys fromKeyingMaterial(byte[] material) {
        if (material.length != 2 * (KEY_LENGTH + SALT_LENGTH)) {
            throw new IllegalArgumentException("expected 60 bytes of keying material, got " + material.length);
        }
        int k = KEY_LENGTH;
        return new SrtpKeys(Arrays.copyOfRange(material, 0, k), Arrays.copyOfRange(material, k, 2 * k),
                Arrays.copyOfRange(material, 2 * k, 2 * k + SALT_LENGTH),
                Arrays.copyOfRange(material, 2 * k + SALT_LENGTH, 2 * (k + SALT_LENGTH)));
    }

    @Override
    public String toString() {
        return "SrtpKeys[<hidden>]";
    }
}
