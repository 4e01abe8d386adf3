package ablak.media.rtp;

/**
 * The last packets of one published stream, decrypted, indexed by sequence number, so a subscriber's NACK
 * (RFC 4585 6.2.1) is answered by the SFU instead of travelling back to the publisher. A fixed ring: slots
 * are reused, so its memory does not grow with the length of a call.
 */
public final class PacketCache {
    private final byte[][] packets;
    private final int[] lengths;
    private final int[] sequences;
    private final int mask;

    public PacketCache(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        packets = new byte[capacity][];
        lengths = new int[capacity];
        sequences = new int[capacity];
        mask = capacity - 1;
        java.util.Arrays.fill(sequences, -1);
    }

    public synchronized void put(byte[] b, int off, int len) {
        int seq = Rtp.sequence(b, off);
        int i = seq & mask;
        byte[] slot = packets[i];
        if (slot == null || slot.length < len) {
            slot = new byte[Math.max(len, 1200)];
            packets[i] = slot;
        }
        System.arraycopy(b, off, slot, 0, len);
        lengths[i] = len;
        sequences[i] = seq;
    }

    /** Copies the packet with this sequence number into {@code into}; false if it is no longer kept. */
    public synchronized boolean get(int seq, PacketBuffer into) {
        int i = seq & mask;
        if (sequences[i] != seq || packets[i] == null) {
            return false;
        }
        into.set(packets[i], 0, lengths[i]);
        return true;
    }
}
