package ablak.media.call;

import ablak.media.dtls.DtlsEndpoint;
import ablak.media.rtp.MediaKind;
import ablak.media.rtp.PacketBuffer;
import ablak.media.srtp.SrtpProfile;
import ablak.media.srtp.SrtpSession;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.Component;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One participant's connection: an ICE agent with one component (BUNDLE and rtcp-mux, RFC 8843 and
 * RFC 5761), a DTLS association and the SRTP session keyed from it. Created by
 * {@link Participant#connect(String)}; a reconnect creates a new one and closes the old.
 */
public final class WebRtcTransport {
    /** How far a transport has come. */
    public enum State { CONNECTING, CONNECTED, CLOSED }

    private final Participant participant;
    private final Agent agent;
    private final Component component;
    private final DtlsEndpoint dtls;
    private final List<Track> tracks;
    private final List<SendStream> sendStreams;
    private final long localSsrc;
    private final long createdNanos = System.nanoTime();
    private final int earlyLimit;
    /** Serialises everything received on this transport: the receive thread and the replay of early packets. */
    final Object inbound = new Object();
    private final ArrayDeque<byte[]> early = new ArrayDeque<>();
    /** The packet being decrypted, pointed at the datagram in place; used only under {@link #inbound}. */
    final PacketBuffer received = new PacketBuffer(0);
    /**
     * Where the packet path builds what it sends while handling a packet this transport received (forwarded
     * copies, retransmissions); used only under {@link #inbound}, so no packet allocates one.
     */
    final PacketBuffer outgoing = new PacketBuffer(1500 + PacketBuffer.HEADROOM);
    private volatile SrtpSession srtp;
    private volatile State state = State.CONNECTING;
    private volatile long lastReceivedNanos = createdNanos;
    private volatile double rttMillis = -1;
    /** ice4j's sockets towards each remote address that passed a connectivity check on this transport. */
    private final List<DatagramSocket> remoteSockets = new CopyOnWriteArrayList<>();
    private volatile Route route;
    /**
     * The datagram handed to the socket, reused so a packet allocates none; several threads may send on one
     * transport (each media port's receive thread, the RTCP timer), so it is used under its own monitor.
     */
    private final DatagramPacket datagram = new DatagramPacket(new byte[0], 0);

    /** The socket that reaches the remote end of {@code pair}, ICE's selected pair when it was resolved. */
    private record Route(CandidatePair pair, DatagramSocket socket) {
    }

    WebRtcTransport(Participant participant, Agent agent, Component component, DtlsEndpoint dtls,
                    List<Track> tracks, List<SendStream> sendStreams, long localSsrc, int earlyLimit) {
        this.participant = participant;
        this.agent = agent;
        this.component = component;
        this.dtls = dtls;
        this.tracks = tracks;
        this.sendStreams = sendStreams;
        this.localSsrc = localSsrc;
        this.earlyLimit = earlyLimit;
    }

    public Participant participant() { return participant; }
    public State state() { return state; }
    public List<Track> tracks() { return tracks; }
    public List<SendStream> sendStreams() { return sendStreams; }
    /** The SSRC the SFU uses as sender of its own RTCP on this transport (RR, PLI, REMB). */
    public long localSsrc() { return localSsrc; }
    public double rttMillis() { return rttMillis; }
    String iceUfrag() { return agent.getLocalUfrag(); }

    SrtpSession srtp() { return srtp; }
    /** The SRTP profile DTLS settled; null until the handshake is done. */
    public SrtpProfile srtpProfile() {
        SrtpSession session = srtp;
        return session == null ? null : session.profile();
    }
    DtlsEndpoint dtls() { return dtls; }
    long createdNanos() { return createdNanos; }
    long lastReceivedNanos() { return lastReceivedNanos; }
    /**
     * Notes that something arrived. Only for the idle timeout, which counts seconds: written at most once a
     * millisecond, since a volatile write per packet costs a fence.
     */
    void touch(long nowNanos) {
        if (nowNanos - lastReceivedNanos >= 1_000_000) {
            lastReceivedNanos = nowNanos;
        }
    }
    void rtt(double millis) { rttMillis = millis; }

    Track trackBySsrc(long ssrc) {
        for (Track t : tracks) {
            if (t.ssrc() == ssrc) {
                return t;
            }
        }
        return null;
    }

    /** A published track not yet tied to an SSRC: the offer did not signal one (RFC 8843 9.2 allows that). */
    Track unlatchedTrack(int payloadType) {
        for (Track t : tracks) {
            if (t.ssrc() == 0 && t.payloadType() == payloadType) {
                return t;
            }
        }
        return null;
    }

    Track track(MediaKind kind) {
        for (Track t : tracks) {
            if (t.kind() == kind) {
                return t;
            }
        }
        return null;
    }

    SendStream sendStreamBySsrc(long ssrc) {
        for (SendStream s : sendStreams) {
            if (s.ssrc() == ssrc) {
                return s;
            }
        }
        return null;
    }

    int slotCount() {
        int max = 0;
        for (SendStream s : sendStreams) {
            max = Math.max(max, s.slot() + 1);
        }
        return max;
    }

    SendStream sendStream(MediaKind kind, int slot) {
        for (SendStream s : sendStreams) {
            if (s.kind() == kind && s.slot() == slot) {
                return s;
            }
        }
        return null;
    }

    /** Keeps an SRTP packet that came before the keys; false if the buffer is full. */
    boolean keepEarly(byte[] b, int off, int len) {
        if (early.size() >= earlyLimit) {
            return false;
        }
        early.add(java.util.Arrays.copyOfRange(b, off, off + len));
        return true;
    }

    /** Installs the keys and hands back what arrived before them, in order. Caller holds {@link #inbound}. */
    List<byte[]> secure(SrtpSession session) {
        srtp = session;
        state = State.CONNECTED;
        List<byte[]> replay = List.copyOf(early);
        early.clear();
        return replay;
    }

    /** ice4j created a socket for a remote address that checked against this transport's ufrag. */
    void addRemoteSocket(DatagramSocket socket) {
        remoteSockets.add(socket);
    }

    /**
     * Sends on ICE's selected pair, as {@link Component#send} does, but resolves the pair's socket once per
     * selected pair instead of per packet (ice4j looks it up in a map keyed by address and wraps it twice on
     * every send: a tenth of the receive thread's time at 40k packets/s).
     */
    void send(PacketBuffer packet) throws IOException {
        CandidatePair selected = component.getSelectedPair();
        Route r = route;
        if (r == null || r.pair() != selected) {
            r = resolve(selected);
        }
        if (r.socket() == null) {
            component.send(packet.getBuffer(), packet.getOffset(), packet.getLength());
        } else {
            synchronized (datagram) {
                datagram.setData(packet.getBuffer(), packet.getOffset(), packet.getLength());
                r.socket().send(datagram);
            }
        }
    }

    private Route resolve(CandidatePair selected) {
        DatagramSocket found = null;
        if (selected != null) {
            InetSocketAddress remote = selected.getRemoteCandidate().getTransportAddress();
            for (DatagramSocket s : remoteSockets) {
                if (s.getRemoteSocketAddress() instanceof InetSocketAddress a && a.getPort() == remote.getPort()
                        && a.getAddress().equals(remote.getAddress())) {
                    found = s;
                }
            }
        }
        Route r = new Route(selected, found);
        route = r;
        return r;
    }

    /** Frees the ICE agent, DTLS and SRTP; idempotent. */
    void close() {
        synchronized (inbound) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            early.clear();
        }
        component.setBufferCallback(null);
        remoteSockets.clear();
        route = null;
        dtls.shutdown();
        agent.free();
        SrtpSession session = srtp;
        if (session != null) {
            session.close();
        }
    }
}
