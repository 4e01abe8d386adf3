package ablak.media.recording;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes an Opus track as Ogg Opus (RFC 7845). Each RTP payload is one Opus packet (RFC 7587
 * section 4.2) and the RTP clock is always 48 kHz (RFC 7587 4.1), the rate of Ogg Opus granule
 * positions, so a gap in RTP timestamps is exactly the audio that never arrived; it is filled with
 * packets the decoder conceals, keeping the file's timeline that of the call. A page goes to disk
 * at least every second of audio, so a crash loses at most that much.
 */
final class OpusTrackFile implements TrackFile {

    /** RFC 7845 5.1: a stream that does not start at the encoder's beginning should pre-skip at least 80 ms. */
    private static final int PRE_SKIP = 3840;
    private static final long PAGE_SAMPLES = 48_000;
    /** Longest silence filled in at once; bounds the work one odd timestamp can cause. */
    private static final long MAX_CONCEALED_SAMPLES = 10 * 60 * 48_000;

    private final OggPageWriter ogg;
    private final TrackStatistics statistics;
    private final RtpTimestamps timestamps = new RtpTimestamps();
    private boolean headersWritten;
    private long samplesWritten;
    private long samplesAtPageStart;
    private byte lastToc;

    OpusTrackFile(Path file, long ssrc, TrackStatistics statistics) throws IOException {
        this.ogg = new OggPageWriter(file, (int) ssrc);
        this.statistics = statistics;
    }

    @Override
    public void packet(RtpPacket packet) throws IOException {
        byte[] opus = packet.payload();
        int samples = OpusPackets.samples(opus);
        long at = timestamps.sinceFirst(packet.timestamp());
        if (!headersWritten) {
            writeHeaders(OpusPackets.isStereo(opus[0]) ? 2 : 1);
        }
        long missing = Math.min(at - samplesWritten, MAX_CONCEALED_SAMPLES);
        int concealedFrame = OpusPackets.samplesPerFrame(lastToc);
        for (; missing >= concealedFrame; missing -= concealedFrame) {
            append(OpusPackets.concealment(lastToc), concealedFrame);
        }
        append(opus, samples);
        lastToc = opus[0];
        statistics.written(1, opus.length);
    }

    @Override
    public void lost(long count) {
        // The timestamp gap before the next packet says how much audio to conceal.
        statistics.lost(count);
    }

    @Override
    public void close() throws IOException {
        try {
            if (ogg.packetsOnPage() > 0) {
                ogg.writePage(samplesWritten, true);
            }
        } finally {
            ogg.close();
        }
    }

    private void append(byte[] packet, int samples) throws IOException {
        if (ogg.packetsOnPage() > 0 && (samplesWritten - samplesAtPageStart >= PAGE_SAMPLES || !ogg.fits(packet))) {
            // RFC 7845 4: a page's granule position counts the samples up to the end of its last packet.
            ogg.writePage(samplesWritten, false);
            samplesAtPageStart = samplesWritten;
        }
        ogg.add(packet);
        samplesWritten += samples;
    }

    /** RFC 7845 3: the identification header alone on the first page, the comment header on the next. */
    private void writeHeaders(int channels) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
        head.put("OpusHead".getBytes(StandardCharsets.US_ASCII));
        head.put((byte) 1).put((byte) channels).putShort((short) PRE_SKIP);
        head.putInt(48_000).putShort((short) 0).put((byte) 0); // original rate, no gain, mapping family 0 (RFC 7845 5.1)
        ogg.add(head.array());
        ogg.writePage(0, false);

        byte[] vendor = "Ablak".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream tags = new ByteArrayOutputStream();
        tags.writeBytes("OpusTags".getBytes(StandardCharsets.US_ASCII));
        tags.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(vendor.length).array());
        tags.writeBytes(vendor);
        tags.writeBytes(new byte[4]); // no user comments (RFC 7845 5.2)
        ogg.add(tags.toByteArray());
        ogg.writePage(0, false);
        headersWritten = true;
    }
}
