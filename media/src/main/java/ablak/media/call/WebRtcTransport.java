package ablak.media.call;

import ablak.media.dtls.DtlsEndpoint;
import ablak.media.rtp.MediaKind;
import ablak.media.rtp.PacketBuffer;
import ablak.media.srtp.SrtpSession;
import org.ice4j.ice.Agent;
import org.ice4j.ice.Component;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;

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
    private volatile SrtpSession srtp;
    private volatile State state = State.CONNECTING;
    private volatile long lastReceivedNanos = createdNanos;
    private volatile double rttMillis = -1;

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
    DtlsEndpoint dtls() { return dtls; }
    long createdNanos() { return createdNanos; }
    long lastReceivedNanos() { return lastReceivedNanos; }
    void touch(long nowNanos) { lastReceivedNanos = nowNanos; }
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

    void send(PacketBuffer packet) throws IOException {
        component.send(packet.getBuffer(), packet.getOffset(), packet.getLength());
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
        dtls.shutdown();
        agent.free();
        SrtpSession session = srtp;
        if (session != null) {
            session.close();
        }
    }
}
