package ablak.media.call;

import ablak.media.MediaSettings;
import ablak.media.dtls.DtlsCertificate;
import ablak.media.dtls.DtlsEndpoint;
import ablak.media.ice.MediaPort;
import ablak.media.ice.ReceiveBuffers;
import ablak.media.rtp.MediaKind;
import ablak.media.rtp.PacketBuffer;
import ablak.media.rtp.Rtcp;
import ablak.media.sdp.Negotiated;
import ablak.media.sdp.SdpAnswer;
import ablak.media.sdp.SdpException;
import ablak.media.sdp.SdpOffer;
import ablak.media.sdp.SdpParser;
import ablak.media.srtp.SrtpSession;
import ablak.media.stats.MediaMetrics;
import ablak.media.stats.ParticipantStats;
import ablak.media.turn.TurnCredentials;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.ice4j.ice.Agent;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The selective forwarding unit of one node: one UDP port, one DTLS certificate, the calls on it. Start it
 * once with {@link #start}; create calls, let participants join and connect with their SDP offers.
 */
public final class Sfu implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sfu.class);

    private final MediaSettings settings;
    private final MediaMetrics metrics;
    private final List<MediaPort> ports;
    private final List<InetSocketAddress> candidates;
    private final DtlsCertificate certificate;
    private final PacketPath path;
    private final ExecutorService handshakes;
    private final ScheduledExecutorService timer;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final Set<WebRtcTransport> transports = ConcurrentHashMap.newKeySet();
    /** Transports by their local ICE ufrag, to hand them the sockets ice4j creates for their remote addresses. */
    private final Map<String, WebRtcTransport> byUfrag = new ConcurrentHashMap<>();
    private final Map<Participant, List<Meter>> participantMeters = new ConcurrentHashMap<>();
    private final String cname = "ablak-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

    /** A transport and the answer that describes it. */
    record NewTransport(WebRtcTransport transport, String answer) {
    }

    private Sfu(MediaSettings settings, MeterRegistry registry) throws IOException {
        this.settings = settings;
        this.metrics = new MediaMetrics(registry);
        this.ports = openPorts(settings, registry);
        this.candidates = advertised(settings, ports);
        this.certificate = DtlsCertificate.generate("ablak");
        this.path = new PacketPath(this, metrics);
        ports.forEach(port -> port.onSession((ufrag, socket) -> {
            WebRtcTransport t = byUfrag.get(ufrag);
            if (t != null) {
                t.addRemoteSocket(socket);
            }
        }));
        AtomicInteger n = new AtomicInteger();
        // Handshake threads live only while handshakes run: idle ones end after a few seconds.
        this.handshakes = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "ablak-dtls-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ablak-media-timer"));
        long interval = settings.rtcpReportInterval().toMillis();
        timer.scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.MILLISECONDS);
        Gauge.builder("ablak.media.calls", calls, Map::size).description("calls on this node").register(registry);
        Gauge.builder("ablak.media.transports", transports, Set::size).description("open transports").register(registry);
        LOG.info("SFU listening on {} advertising {}", ports.stream().map(MediaPort::address).toList(), candidates);
    }

    /**
     * Opens the media port and warms up SRTP. Never asks cloud metadata or STUN servers for a public
     * address: a NAT mapping is configured with {@link MediaSettings#advertisedAddresses()}.
     */
    public static Sfu start(MediaSettings settings, MeterRegistry registry) throws IOException {
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        System.setProperty("ice4j.harvest.mapping.stun.enabled", "false");
        System.setProperty("org.ice4j.ipv6.DISABLE_LINK_LOCAL_ADDRESSES", "true");
        System.setProperty("ice4j.harvest.udp.receive-buffer-size", Integer.toString(settings.udpReceiveBufferBytes()));
        // Send on the socket that receives, as a plain relay does: ice4j's default pool of one socket per core
        // serves senders on many threads, but here one receive thread sends nearly everything, and the pool
        // costs two monitors per packet to pick a socket.
        System.setProperty("ice4j.harvest.udp.socket-pool-size", "1");
        AbstractUdpListener.USE_PUSH_API = true;
        ReceiveBuffers.install();
        SrtpSession.warmUp();
        return new Sfu(settings, registry);
    }

    private static List<MediaPort> openPorts(MediaSettings settings, MeterRegistry registry) throws IOException {
        InetAddress bind = InetAddress.getByName(settings.bindAddress());
        List<InetSocketAddress> addresses = new ArrayList<>();
        if (bind.isAnyLocalAddress()) {
            // ice4j needs a concrete address per candidate: one socket per allowed interface address.
            AbstractUdpListener.getAllowedAddresses(settings.port())
                    .forEach(a -> addresses.add(new InetSocketAddress(a.getAddress(), a.getPort())));
        } else {
            addresses.add(new InetSocketAddress(bind, settings.port()));
        }
        List<MediaPort> ports = new ArrayList<>();
        int port = settings.port();
        for (InetSocketAddress a : addresses) {
            MediaPort p = new MediaPort(new InetSocketAddress(a.getAddress(), port), settings.acceptLoopbackOnly(), registry);
            port = p.address().getPort();
            ports.add(p);
        }
        if (ports.isEmpty()) {
            throw new IOException("no address to bind the media port to");
        }
        return ports;
    }

    private static List<InetSocketAddress> advertised(MediaSettings settings, List<MediaPort> ports) throws IOException {
        if (settings.advertisedAddresses().isEmpty()) {
            return ports.stream().map(MediaPort::address).toList();
        }
        int port = ports.get(0).address().getPort();
        List<InetSocketAddress> result = new ArrayList<>();
        for (String a : settings.advertisedAddresses()) {
            result.add(new InetSocketAddress(InetAddress.getByName(a), port));
        }
        return result;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public MediaSettings settings() { return settings; }
    public MediaMetrics metrics() { return metrics; }
    /** The addresses clients reach the media port at (host candidates in every answer). */
    public List<InetSocketAddress> addresses() { return candidates; }
    /** SHA-256 fingerprint of the DTLS certificate, as in {@code a=fingerprint} (RFC 8122). */
    public String fingerprint() { return certificate.fingerprint(); }

    /** The call with this id, created if it does not exist yet. */
    public Call call(String callId) {
        return calls.computeIfAbsent(callId, id -> new Call(this, id));
    }

    public Optional<Call> findCall(String callId) {
        return Optional.ofNullable(calls.get(callId));
    }

    public List<Call> calls() {
        return List.copyOf(calls.values());
    }

    /** Stats of every participant of every call: what the server pushes to clerks and wallboards. */
    public List<ParticipantStats> stats() {
        List<ParticipantStats> all = new ArrayList<>();
        for (Call c : calls.values()) {
            c.participants().forEach(p -> all.add(p.stats()));
        }
        return all;
    }

    /** TURN credentials for one client (TURN REST API); empty when no TURN server is configured. */
    public Optional<TurnCredentials> turnCredentials(String user) {
        return Optional.ofNullable(settings.turn()).map(t -> TurnCredentials.issue(t, user, Instant.now()));
    }

    /** Number of open transports (ICE agents); for health checks and the churn test. */
    public int transportCount() {
        return transports.size();
    }

    NewTransport createTransport(Participant p, String offerText) throws SdpException {
        SdpOffer offer = SdpParser.parse(offerText, settings.maxSdpBytes());
        // Every role may send: whom a track reaches is the call's decision (a supervisor's reaches nobody until
        // they whisper or barge in), so a supervisor changes mode without a new offer.
        List<Negotiated> sections = offer.media().stream().map(m -> Negotiated.of(m, true)).toList();
        if (sections.stream().noneMatch(Negotiated::accepted)) {
            throw new SdpException(SdpException.Reason.NO_ACCEPTABLE_MEDIA, "no section offers Opus, VP8 or H.264");
        }
        Agent agent = new Agent();
        try {
            agent.setControlling(false);
            agent.setUseDynamicPorts(false);
            agent.setPerformConsentFreshness(true);
            ports.forEach(agent::addCandidateHarvester);
            IceMediaStream stream = agent.createMediaStream("media");
            stream.setRemoteUfrag(offer.iceUfrag());
            stream.setRemotePassword(offer.icePwd());
            Component component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, true);

            List<Track> tracks = new ArrayList<>();
            List<SendStream> sendStreams = new ArrayList<>();
            List<SdpAnswer.Outgoing> outgoing = new ArrayList<>();
            Set<Long> used = new HashSet<>();
            int[] slotsByKind = new int[2];
            WebRtcTransport[] holder = new WebRtcTransport[1];
            long localSsrc = newSsrc(used);
            DtlsEndpoint dtls = new DtlsEndpoint(certificate, offer.fingerprint(),
                    (int) settings.dtlsHandshakeTimeout().toMillis(),
                    (b, off, len) -> component.send(b, off, len));
            WebRtcTransport transport = new WebRtcTransport(p, agent, component, dtls, tracks, sendStreams, localSsrc,
                    settings.earlySrtpPackets());
            holder[0] = transport;
            byUfrag.put(agent.getLocalUfrag(), transport);
            for (Negotiated n : sections) {
                if (!n.accepted()) {
                    outgoing.add(null);
                    continue;
                }
                var codec = n.codec().orElseThrow();
                int pt = n.payloadType().orElseThrow().pt();
                if (n.receive()) {
                    long ssrc = n.offered().ssrcs().isEmpty() ? 0 : n.offered().ssrcs().get(0);
                    tracks.add(new Track(p, transport, n.offered().mid(), codec, pt, ssrc, settings.packetCacheSize()));
                }
                if (n.send()) {
                    int slot = slotsByKind[codec.kind().ordinal()]++;
                    long ssrc = newSsrc(used);
                    sendStreams.add(new SendStream(transport, n.offered().mid(), slot, codec, pt, ssrc));
                    outgoing.add(new SdpAnswer.Outgoing(ssrc, "ablak-" + slot, "ablak-" + slot + "-" + codec.kind().sdpName()));
                } else {
                    outgoing.add(null);
                }
            }
            component.setBufferCallback(buffer -> {
                path.receive(holder[0], buffer);
                ReceiveBuffers.give(buffer);
            });
            agent.addStateChangeListener(e -> {
                if (e.getNewValue() == IceProcessingState.FAILED) {
                    close(transport, "ICE failed");
                }
            });
            agent.startConnectivityEstablishment();
            String answer = SdpAnswer.write(sections, outgoing, agent.getLocalUfrag(), agent.getLocalPassword(),
                    certificate.fingerprint(), candidates, cname);
            return new NewTransport(transport, answer);
        } catch (IOException | RuntimeException e) {
            byUfrag.remove(agent.getLocalUfrag());
            agent.free();
            throw new IllegalStateException("cannot create an ICE agent", e);
        }
    }

    private static long newSsrc(Set<Long> used) {
        long ssrc;
        do {
            ssrc = ThreadLocalRandom.current().nextLong(1, 0x100000000L);
        } while (!used.add(ssrc));
        return ssrc;
    }

    /** Registers the transport and starts its DTLS handshake; it is closed if it does not connect in time. */
    void start(WebRtcTransport t) {
        transports.add(t);
        t.dtls().start(handshakes, keys -> {
            path.secure(t, SrtpSession.forServer(keys));
            LOG.debug("{} connected", t.participant());
            t.participant().call().transportSecured(t);
        }, failure -> {
            metrics.dtlsFailed();
            LOG.info("{}: DTLS failed: {}", t.participant(), failure.toString());
            close(t, "DTLS failed");
        });
    }

    private void close(WebRtcTransport t, String reason) {
        byUfrag.remove(t.iceUfrag(), t);
        if (transports.remove(t)) {
            LOG.info("{}: transport closed: {}", t.participant(), reason);
            t.participant().call().transportClosed(t);
        }
    }

    /** Frees a transport that its call no longer uses. */
    void release(WebRtcTransport t) {
        byUfrag.remove(t.iceUfrag(), t);
        transports.remove(t);
        t.close();
    }

    /** Rate-limited PLI towards the publisher of {@code track} (RFC 4585 6.3). */
    void requestKeyframe(Track track) {
        if (track.kind() == MediaKind.VIDEO
                && track.tryStartKeyframeRequest(System.nanoTime(), settings.keyframeRequestInterval().toNanos())) {
            path.sendPli(track);
        }
    }

    void participantJoined(Participant p) {
        MeterRegistry r = metrics.registry();
        Tags tags = Tags.of("call", p.call().id(), "participant", p.id(), "role", p.role().name().toLowerCase());
        List<Meter> meters = List.of(
                FunctionCounter.builder("ablak.media.participant.packets", p, x -> x.packetsIn.sum()).tags(tags).tag("direction", "in").register(r),
                FunctionCounter.builder("ablak.media.participant.packets", p, x -> x.packetsOut.sum()).tags(tags).tag("direction", "out").register(r),
                FunctionCounter.builder("ablak.media.participant.bytes", p, x -> x.bytesIn.sum()).tags(tags).tag("direction", "in").register(r),
                FunctionCounter.builder("ablak.media.participant.bytes", p, x -> x.bytesOut.sum()).tags(tags).tag("direction", "out").register(r),
                FunctionCounter.builder("ablak.media.participant.keyframes.requested", p, x -> x.keyframesRequested.sum()).tags(tags).register(r),
                Gauge.builder("ablak.media.participant.lost", p, x -> x.stats().packetsLost()).tags(tags).register(r),
                Gauge.builder("ablak.media.participant.jitter", p, x -> x.stats().jitterMillis() / 1000).tags(tags).baseUnit("seconds").register(r),
                Gauge.builder("ablak.media.participant.rtt", p, x -> x.stats().rttMillis() / 1000).tags(tags).baseUnit("seconds").register(r),
                Gauge.builder("ablak.media.participant.bitrate", p, x -> x.stats().bitrateInBps()).tags(tags).tag("direction", "in").baseUnit("bits/s").register(r),
                Gauge.builder("ablak.media.participant.bitrate", p, x -> x.stats().bitrateOutBps()).tags(tags).tag("direction", "out").baseUnit("bits/s").register(r));
        participantMeters.put(p, meters);
    }

    void participantLeft(Participant p) {
        List<Meter> meters = participantMeters.remove(p);
        if (meters != null) {
            meters.forEach(metrics.registry()::remove);
        }
    }

    void callClosed(Call call) {
        calls.remove(call.id(), call);
    }

    /** Once per report interval: timeouts, bitrates, pending keyframe requests, then SR/RR/REMB. */
    private void tick() {
        try {
            long now = System.nanoTime();
            for (WebRtcTransport t : transports) {
                if (t.state() == WebRtcTransport.State.CONNECTING
                        && now - t.createdNanos() > settings.connectTimeout().toNanos()) {
                    metrics.transportTimedOut();
                    close(t, "not connected within " + settings.connectTimeout());
                } else if (t.state() == WebRtcTransport.State.CONNECTED
                        && now - t.lastReceivedNanos() > settings.idleTimeout().toNanos()) {
                    metrics.transportTimedOut();
                    close(t, "nothing received for " + settings.idleTimeout());
                } else if (t.state() == WebRtcTransport.State.CONNECTED) {
                    for (Track track : t.tracks()) {
                        if (track.pendingRequestDue(now, settings.keyframeRequestInterval().toNanos())) {
                            requestKeyframe(track);
                        }
                    }
                    // A request can be lost (a PLI before the publisher's own keys were ready is dropped by
                    // its browser): a subscriber still waiting asks again, at the rate limit, until it is served.
                    for (SendStream stream : t.sendStreams()) {
                        Track source = stream.source();
                        if (source != null && stream.waitingForKeyframe()) {
                            requestKeyframe(source);
                        }
                    }
                    report(t, now);
                }
            }
            for (Call c : calls.values()) {
                c.participants().forEach(p -> p.tickRates(now));
            }
        } catch (RuntimeException e) {
            LOG.warn("media report tick failed", e);
        }
    }

    /**
     * RTCP the SFU originates (RFC 3550 6.4, RFC 7667 3.7): towards a publisher, a receiver report about each
     * of its streams plus REMB to govern its bitrate; towards a subscriber, a sender report per send stream so
     * it can sync audio with video and measure the round trip.
     */
    private void report(WebRtcTransport t, long now) {
        List<Track> reported = new ArrayList<>();
        for (Track track : t.tracks()) {
            if (track.ssrc() != 0 && track.stats().received() > 0) {
                reported.add(track);
            }
        }
        if (!reported.isEmpty()) {
            PacketBuffer out = new PacketBuffer(1400);
            byte[] b = out.getBuffer();
            int at = Rtcp.writeReceiverReportHeader(b, 0, t.localSsrc(), reported.size());
            for (Track track : reported) {
                track.stats().writeReportBlock(b, at, track.ssrc(), now);
                at += Rtcp.REPORT_BLOCK;
            }
            at += Rtcp.writeSdesCname(b, at, t.localSsrc(), cname);
            long[] video = reported.stream().filter(x -> x.kind() == MediaKind.VIDEO)
                    .mapToLong(Track::ssrc).toArray();
            if (video.length > 0) {
                at += Rtcp.writeRemb(b, at, t.localSsrc(), settings.videoBitrateBps(), video);
            }
            out.setLength(at);
            path.sendRtcp(t, out);
        }
        long ntp = Rtcp.ntpNow();
        for (SendStream s : t.sendStreams()) {
            long packets = s.packetsSent();
            if (packets == 0) {
                continue;
            }
            PacketBuffer out = new PacketBuffer(200);
            byte[] b = out.getBuffer();
            int at = Rtcp.writeSenderReport(b, 0, s.ssrc(), ntp, s.timestampNow(now), packets, s.octetsSent());
            at += Rtcp.writeSdesCname(b, at, s.ssrc(), cname);
            out.setLength(at);
            path.sendRtcp(t, out);
        }
    }

    @Override
    public void close() {
        calls.values().forEach(Call::close);
        timer.shutdownNow();
        handshakes.shutdownNow();
        ports.forEach(SinglePortUdpHarvester::close);
    }

}
