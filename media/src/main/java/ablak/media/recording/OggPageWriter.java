package ablak.media.recording;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one logical Ogg bitstream (RFC 3533): packets are laced into 255-byte segments and grouped
 * into pages, each with its own header and CRC, so every page written is independently readable.
 */
final class OggPageWriter {

    private static final int MAX_SEGMENTS = 255;
    private static final int[] CRC_TABLE = crcTable();

    private final FileChannel channel;
    private final int serialNumber;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final ByteArrayOutputStream lacing = new ByteArrayOutputStream();
    private int pageSequence;
    private int packetsOnPage;

    OggPageWriter(Path file, int serialNumber) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.serialNumber = serialNumber;
    }

    /** Whether the packet still fits on the page being built (RFC 3533 6: at most 255 lacing values). */
    boolean fits(byte[] packet) {
        return lacing.size() + packet.length / 255 + 1 <= MAX_SEGMENTS;
    }

    int packetsOnPage() {
        return packetsOnPage;
    }

    void add(byte[] packet) {
        if (!fits(packet)) {
            throw new IllegalStateException("packet of " + packet.length + " bytes does not fit the page");
        }
        // RFC 3533 6: a packet is laced as 255-byte segments ending with one shorter than 255 (possibly 0).
        for (int remaining = packet.length; ; remaining -= 255) {
            lacing.write(Math.min(remaining, 255));
            if (remaining < 255) {
                break;
            }
        }
        body.write(packet, 0, packet.length);
        packetsOnPage++;
    }

    /** Writes the page built so far, whose last packet ends at {@code granulePosition}. */
    void writePage(long granulePosition, boolean endOfStream) throws IOException {
        byte[] segments = lacing.toByteArray();
        ByteBuffer page = ByteBuffer.allocate(27 + segments.length + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        page.put((byte) 'O').put((byte) 'g').put((byte) 'g').put((byte) 'S');
        page.put((byte) 0); // stream structure version
        int headerType = (pageSequence == 0 ? 0x02 : 0) | (endOfStream ? 0x04 : 0); // beginning / end of stream
        page.put((byte) headerType);
        page.putLong(granulePosition);
        page.putInt(serialNumber);
        page.putInt(pageSequence++);
        page.putInt(0); // CRC, computed over the page with this field zero
        page.put((byte) segments.length);
        page.put(segments);
        page.put(body.toByteArray());
        page.putInt(22, crc(page.array()));
        page.flip();
        while (page.hasRemaining()) {
            channel.write(page);
        }
        body.reset();
        lacing.reset();
        packetsOnPage = 0;
    }

    void close() throws IOException {
        try (channel) {
            channel.force(true);
        }
    }

    /** RFC 3533 6: CRC-32 with generator 0x04c11db7, initial value 0, no reflection, no final XOR. */
    private static int crc(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xFF];
        }
        return crc;
    }

    private static int[] crcTable() {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04c11db7 : r << 1;
            }
            table[i] = r;
        }
        return table;
    }
}
