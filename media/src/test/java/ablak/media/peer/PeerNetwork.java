package ablak.media.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The network of many synthetic peers: one loopback UDP socket each, all read by one selector thread, so a
 * benchmark with hundreds of peers does not need hundreds of threads.
 */
public final class PeerNetwork implements AutoCloseable {
    /** Receives one datagram; {@code data} is only valid during the call. */
    public interface Receiver {
        void onDatagram(byte[] data, int length, InetSocketAddress from);
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Object[]> pending = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private volatile boolean reading = true;

    public PeerNetwork() throws IOException {
        selector = Selector.open();
        thread = new Thread(this::run, "synthetic-peers");
        thread.setDaemon(true);
        thread.start();
    }

    public DatagramChannel open(Receiver receiver) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        pending.add(new Object[] {channel, receiver});
        selector.wakeup();
        return channel;
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        byte[] data = buffer.array();
        while (!closed) {
            try {
                selector.select(100);
                Object[] registration;
                while ((registration = pending.poll()) != null) {
                    ((DatagramChannel) registration[0]).register(selector, SelectionKey.OP_READ, registration[1]);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (!reading) {
                        key.cancel();
                        continue;
                    }
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    Receiver receiver = (Receiver) key.attachment();
                    SocketAddress from;
                    while ((from = channel.receive(buffer.clear())) != null) {
                        receiver.onDatagram(data, buffer.position(), (InetSocketAddress) from);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    e.printStackTrace();
                }
            }
        }
    }

    /**
     * Stops reading what arrives: the kernel drops it once a socket's buffer is full. The benchmark measures
     * what the SFU forwarded, so the peers need not spend the shared cores receiving it.
     */
    public void stopReading() {
        reading = false;
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
    }
}
