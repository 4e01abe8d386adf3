package ablak.media.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling the SFU is measured against: one UDP socket, one thread, each datagram sent on to its
 * partner's address, no parsing and no crypto.
 */
final class PlainRelay implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<SocketAddress, SocketAddress> partners = new ConcurrentHashMap<>();
    final AtomicLong forwarded = new AtomicLong();
    private final Thread thread;

    PlainRelay() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        // The same receive buffer as the SFU's media socket (MediaSettings.udpReceiveBufferBytes).
        socket.setReceiveBufferSize(ablak.media.MediaSettings.defaults().udpReceiveBufferBytes());
        thread = new Thread(this::run, "plain-relay");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void pair(SocketAddress a, SocketAddress b) {
        partners.put(a, b);
        partners.put(b, a);
    }

    private void run() {
        byte[] buffer = new byte[1500];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                packet.setData(buffer, 0, buffer.length);
                socket.receive(packet);
                SocketAddress to = partners.get(packet.getSocketAddress());
                if (to != null) {
                    packet.setSocketAddress(to);
                    socket.send(packet);
                    forwarded.incrementAndGet();
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
