package ablak.media.ice;

import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;

import java.util.ArrayDeque;

/**
 * Reuses the buffers ice4j receives datagrams into (its push API lets the application supply them, as
 * jitsi-videobridge does). Without it every datagram is a fresh array, and at tens of thousands of packets
 * a second the garbage collector's pauses are long enough for the socket buffer to overflow.
 *
 * <p>Each thread keeps its own free list: a media port's receive thread takes a buffer and, with the push
 * API, gives it back itself once the packet path returns, so no lock is taken per packet (a shared
 * blocking queue's lock cost about a tenth of the receive thread's time in profiles).
 */
public final class ReceiveBuffers {
    /** Ethernet MTU: nothing larger arrives on the media port. */
    private static final int SIZE = 1500;
    /** Buffers a thread keeps; a thread that only gives back (ice4j's STUN threads) drops the rest. */
    private static final int PER_THREAD = 64;
    private static final ThreadLocal<ArrayDeque<Buffer>> FREE = ThreadLocal.withInitial(() -> new ArrayDeque<>(PER_THREAD));

    private ReceiveBuffers() {
    }

    /** Installs the pool into ice4j; call before the first media port is opened. */
    public static void install() {
        BufferPool.getBuffer = ReceiveBuffers::take;
        BufferPool.returnBuffer = buffer -> {
            give(buffer);
            return kotlin.Unit.INSTANCE;
        };
    }

    private static Buffer take(int size) {
        if (size > SIZE) {
            return new Buffer(new byte[size], 0, size);
        }
        Buffer b = FREE.get().poll();
        if (b == null) {
            return new Buffer(new byte[SIZE], 0, size);
        }
        b.setOffset(0);
        b.setLength(size);
        b.setReceivedTime(null);
        b.setRemoteAddress(null);
        b.setLocalAddress(null);
        return b;
    }

    /** Hands a buffer back once the packet path is done with it; nothing may keep a reference to it. */
    public static void give(Buffer buffer) {
        ArrayDeque<Buffer> free = FREE.get();
        if (buffer.getBuffer().length == SIZE && free.size() < PER_THREAD) {
            free.push(buffer);
        }
    }
}
