package ablak.media.peer;

import ablak.media.dtls.DtlsCertificate;
import ablak.media.dtls.DtlsClients;
import ablak.media.rtp.PacketBuffer;
import ablak.media.rtp.Rtcp;
import ablak.media.rtp.Rtp;
import ablak.media.srtp.SrtpSession;
import org.bouncycastle.tls.DatagramTransport;
import org.jitsi.srtp.SrtpErrorStatus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebRTC endpoint without a browser: offers Opus and VP8 with BUNDLE and rtcp-mux, runs ICE as the
 * controlling agent, DTLS as the client and SRTP, all with the libraries the SFU itself uses. Sends
 * synthetic RTP and counts what it receives. For fault tests, the churn test and the benchmark.
 */
public final class SyntheticPeer implements AutoCloseable, PeerNetwork.Receiver {
    private static final DtlsCertificate CERTIFICATE = DtlsCertificate.generate("synthetic-peer");

    private final DatagramChannel channel;
    private final String ufrag = random(8);
    private final String pwd = random(24);
    private final long tieBreaker = ThreadLocalRandom.current().nextLong();
    public final long audioSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    public final long videoSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    private final int extraSlots;
    private final BlockingQueue<byte[]> dtlsIn = new ArrayBlockingQueue<>(64);
    private volatile InetSocketAddress server;
    private final java.util.List<Long> announced = new java.util.ArrayList<>();
    private String serverUfrag;
    private String serverPwd;
    private String serverFingerprint;
    private volatile boolean checkAnswered;
    private volatile boolean checkSucceeded;
    private volatile SrtpSession srtp;
    private volatile boolean decryptIncoming = true;
    private volatile boolean keyframeWanted = true;
    private int audioSeq;
    private int videoSeq;
    private long audioTs;
    private long videoTs;

    public final AtomicLong rtpReceived = new AtomicLong();
    public final AtomicLong audioReceived = new AtomicLong();
    public volatile long lastVideoSsrc;
    public volatile int lastVideoSequence;
    public final AtomicLong videoReceived = new AtomicLong();
    public final AtomicLong rtpDecrypted = new AtomicLong();
    public final AtomicLong rtcpReceived = new AtomicLong();
    public final AtomicLong plisReceived = new AtomicLong();
    public final AtomicLong sent = new AtomicLong();
    /** Decrypted audio packets received, by their sender's voice (the first payload byte, see {@link #setVoice}). */
    public final java.util.concurrent.atomic.AtomicLongArray audioByVoice = new java.util.concurrent.atomic.AtomicLongArray(256);
    private volatile byte voice;

    public SyntheticPeer(PeerNetwork network, int extraSlots) throws IOException {
        this.channel = network.open(this);
        this.extraSlots = extraSlots;
    }

    public SyntheticPeer(PeerNetwork network) throws IOException {
        this(network, 0);
    }

    /**
     * Points the peer at a plain relay instead of the SFU, with SRTP keys of its own: it sends the same
     * encrypted packets as towards the SFU, for a baseline with the same sender work.
     */
    public void useRelay(InetSocketAddress relay) {
        server = relay;
        srtp = SrtpSession.forClient(DtlsClients.randomChromiumKeys());
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Skips SRTP on what arrives (the benchmark counts packets; decrypting would load its own CPU). */
    public void countOnly() {
        decryptIncoming = false;
    }

    public String offer() {
        return offer(CERTIFICATE.fingerprint());
    }

    /** An offer with a chosen fingerprint: a wrong one makes the SFU refuse our certificate. */
    public String offer(String fingerprint) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE");
        int sections = 2 + 2 * extraSlots;
        for (int i = 0; i < sections; i++) {
            sdp.append(' ').append(i);
        }
        sdp.append("\r\n");
        for (int i = 0; i < sections; i++) {
            boolean audio = i % 2 == 0;
            boolean own = i < 2;
            sdp.append(audio ? "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" : "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n");
            sdp.append("c=IN IP4 0.0.0.0\r\na=mid:").append(i).append("\r\n");
            sdp.append("a=ice-ufrag:").append(ufrag).append("\r\na=ice-pwd:").append(pwd).append("\r\n");
            sdp.append("a=fingerprint:sha-256 ").append(fingerprint).append("\r\n");
            sdp.append("a=setup:actpass\r\na=rtcp-mux\r\n").append(own ? "a=sendrecv\r\n" : "a=recvonly\r\n");
            if (audio) {
                sdp.append("a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n");
            } else {
                sdp.append("a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n")
                        .append("a=rtcp-fb:96 ccm fir\r\na=rtcp-fb:96 goog-remb\r\n");
            }
            if (own) {
                sdp.append("a=ssrc:").append(audio ? audioSsrc : videoSsrc).append(" cname:peer\r\n");
            }
        }
        return sdp.toString();
    }

    public void answer(String sdp) {
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=ice-ufrag:")) {
                serverUfrag = line.substring(12);
            } else if (line.startsWith("a=ice-pwd:")) {
                serverPwd = line.substring(10);
            } else if (line.startsWith("a=fingerprint:sha-256 ")) {
                serverFingerprint = line.substring(22);
            } else if (line.startsWith("a=ssrc:") && line.contains(" cname:")) {
                announced.add(Long.parseLong(line.substring(7, line.indexOf(' '))));
            } else if (line.startsWith("a=candidate:") && server == null) {
                String[] f = line.split(" ");
                server = new InetSocketAddress(f[4], Integer.parseInt(f[5]));
            }
        }
    }

    /** ICE, then DTLS, then SRTP; throws if any of them does not finish within {@code timeout}. */
    public void connect(Duration timeout) throws IOException {
        connectIceOnly(timeout);
        srtp = SrtpSession.forClient(DtlsClients.connect(CERTIFICATE, serverFingerprint, new Dtls()));
    }

    /** Runs ICE only: a peer that then never finishes DTLS. */
    public void connectIceOnly(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(checkSucceeded && checkAnswered)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("ICE did not complete");
            }
            send(Stun.bindingRequest(serverUfrag + ":" + ufrag, serverPwd, tieBreaker));
            sleep(20);
        }
    }

    public boolean iceCompleted() {
        return checkSucceeded;
    }

    /** A binding request signed with the wrong password: ice4j must reject it (RFC 5389 10.1.2). */
    public void sendCheckWithWrongPassword() throws IOException {
        send(Stun.bindingRequest(serverUfrag + ":" + ufrag, "wrong-password-wrong-password", tieBreaker));
    }

    /** Marks every audio packet this peer sends, so receivers can tell whose audio reached them. */
    public void setVoice(int value) {
        voice = (byte) value;
    }

    public void sendAudio() throws IOException {
        PacketBuffer p = rtp(mediaBuffer, 111, audioSsrc, audioSeq++, audioTs, 60, voice);
        audioTs += 960;
        sendRtp(p);
    }

    /** One VP8 packet of {@code size} bytes; the first packet of a frame carries the keyframe bit when asked. */
    public void sendVideo(int size, boolean frameStart, boolean lastOfFrame) throws IOException {
        boolean key = frameStart && keyframeWanted;
        if (key) {
            keyframeWanted = false;
        }
        PacketBuffer p = rtp(mediaBuffer, 96, videoSsrc, videoSeq++, videoTs, size, frameStart ? (byte) 0x10 : 0);
        byte[] b = p.getBuffer();
        b[13] = (byte) (key ? 0x00 : 0x01);
        if (lastOfFrame) {
            b[1] |= (byte) 0x80;
            videoTs += 3000;
        }
        sendRtp(p);
    }

    /** The SSRCs the SFU announced in its answer, in answer order: what this peer receives on. */
    public java.util.List<Long> announcedSsrcs() {
        return announced;
    }

    /** An RTP packet with an SSRC the offer did not announce. */
    public void sendUnknownSsrc() throws IOException {
        sendRtp(rtp(96, 12345, 1, 1, 100, (byte) 0x10));
    }

    /** An SRTP packet whose auth tag does not match. */
    public void sendForgedSrtp() throws IOException {
        PacketBuffer p = rtp(96, videoSsrc, videoSeq++, videoTs, 200, (byte) 0);
        srtp.encryptRtp(p);
        p.getBuffer()[p.getLength() - 1] ^= 0x55;
        sendRaw(Arrays.copyOf(p.getBuffer(), p.getLength()));
    }

    public void sendNack(long mediaSsrc, int seq) throws IOException {
        PacketBuffer p = new PacketBuffer(64);
        p.setLength(Rtcp.writeNack(p.getBuffer(), 0, videoSsrc, mediaSsrc, seq, 0));
        srtp.encryptRtcp(p);
        sendRaw(Arrays.copyOf(p.getBuffer(), p.getLength()));
    }

    /** Media packets are built in one reused buffer: only the pacing thread sends media for a peer. */
    private final PacketBuffer mediaBuffer = new PacketBuffer(1500 + PacketBuffer.HEADROOM);

    private PacketBuffer rtp(int pt, long ssrc, int seq, long ts, int payload, byte firstPayloadByte) {
        return rtp(new PacketBuffer(12 + payload + PacketBuffer.HEADROOM), pt, ssrc, seq, ts, payload, firstPayloadByte);
    }

    private static PacketBuffer rtp(PacketBuffer p, int pt, long ssrc, int seq, long ts, int payload, byte firstPayloadByte) {
        p.setOffset(0);
        byte[] b = p.getBuffer();
        b[0] = (byte) 0x80;
        b[1] = (byte) pt;
        Rtp.setSequence(b, 0, seq & 0xFFFF);
        Rtp.setTimestamp(b, 0, ts & 0xFFFFFFFFL);
        Rtp.setSsrc(b, 0, ssrc);
        b[12] = firstPayloadByte;
        p.setLength(12 + payload);
        return p;
    }

    private void sendRtp(PacketBuffer p) throws IOException {
        srtp.encryptRtp(p);
        sendRaw(p.getBuffer(), p.getLength());
    }

    public void sendRaw(byte[] data) throws IOException {
        sendRaw(data, data.length);
    }

    private void sendRaw(byte[] data, int length) throws IOException {
        channel.send(ByteBuffer.wrap(data, 0, length), server);
        sent.incrementAndGet();
    }

    private void send(byte[] data) throws IOException {
        channel.send(ByteBuffer.wrap(data), server);
    }

    @Override
    public void onDatagram(byte[] b, int len, InetSocketAddress from) {
        try {
            if (Stun.isStun(b, len)) {
                if (Stun.isRequest(b)) {
                    send(Stun.bindingSuccess(Arrays.copyOf(b, len), from, pwd));
                    checkAnswered = true;
                } else if (Stun.isSuccess(b)) {
                    checkSucceeded = true;
                }
                return;
            }
            switch (Rtp.classify(b, 0, len)) {
                case DTLS -> dtlsIn.offer(Arrays.copyOf(b, len));
                case RTP -> receiveRtp(b, len);
                case RTCP -> receiveRtcp(b, len);
                default -> { }
            }
        } catch (IOException e) {
            // The peer is closing.
        }
    }

    private void receiveRtp(byte[] b, int len) {
        rtpReceived.incrementAndGet();
        if (Rtp.payloadType(b, 0) == 111) {
            audioReceived.incrementAndGet();
        } else {
            videoReceived.incrementAndGet();
            lastVideoSsrc = Rtp.ssrc(b, 0);
            lastVideoSequence = Rtp.sequence(b, 0);
        }
        SrtpSession s = srtp;
        PacketBuffer clear = PacketBuffer.wrap(Arrays.copyOf(b, len), 0, len);
        if (decryptIncoming && s != null && s.decryptRtp(clear) == SrtpErrorStatus.OK) {
            rtpDecrypted.incrementAndGet();
            if (Rtp.payloadType(b, 0) == 111) {
                byte[] d = clear.getBuffer();
                audioByVoice.incrementAndGet(d[clear.getOffset() + Rtp.headerLength(d, clear.getOffset(), clear.getLength())] & 0xFF);
            }
        }
    }

    private void receiveRtcp(byte[] b, int len) {
        rtcpReceived.incrementAndGet();
        SrtpSession s = srtp;
        PacketBuffer p = PacketBuffer.wrap(Arrays.copyOf(b, len), 0, len);
        if (s == null || s.decryptRtcp(p) != SrtpErrorStatus.OK) {
            return;
        }
        byte[] d = p.getBuffer();
        for (int at = 0; at + 8 <= p.getLength(); at += (Rtp.readUint16(d, at + 2) + 1) * 4) {
            if ((d[at + 1] & 0xFF) == Rtcp.PSFB && (d[at] & 0x1F) == Rtcp.FMT_PLI) {
                plisReceived.incrementAndGet();
                keyframeWanted = true;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        SrtpSession s = srtp;
        if (s != null) {
            s.close();
        }
    }

    private static String random(int length) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
        }
        return s.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** DTLS over this peer's socket. */
    private final class Dtls implements DatagramTransport {
        @Override public int getReceiveLimit() { return 1472; }
        @Override public int getSendLimit() { return 1472; }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] record = dtlsIn.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (record == null) {
                    return -1;
                }
                System.arraycopy(record, 0, buf, off, Math.min(len, record.length));
                return Math.min(len, record.length);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            channel.send(ByteBuffer.wrap(buf, off, len), server);
        }

        @Override
        public void close() {
        }
    }
}
