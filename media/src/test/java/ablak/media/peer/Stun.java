package ablak.media.peer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/** Just enough STUN (RFC 5389) and ICE (RFC 8445 7) for a synthetic peer: binding requests and responses. */
final class Stun {
    static final int COOKIE = 0x2112A442;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;
    private static final int PRIORITY = 0x0024;
    private static final int USE_CANDIDATE = 0x0025;
    private static final int FINGERPRINT = 0x8028;
    private static final int ICE_CONTROLLING = 0x802A;

    private Stun() {
    }

    static boolean isStun(byte[] b, int len) {
        return len >= 20 && (b[0] & 0xC0) == 0 && readInt(b, 4) == COOKIE;
    }

    static boolean isRequest(byte[] b) {
        return ((b[0] & 0xFF) << 8 | (b[1] & 0xFF)) == 0x0001;
    }

    static boolean isSuccess(byte[] b) {
        return ((b[0] & 0xFF) << 8 | (b[1] & 0xFF)) == 0x0101;
    }

    /** A controlling agent's nominating check (RFC 8445 7.1.1, 8.1.1). */
    static byte[] bindingRequest(String username, String password, long tieBreaker) {
        byte[] txid = new byte[12];
        ThreadLocalRandom.current().nextBytes(txid);
        Builder m = new Builder(0x0001, txid);
        m.attribute(USERNAME, username.getBytes(StandardCharsets.UTF_8));
        m.attribute(PRIORITY, new byte[] {0x6E, 0, 0x1E, (byte) 0xFF});
        byte[] tie = new byte[8];
        for (int i = 0; i < 8; i++) {
            tie[i] = (byte) (tieBreaker >>> (56 - 8 * i));
        }
        m.attribute(ICE_CONTROLLING, tie);
        m.attribute(USE_CANDIDATE, new byte[0]);
        return m.finish(password);
    }

    /** Success response to a request from {@code from}, signed with our password (RFC 8445 7.3.1.1). */
    static byte[] bindingSuccess(byte[] request, InetSocketAddress from, String password) {
        byte[] txid = new byte[12];
        System.arraycopy(request, 8, txid, 0, 12);
        Builder m = new Builder(0x0101, txid);
        byte[] addr = from.getAddress().getAddress();
        byte[] value = new byte[8];
        value[1] = 0x01;
        int port = from.getPort() ^ (COOKIE >>> 16);
        value[2] = (byte) (port >>> 8);
        value[3] = (byte) port;
        for (int i = 0; i < 4; i++) {
            value[4 + i] = (byte) (addr[i] ^ (COOKIE >>> (24 - 8 * i)));
        }
        m.attribute(XOR_MAPPED_ADDRESS, value);
        return m.finish(password);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static final class Builder {
        private final byte[] buf = new byte[512];
        private int len = 20;

        Builder(int type, byte[] txid) {
            buf[0] = (byte) (type >>> 8);
            buf[1] = (byte) type;
            buf[4] = 0x21;
            buf[5] = 0x12;
            buf[6] = (byte) 0xA4;
            buf[7] = 0x42;
            System.arraycopy(txid, 0, buf, 8, 12);
        }

        void attribute(int type, byte[] value) {
            buf[len] = (byte) (type >>> 8);
            buf[len + 1] = (byte) type;
            buf[len + 2] = (byte) (value.length >>> 8);
            buf[len + 3] = (byte) value.length;
            System.arraycopy(value, 0, buf, len + 4, value.length);
            len += 4 + ((value.length + 3) & ~3);
        }

        private void setLength(int bodyLength) {
            buf[2] = (byte) (bodyLength >>> 8);
            buf[3] = (byte) bodyLength;
        }

        byte[] finish(String password) {
            try {
                // RFC 5389 15.4: the HMAC covers the message with the length already counting MESSAGE-INTEGRITY.
                setLength(len - 20 + 24);
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
                mac.update(buf, 0, len);
                attribute(MESSAGE_INTEGRITY, mac.doFinal());
                // RFC 5389 15.5: CRC-32 of everything before it, XOR 0x5354554e, length counting it.
                setLength(len - 20 + 8);
                CRC32 crc = new CRC32();
                crc.update(buf, 0, len);
                long fp = crc.getValue() ^ 0x5354554EL;
                attribute(FINGERPRINT, new byte[] {(byte) (fp >>> 24), (byte) (fp >>> 16), (byte) (fp >>> 8), (byte) fp});
                return java.util.Arrays.copyOf(buf, len);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
