package ablak.media.ice;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * The one UDP socket that carries every call (ice4j's single-port harvester, as jitsi-videobridge runs it).
 * A datagram from an unknown address is only accepted if it is a STUN Binding Request whose USERNAME names
 * a live transport (RFC 8445 7.3); everything else on the port is dropped by ice4j before it reaches us.
 * Optionally it refuses sessions from non-loopback sources, so tests keep all traffic on 127.0.0.1.
 */
public final class MediaPort extends SinglePortUdpHarvester {
    private final boolean acceptLoopbackOnly;
    private final Counter refusedSources;
    private volatile BiConsumer<String, DatagramSocket> sessionListener = (ufrag, socket) -> { };

    public MediaPort(InetSocketAddress bind, boolean acceptLoopbackOnly, MeterRegistry registry) throws IOException {
        super(new TransportAddress(bind.getAddress(), bind.getPort(), Transport.UDP));
        this.acceptLoopbackOnly = acceptLoopbackOnly;
        this.refusedSources = Counter.builder("ablak.media.ice.refused")
                .description("ICE sessions refused because the source address is not allowed")
                .register(registry);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(getLocalAddress().getAddress(), getLocalAddress().getPort());
    }

    /**
     * Told of every socket ice4j creates for a remote address that passed a connectivity check, with the
     * local ICE ufrag it checked against. The socket sends to that address on this port; holding it lets
     * a transport send without ice4j's per-packet pair and socket lookups.
     */
    public void onSession(BiConsumer<String, DatagramSocket> listener) {
        this.sessionListener = listener;
    }

    @Override
    protected MySocket maybeAcceptNewSession(Buffer buf, InetSocketAddress remote, String ufrag) {
        if (acceptLoopbackOnly && !remote.getAddress().isLoopbackAddress()) {
            refusedSources.increment();
            return null;
        }
        MySocket socket = super.maybeAcceptNewSession(buf, remote, ufrag);
        if (socket != null) {
            sessionListener.accept(ufrag, socket);
        }
        return socket;
    }
}
