package ablak.media.dtls;

import ablak.media.srtp.SrtpKeys;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One DTLS server association over an ICE transport. DTLS records arrive from the packet path through
 * {@link #receiveFromNetwork}; BouncyCastle's blocking handshake runs on a worker thread that reads them
 * from a small queue. After the handshake the worker keeps reading a little longer, so that if our last
 * flight was lost the client's retransmission gets it again (RFC 6347 4.2.4), then it ends: no thread per
 * transport is held for the life of a call.
 */
public final class DtlsEndpoint implements DatagramTransport {
    /** Ethernet MTU less IP and UDP headers. */
    private static final int MTU = 1472;
    private static final long RETRANSMIT_WINDOW_MILLIS = 3000;

    /** Sends one datagram on the ICE transport. */
    @FunctionalInterface
    public interface Sender {
        void send(byte[] data, int off, int len) throws IOException;
    }

    private final DtlsCertificate certificate;
    private final String remoteFingerprint;
    private final int handshakeTimeoutMillis;
    private final Sender sender;
    private final BlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(64);
    private volatile boolean closed;
    /** Set by {@link #start}, taken once a record is queued. */
    private final AtomicReference<Runnable> handshake = new AtomicReference<>();

    public DtlsEndpoint(DtlsCertificate certificate, String remoteFingerprint, int handshakeTimeoutMillis, Sender sender) {
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.sender = sender;
    }

    /**
     * Queues a DTLS record from the peer, starting the handshake on the first one; false if it was dropped
     * because the handshake is not reading.
     */
    public boolean receiveFromNetwork(byte[] b, int off, int len) {
        boolean queued = !closed && inbound.offer(Arrays.copyOfRange(b, off, off + len));
        if (queued) {
            runHandshakeOnce();
        }
        return queued;
    }

    /**
     * Prepares the handshake; it runs on {@code executor} once the client's first record arrives, so the
     * handshake timeout counts from the ClientHello, and a peer that never sends DTLS holds no thread.
     * Exactly one of the callbacks is called, unless the endpoint is shut down first.
     */
    public void start(Executor executor, Consumer<SrtpKeys> onKeys, Consumer<Exception> onFailure) {
        handshake.set(() -> executor.execute(() -> {
            DTLSTransport transport;
            try {
                DtlsServer server = new DtlsServer(certificate, remoteFingerprint, handshakeTimeoutMillis);
                transport = new DTLSServerProtocol().accept(server, this);
                onKeys.accept(server.srtpKeys());
            } catch (Exception e) {
                if (!closed) {
                    onFailure.accept(e);
                }
                return;
            }
            serveRetransmissions(transport);
        }));
        if (!inbound.isEmpty()) {
            runHandshakeOnce();
        }
    }

    private void runHandshakeOnce() {
        Runnable start = handshake.getAndSet(null);
        if (start != null) {
            start.run();
        }
    }

    private void serveRetransmissions(DTLSTransport transport) {
        byte[] buf = new byte[MTU];
        long deadline = System.currentTimeMillis() + RETRANSMIT_WINDOW_MILLIS;
        try {
            while (!closed && System.currentTimeMillis() < deadline) {
                transport.receive(buf, 0, buf.length, 200);
            }
        } catch (IOException ignored) {
            // The peer closed DTLS or sent garbage after the handshake: SRTP keys are already in use.
        }
    }

    /** Ends the association from our side: a running handshake fails at its next read. */
    public void shutdown() {
        closed = true;
        inbound.clear();
    }

    /** BouncyCastle closes the datagram transport when a handshake ends badly; {@link #shutdown} is ours. */
    @Override
    public void close() {
    }

    @Override
    public int getReceiveLimit() {
        return MTU;
    }

    @Override
    public int getSendLimit() {
        return MTU;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        byte[] record;
        try {
            record = inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        if (record == null) {
            if (closed) {
                throw new IOException("transport closed");
            }
            return -1;
        }
        int n = Math.min(len, record.length);
        System.arraycopy(record, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        try {
            sender.send(buf, off, len);
        } catch (IOException e) {
            // ICE may not have validated the pair yet when the first flight goes out (RFC 8445 12.1 lets
            // the controlled side see media before it sees the nomination). DTLS retransmits on its own
            // timer (RFC 6347 4.2.4), so a send that fails now is a lost datagram, not a failed handshake.
        }
    }
}
