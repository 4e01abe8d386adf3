package ablak.media.ice;

import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reuses the buffers ice4j receives datagrams into (its push API lets the application supply them, as
 * jitsi-videobridge does). Without it every datagram is a fresh array, and at tens of thousands of packets
 * a second the garbage collector's pauses are long enough for the socket buffer to overflow.
 */
public final class ReceiveBuffers {
    /** Ethernet MTU: nothing larger arrives on the media port. */
    private static final int SIZE = 1500;
    private static final ArrayBlockingQueue<Buffer> FREE = new ArrayBlockingQueue<>(4096);

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
        Buffer b = FREE.poll();
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
        if (buffer.getBuffer().length == SIZE) {
            FREE.offer(buffer);
        }
    }
}
