package ablak.media.rtp;

import java.nio.charset.StandardCharsets;

/**
 * Writes the RTCP packets the SFU originates (RFC 3550 6.4, RFC 4585 6, draft-alvestrand-rmcat-remb) and
 * holds the packet type numbers it reads. Each writer returns the number of bytes written.
 */
public final class Rtcp {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    public static final int RTPFB = 205;
    public static final int PSFB = 206;
    public static final int FMT_NACK = 1;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int FMT_AFB = 15;
    public static final int REPORT_BLOCK = 24;

    /** Seconds from 1900 (NTP epoch) to 1970 (Unix epoch), RFC 5905 6. */
    private static final long NTP_OFFSET = 2_208_988_800L;

    private Rtcp() {
    }

    /** Current wall-clock time as a 64-bit NTP timestamp (RFC 3550 4). */
    public static long ntpNow() {
        long millis = System.currentTimeMillis();
        long seconds = millis / 1000 + NTP_OFFSET;
        long fraction = ((millis % 1000) << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    /** The middle 32 bits of an NTP timestamp, the unit of LSR and DLSR (RFC 3550 6.4.1). */
    public static long ntpMiddle(long ntp) {
        return (ntp >>> 16) & 0xFFFFFFFFL;
    }

    private static void header(byte[] b, int at, int countOrFmt, int pt, int lengthBytes) {
        b[at] = (byte) (0x80 | (countOrFmt & 0x1F));
        b[at + 1] = (byte) pt;
        Rtp.writeUint16(b, at + 2, lengthBytes / 4 - 1);
    }

    /** Sender report without report blocks (RFC 3550 6.4.1). */
    public static int writeSenderReport(byte[] b, int at, long ssrc, long ntp, long rtpTimestamp, long packets, long octets) {
        header(b, at, 0, SR, 28);
        Rtp.writeUint32(b, at + 4, ssrc);
        Rtp.writeUint32(b, at + 8, ntp >>> 32);
        Rtp.writeUint32(b, at + 12, ntp);
        Rtp.writeUint32(b, at + 16, rtpTimestamp);
        Rtp.writeUint32(b, at + 20, packets);
        Rtp.writeUint32(b, at + 24, octets);
        return 28;
    }

    /** Receiver report header; the caller writes {@code blocks} report blocks right after it (RFC 3550 6.4.2). */
    public static int writeReceiverReportHeader(byte[] b, int at, long senderSsrc, int blocks) {
        header(b, at, blocks, RR, 8 + REPORT_BLOCK * blocks);
        Rtp.writeUint32(b, at + 4, senderSsrc);
        return 8;
    }

    /** SDES with one chunk holding a CNAME (RFC 3550 6.5.1), padded to a 32-bit boundary. */
    public static int writeSdesCname(byte[] b, int at, long ssrc, String cname) {
        byte[] text = cname.getBytes(StandardCharsets.US_ASCII);
        int chunk = 4 + 2 + text.length + 1;
        int padded = (chunk + 3) & ~3;
        int total = 4 + padded;
        header(b, at, 1, SDES, total);
        Rtp.writeUint32(b, at + 4, ssrc);
        b[at + 8] = 1;
        b[at + 9] = (byte) text.length;
        System.arraycopy(text, 0, b, at + 10, text.length);
        for (int i = at + 10 + text.length; i < at + total; i++) {
            b[i] = 0;
        }
        return total;
    }

    /** Picture loss indication (RFC 4585 6.3.1). */
    public static int writePli(byte[] b, int at, long senderSsrc, long mediaSsrc) {
        header(b, at, FMT_PLI, PSFB, 12);
        Rtp.writeUint32(b, at + 4, senderSsrc);
        Rtp.writeUint32(b, at + 8, mediaSsrc);
        return 12;
    }

    /** Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb 2.2): mantissa 18 bits, exponent 6. */
    public static int writeRemb(byte[] b, int at, long senderSsrc, long bitrate, long[] ssrcs) {
        int length = 20 + 4 * ssrcs.length;
        header(b, at, FMT_AFB, PSFB, length);
        Rtp.writeUint32(b, at + 4, senderSsrc);
        Rtp.writeUint32(b, at + 8, 0);
        b[at + 12] = 'R';
        b[at + 13] = 'E';
        b[at + 14] = 'M';
        b[at + 15] = 'B';
        int exponent = 0;
        long mantissa = bitrate;
        while (mantissa > 0x3FFFF) {
            mantissa >>= 1;
            exponent++;
        }
        b[at + 16] = (byte) ssrcs.length;
        b[at + 17] = (byte) ((exponent << 2) | (mantissa >>> 16));
        b[at + 18] = (byte) (mantissa >>> 8);
        b[at + 19] = (byte) mantissa;
        for (int i = 0; i < ssrcs.length; i++) {
            Rtp.writeUint32(b, at + 20 + 4 * i, ssrcs[i]);
        }
        return length;
    }

    /** Generic NACK with one FCI entry (RFC 4585 6.2.1); used by test peers. */
    public static int writeNack(byte[] b, int at, long senderSsrc, long mediaSsrc, int seq, int bitmask) {
        header(b, at, FMT_NACK, RTPFB, 16);
        Rtp.writeUint32(b, at + 4, senderSsrc);
        Rtp.writeUint32(b, at + 8, mediaSsrc);
        Rtp.writeUint16(b, at + 12, seq);
        Rtp.writeUint16(b, at + 14, bitmask);
        return 16;
    }
}
