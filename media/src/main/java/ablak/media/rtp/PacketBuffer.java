package ablak.media.rtp;

import org.jitsi.utils.ByteArrayBuffer;

import java.util.Arrays;

/**
 * A packet in a byte array with room to grow: SRTP appends the auth tag in place (RFC 3711 3.1), so a
 * buffer is allocated with {@link #HEADROOM} spare bytes at the end.
 */
public final class PacketBuffer implements ByteArrayBuffer {
    /** SRTP auth tag (10) plus SRTCP index (4), rounded up. */
    public static final int HEADROOM = 32;

    private byte[] buffer;
    private int offset;
    private int length;

    public PacketBuffer(int capacity) {
        this.buffer = new byte[capacity];
    }

    /** Copies a packet into a fresh buffer with headroom. */
    public static PacketBuffer copyOf(byte[] data, int off, int len) {
        PacketBuffer packet = new PacketBuffer(len + HEADROOM);
        System.arraycopy(data, off, packet.buffer, 0, len);
        packet.length = len;
        return packet;
    }

    /** Points at an existing packet without copying; for decrypting in place, which only shrinks it. */
    public static PacketBuffer wrap(byte[] data, int off, int len) {
        PacketBuffer packet = new PacketBuffer(0);
        packet.buffer = data;
        packet.offset = off;
        packet.length = len;
        return packet;
    }

    /** Points this buffer at an existing packet without copying, like {@link #wrap}, reusing this object. */
    public PacketBuffer pointAt(byte[] data, int off, int len) {
        buffer = data;
        offset = off;
        length = len;
        return this;
    }

    /** Replaces the content with a copy of the given bytes, reusing the array when it is large enough. */
    public PacketBuffer set(byte[] data, int off, int len) {
        if (buffer.length < len + HEADROOM) {
            buffer = new byte[len + HEADROOM];
        }
        System.arraycopy(data, off, buffer, 0, len);
        offset = 0;
        length = len;
        return this;
    }

    @Override public byte[] getBuffer() { return buffer; }
    @Override public int getOffset() { return offset; }
    @Override public int getLength() { return length; }
    @Override public void setLength(int len) { this.length = len; }
    @Override public void setOffset(int off) { this.offset = off; }
    @Override public boolean isInvalid() { return false; }

    @Override
    public void readRegionToBuff(int off, int len, byte[] outBuff) {
        System.arraycopy(buffer, offset + off, outBuff, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (offset + length + howMuch > buffer.length) {
            buffer = Arrays.copyOf(buffer, offset + length + howMuch);
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        length = Math.max(0, length - len);
    }
}
