package ablak.media.srtp;

import ablak.media.rtp.PacketBuffer;
import ablak.media.rtp.Rtp;
import org.jitsi.srtp.SrtpErrorStatus;

import java.security.GeneralSecurityException;

/**
 * SRTP for one SSRC in one direction (RFC 3711 3.3): the packet index from the rollover counter and the
 * sequence number, and on receive the replay list; the profile's subclass does the crypto in place.
 * Session keys are derived once per direction and the subclass keeps its cipher objects and key schedule, so
 * a packet costs no key setup; what it allocates is the JDK's parameter object per {@code Cipher.init}.
 */
abstract class RtpProtection {
    /** RFC 3711 3.3.2: at least 64 packets. */
    private static final int REPLAY_WINDOW = 64;

    private boolean started;
    /** ROC and s_l of RFC 3711 3.3.1, i.e. the highest index processed so far. */
    private long highestIndex;
    /** Bit i set: index {@code highestIndex - i} was received. */
    private long replayWindow;

    abstract int tagLength();

    /** Encrypts {@code b[off + header, off + len)}, authenticates, appends the tag; returns the new length. */
    abstract int seal(byte[] b, int off, int len, int header, long ssrc, long index) throws GeneralSecurityException;

    /** Checks the tag and decrypts; returns the length without the tag, or -1 if authentication fails. */
    abstract int open(byte[] b, int off, int len, int header, long ssrc, long index) throws GeneralSecurityException;

    synchronized SrtpErrorStatus protect(PacketBuffer packet) throws GeneralSecurityException {
        byte[] b = packet.getBuffer();
        int off = packet.getOffset();
        int len = packet.getLength();
        int header = Rtp.headerLength(b, off, len);
        long index = header < 0 ? -1 : estimateIndex(Rtp.sequence(b, off));
        if (index < 0) {
            return SrtpErrorStatus.FAIL;
        }
        if (off + len + tagLength() > b.length) {
            packet.grow(tagLength());
            b = packet.getBuffer();
        }
        packet.setLength(seal(b, off, len, header, Rtp.ssrc(b, off), index));
        // Send-side replay protection is off: a NACK is answered with the same index (and the same plaintext).
        if (!started || index > highestIndex) {
            highestIndex = index;
            started = true;
        }
        return SrtpErrorStatus.OK;
    }

    synchronized SrtpErrorStatus unprotect(PacketBuffer packet) throws GeneralSecurityException {
        byte[] b = packet.getBuffer();
        int off = packet.getOffset();
        int len = packet.getLength() - tagLength();
        int header = len < Rtp.MIN_RTP ? -1 : Rtp.headerLength(b, off, len);
        long index = header < 0 ? -1 : estimateIndex(Rtp.sequence(b, off));
        if (index < 0) {
            return SrtpErrorStatus.FAIL;
        }
        long delta = index - highestIndex;
        if (started && delta <= 0) {
            if (-delta >= REPLAY_WINDOW) {
                return SrtpErrorStatus.REPLAY_OLD;
            }
            if ((replayWindow & (1L << -delta)) != 0) {
                return SrtpErrorStatus.REPLAY_FAIL;
            }
        }
        int plain = open(b, off, packet.getLength(), header, Rtp.ssrc(b, off), index);
        if (plain < 0) {
            return SrtpErrorStatus.AUTH_FAIL;
        }
        packet.setLength(plain);
        // Only an authenticated packet moves the ROC and the replay list (RFC 3711 3.3.1, 3.3.2).
        if (!started) {
            replayWindow = 1;
            highestIndex = index;
            started = true;
        } else if (delta > 0) {
            replayWindow = delta >= REPLAY_WINDOW ? 1 : (replayWindow << delta) | 1;
            highestIndex = index;
        } else {
            replayWindow |= 1L << -delta;
        }
        return SrtpErrorStatus.OK;
    }

    /**
     * The packet index of {@code seq} (RFC 3711 3.3.1 and appendix A): the rollover counter that puts it
     * closest to the highest index so far; -1 before index 0 or past 2^48.
     */
    private long estimateIndex(int seq) {
        if (!started) {
            return seq;
        }
        long roc = highestIndex >>> 16;
        int last = (int) (highestIndex & 0xFFFF);
        long v;
        if (last < 32768) {
            v = seq - last > 32768 ? roc - 1 : roc;
        } else {
            v = last - 32768 > seq ? roc + 1 : roc;
        }
        return v < 0 || v > 0xFFFFFFFFL ? -1 : (v << 16) | seq;
    }
}
