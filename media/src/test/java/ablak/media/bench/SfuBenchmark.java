package ablak.media.bench;

import ablak.media.MediaSettings;
import ablak.media.call.Call;
import ablak.media.call.Participant;
import ablak.media.call.Role;
import ablak.media.call.Sfu;
import ablak.media.dtls.DtlsClients;
import ablak.media.peer.PeerMedia;
import ablak.media.peer.PeerNetwork;
import ablak.media.peer.SyntheticPeer;
import ablak.media.rtp.PacketBuffer;
import ablak.media.rtp.Rtp;
import ablak.media.srtp.SrtpKeys;
import ablak.media.srtp.SrtpSession;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures the SFU with synthetic DTLS-SRTP participants (no browser), beside a plain UDP relay in the same
 * run:
 * <ol>
 *   <li>saturation: publishers send 1200-byte packets as fast as they can, through the plain relay and
 *   through the SFU (1:1 calls) in alternating windows; forwarded packets per second, their ratio per round and
 *   its median;</li>
 *   <li>load steps: 1:1 calls of about 1.5 Mbit/s video plus Opus each, at a growing number of calls;
 *   forwarded packets/s, loss, CPU of the SFU's threads, added receive-to-send latency p50/p99.</li>
 * </ol>
 * Run: {@code mvn -B -q -pl media test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=ablak.media.bench.SfuBenchmark [-Dexec.args="25 50 100 150"]}
 */
public final class SfuBenchmark {
    private static final int SATURATION_PAIRS = 20;
    private static final int SATURATION_ROUNDS = 5;
    private static final Duration SATURATION_WARM_UP = Duration.ofMillis(500);
    private static final Duration SATURATION_TIME = Duration.ofSeconds(2);
    private static final Duration STEP_TIME = Duration.ofSeconds(6);

    public static void main(String[] args) throws Exception {
        List<Integer> steps = new ArrayList<>();
        for (String a : args) {
            steps.add(Integer.parseInt(a));
        }
        if (steps.isEmpty()) {
            steps = List.of(25, 50, 100, 150);
        }
        System.out.printf(Locale.ROOT, "cores: %d, JVM: %s, SRTP profile with Chromium's offer: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                DtlsClients.chromiumProfile());
        try (PeerNetwork network = new PeerNetwork()) {
            saturation(network);
            if (steps.get(0) == 0) {
                System.exit(0);
            }
            System.out.println();
            System.out.println("calls  in-Mbit/s  fwd-pkt/s  loss%   sfu-cpu%  process-cpu%  latency-p50-ms  latency-p99-ms"
                    + "  relay-fwd-pkt/s  relay-loss%  sfu-cpu-us/pkt  relay-cpu-us/pkt  cost-ratio  srtp-cpu-us/pkt  path-alloc-B/pkt");
            int best = 0;
            for (int calls : steps) {
                double[] relayLoad = relayStep(calls);
                StepResult r = loadStep(calls);
                System.out.printf(Locale.ROOT, "%5d  %9.1f  %9.0f  %5.2f  %8.1f  %12.1f  %14.3f  %14.3f  %15.0f  %11.2f  %14.2f  %16.2f  %10.2f  %15.2f  %15.0f%n",
                        calls, r.inMbps, r.forwardedPps, r.lossPercent, r.sfuCpuPercent, r.processCpuPercent, r.p50Millis,
                        r.p99Millis, relayLoad[0], relayLoad[1], r.cpuMicrosPerPacket, relayLoad[2],
                        relayLoad[2] == 0 ? 0 : relayLoad[2] / r.cpuMicrosPerPacket, srtpCpuMicrosPerPacket(), r.allocatedBytesPerPacket);
                if (r.lossPercent < 1 && r.p99Millis < 5) {
                    best = calls;
                }
            }
            System.out.printf(Locale.ROOT, "largest load with loss < 1%% and p99 < 5 ms: %d concurrent 1:1 calls%n", best);
        }
        System.exit(0);
    }

    /** A forwarder under saturation: what the senders do, what counts its forwarded packets, its threads' CPU. */
    record Forwarder(List<Burst> bursts, java.util.function.LongSupplier forwarded, java.util.function.LongSupplier cpuNanos) {
    }

    /**
     * The relay and the SFU, both set up first, then measured in alternating windows ({@link #SATURATION_ROUNDS}
     * rounds of relay then SFU, after one warm-up round): whatever else the machine does at a moment weighs on both, and the median of
     * the per-round ratios holds where one long window of each did not (single pairs of runs gave 0.52-0.75).
     */
    private static void saturation(PeerNetwork network) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        // Only the publishers send: the idle timeout must outlast the rounds in which the SFU's side rests.
        MediaSettings settings = MediaSettings.loopback().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofMinutes(5));
        try (PlainRelay relay = new PlainRelay(); Sfu sfu = Sfu.start(settings, new SimpleMeterRegistry())) {
            Forwarder plain = relayForwarder(relay, network, open);
            Forwarder ours = sfuForwarder(sfu, network, open);
            List<Double> ratios = new ArrayList<>();
            List<Double> costRatios = new ArrayList<>();
            // Round 0 warms up (the JIT compiles both paths in it) and is not counted.
            for (int round = 0; round <= SATURATION_ROUNDS; round++) {
                double[] r = blast(plain);
                double[] f = blast(ours);
                if (round > 0) {
                    ratios.add(f[0] / r[0]);
                    costRatios.add(r[1] / f[1]);
                }
                System.out.printf(Locale.ROOT, "saturation %s, %d 1:1 pairs, 1200-byte packets: plain relay %.0f pkt/s,"
                        + " SFU %.0f pkt/s, ratio %.2f; CPU per packet: relay %.2f us, SFU %.2f us, cost ratio %.2f%n",
                        round == 0 ? "warm-up" : "round " + round, SATURATION_PAIRS, r[0], f[0], f[0] / r[0], r[1], f[1], r[1] / f[1]);
            }
            System.out.printf(Locale.ROOT, "saturation, median of %d rounds: SFU / relay packet rate %.2f, cost ratio %.2f%n",
                    SATURATION_ROUNDS, median(ratios), median(costRatios));
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * Plain channels sending through the relay as fast as two threads can. The senders SRTP-encrypt what
     * they send exactly as in the SFU run (the relay forwards ciphertext it cannot read, like a TURN server),
     * so both runs load the shared cores with the same sender work.
     */
    private static Forwarder relayForwarder(PlainRelay relay, PeerNetwork network, List<AutoCloseable> open) throws Exception {
        List<DatagramChannel> senders = new ArrayList<>();
        for (int i = 0; i < SATURATION_PAIRS; i++) {
            DatagramChannel a = plainChannel();
            // Receivers read on the peers' selector thread, as the SFU run's peers do.
            DatagramChannel b = network.open((data, length, from) -> { });
            relay.pair(a.getLocalAddress(), b.getLocalAddress());
            senders.add(a);
            open.add(a);
            open.add(b);
        }
        InetSocketAddress to = relay.address();
        List<Burst> bursts = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            List<DatagramChannel> mine = senders.subList(t * senders.size() / 2, (t + 1) * senders.size() / 2);
            SrtpSession srtp = SrtpSession.forClient(DtlsClients.randomChromiumKeys());
            int[] seq = {0};
            PacketBuffer p = new PacketBuffer(1212 + PacketBuffer.HEADROOM);
            bursts.add(() -> {
                for (DatagramChannel s : mine) {
                    p.getBuffer()[0] = (byte) 0x80;
                    p.getBuffer()[1] = 96;
                    Rtp.setSequence(p.getBuffer(), 0, seq[0]++ & 0xFFFF);
                    Rtp.setSsrc(p.getBuffer(), 0, 1);
                    p.setLength(1212);
                    srtp.encryptRtp(p);
                    s.send(ByteBuffer.wrap(p.getBuffer(), 0, p.getLength()), to);
                }
            });
        }
        return new Forwarder(bursts, relay.forwarded::get, () -> threadCpuNanos("plain-relay"));
    }

    private static DatagramChannel plainChannel() throws Exception {
        DatagramChannel c = DatagramChannel.open();
        c.bind(new InetSocketAddress("127.0.0.1", 0));
        return c;
    }

    /** SRTP publishers in 1:1 calls sending through the SFU as fast as two threads can. */
    private static Forwarder sfuForwarder(Sfu sfu, PeerNetwork network, List<AutoCloseable> open) throws Exception {
        List<SyntheticPeer> peers = connectCalls(sfu, network, SATURATION_PAIRS);
        open.addAll(peers);
        peers.forEach(SyntheticPeer::countOnly);
        List<SyntheticPeer> publishers = new ArrayList<>();
        for (int i = 0; i < peers.size(); i += 2) {
            publishers.add(peers.get(i));
        }
        for (SyntheticPeer p : publishers) {
            p.sendVideo(1200, true, true);
        }
        List<Burst> bursts = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            List<SyntheticPeer> mine = publishers.subList(t * publishers.size() / 2, (t + 1) * publishers.size() / 2);
            bursts.add(() -> {
                for (SyntheticPeer p : mine) {
                    p.sendVideo(1200, false, false);
                }
            });
        }
        return new Forwarder(bursts, sfu.metrics()::forwardedCount, SfuBenchmark::sfuCpuNanos);
    }

    interface Burst {
        void run() throws Exception;
    }

    /**
     * Runs each burst of {@code forwarder} in a loop on its own thread; returns how fast its forwarded count grew
     * meanwhile, and its CPU per packet. Saturated, the forwarder never waits for a packet, so this is its cost
     * per packet without the wake-ups of paced load.
     */
    private static double[] blast(Forwarder forwarder) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(forwarder.bursts().size());
        for (Burst burst : forwarder.bursts()) {
            threads.submit(() -> {
                try {
                    while (running.get()) {
                        burst.run();
                    }
                } catch (Exception e) {
                    System.out.println("sender stopped: " + e);
                }
                return null;
            });
        }
        Thread.sleep(SATURATION_WARM_UP.toMillis());
        long start = forwarder.forwarded().getAsLong();
        long cpu0 = forwarder.cpuNanos().getAsLong();
        long t0 = System.nanoTime();
        Thread.sleep(SATURATION_TIME.toMillis());
        long forwarded = forwarder.forwarded().getAsLong() - start;
        double pps = forwarded * 1e9 / (System.nanoTime() - t0);
        double cpuPerPacket = forwarded == 0 ? 0 : (forwarder.cpuNanos().getAsLong() - cpu0) / 1000.0 / forwarded;
        running.set(false);
        threads.shutdown();
        threads.awaitTermination(5, TimeUnit.SECONDS);
        return new double[] {pps, cpuPerPacket};
    }

    record StepResult(double inMbps, double forwardedPps, double lossPercent, double sfuCpuPercent,
                      double processCpuPercent, double p50Millis, double p99Millis, double cpuMicrosPerPacket,
                      double allocatedBytesPerPacket) {
    }

    /** {@code calls} 1:1 calls, each participant sending 3 x 1200-byte video packets and 1 Opus packet per 20 ms. */
    private static StepResult loadStep(int calls) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Sfu sfu = Sfu.start(MediaSettings.loopback(), registry);
             PeerNetwork network = new PeerNetwork()) {
            List<SyntheticPeer> peers = connectCalls(sfu, network, calls);
            network.stopReading();
            try (PeerMedia media = new PeerMedia(peers, 3, 1200)) {
                Thread.sleep(1500);
                long sent0 = peers.stream().mapToLong(p -> p.sent.get()).sum();
                long forwarded0 = sfu.metrics().forwardedCount();
                long cpu0 = sfuCpuNanos();
                long allocated0 = sfuAllocatedBytes();
                double processCpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                Thread.sleep(STEP_TIME.toMillis());
                long elapsed = System.nanoTime() - t0;
                long sent = peers.stream().mapToLong(p -> p.sent.get()).sum() - sent0;
                long forwarded = sfu.metrics().forwardedCount() - forwarded0;
                double forwardedPps = forwarded * 1e9 / elapsed;
                long sfuCpuUsed = sfuCpuNanos() - cpu0;
                long sfuAllocated = sfuAllocatedBytes() - allocated0;
                double sfuCpu = sfuCpuUsed * 100.0 / elapsed;
                double processCpu = (processCpuNanos() - processCpu0) * 100.0 / elapsed;
                double p50 = 0;
                double p99 = 0;
                for (ValueAtPercentile v : sfu.metrics().forwardLatency().takeSnapshot().percentileValues()) {
                    if (v.percentile() == 0.5) {
                        p50 = v.value(TimeUnit.MILLISECONDS);
                    } else if (v.percentile() == 0.99) {
                        p99 = v.value(TimeUnit.MILLISECONDS);
                    }
                }
                double inMbps = sent * 1232.0 * 3 / 4 * 8 / 1e6 / (elapsed / 1e9);
                // In a 1:1 call every packet sent is forwarded exactly once: what is missing was lost in the SFU.
                double loss = sent == 0 ? 0 : Math.max(0, 100.0 * (sent - forwarded) / sent);
                media.close();
                StringBuilder drops = new StringBuilder();
                for (ablak.media.stats.DropReason reason : ablak.media.stats.DropReason.values()) {
                    long n = sfu.metrics().droppedCount(reason);
                    if (n > 0) {
                        drops.append(' ').append(reason.tag()).append('=').append(n);
                    }
                }
                if (drops.length() > 0) {
                    System.out.println("       dropped:" + drops);
                }
                closeAll(peers);
                double perPacket = forwarded == 0 ? 0 : sfuCpuUsed / 1000.0 / forwarded;
                return new StepResult(inMbps, forwardedPps, loss, sfuCpu, processCpu, p50, p99, perPacket,
                        forwarded == 0 ? 0 : (double) sfuAllocated / forwarded);
            }
        }
    }

    /**
     * CPU time of the SRTP work the SFU does per forwarded packet in a 1:1 call: one decrypt and one encrypt of
     * a 1212-byte RTP packet, on this thread, right after the step so it runs under the same machine load. The
     * SFU's cost per packet is about the relay's (receive + send) plus this; what is left is the packet path.
     * The publisher's encryption, which the harness does, is timed alone and subtracted.
     */
    private static double srtpCpuMicrosPerPacket() {
        SrtpKeys keys = DtlsClients.randomChromiumKeys();
        SrtpSession publisher = SrtpSession.forClient(keys);
        SrtpSession sfu = SrtpSession.forServer(keys);
        PacketBuffer p = new PacketBuffer(1500);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int warmUp = 20_000;
        int measured = 100_000;
        long cpu0 = 0;
        for (int i = 0; i < warmUp + measured; i++) {
            if (i == warmUp) {
                cpu0 = mx.getCurrentThreadCpuTime();
            }
            byte[] b = p.getBuffer();
            p.setLength(1212);
            b[0] = (byte) 0x80;
            b[1] = 96;
            Rtp.setSequence(b, 0, i & 0xFFFF);
            Rtp.setTimestamp(b, 0, i);
            Rtp.setSsrc(b, 0, 1);
            publisher.encryptRtp(p);
            sfu.decryptRtp(p);
            sfu.encryptRtp(p);
        }
        long both = mx.getCurrentThreadCpuTime() - cpu0;
        SrtpSession other = SrtpSession.forClient(keys);
        long cpu1 = 0;
        for (int i = 0; i < warmUp + measured; i++) {
            if (i == warmUp) {
                cpu1 = mx.getCurrentThreadCpuTime();
            }
            p.setLength(1212);
            Rtp.setSequence(p.getBuffer(), 0, i & 0xFFFF);
            Rtp.setSsrc(p.getBuffer(), 0, 2);
            other.encryptRtp(p);
        }
        long harness = mx.getCurrentThreadCpuTime() - cpu1;
        publisher.close();
        sfu.close();
        other.close();
        return Math.max(0, both - harness) / 1000.0 / measured;
    }

    /** The same paced load through the plain relay: forwarded packets/s and loss. */
    private static double[] relayStep(int calls) throws Exception {
        try (PlainRelay relay = new PlainRelay(); PeerNetwork network = new PeerNetwork()) {
            network.stopReading();
            List<SyntheticPeer> peers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                SyntheticPeer a = new SyntheticPeer(network);
                SyntheticPeer b = new SyntheticPeer(network);
                a.useRelay(relay.address());
                b.useRelay(relay.address());
                relay.pair(a.localAddress(), b.localAddress());
                peers.add(a);
                peers.add(b);
            }
            try (PeerMedia media = new PeerMedia(peers, 3, 1200)) {
                Thread.sleep(1500);
                long sent0 = peers.stream().mapToLong(p -> p.sent.get()).sum();
                long forwarded0 = relay.forwarded.get();
                long cpu0 = threadCpuNanos("plain-relay");
                long t0 = System.nanoTime();
                Thread.sleep(STEP_TIME.toMillis());
                long elapsed = System.nanoTime() - t0;
                long sent = peers.stream().mapToLong(p -> p.sent.get()).sum() - sent0;
                long forwarded = relay.forwarded.get() - forwarded0;
                double perPacket = forwarded == 0 ? 0 : (threadCpuNanos("plain-relay") - cpu0) / 1000.0 / forwarded;
                media.close();
                closeAll(peers);
                return new double[] {forwarded * 1e9 / elapsed, sent == 0 ? 0 : Math.max(0, 100.0 * (sent - forwarded) / sent),
                        perPacket};
            }
        }
    }

    static List<SyntheticPeer> connectCalls(Sfu sfu, PeerNetwork network, int calls) throws Exception {
        ExecutorService connecting = Executors.newFixedThreadPool(8);
        List<Future<SyntheticPeer>> futures = new ArrayList<>();
        for (int i = 0; i < calls * 2; i++) {
            Call call = sfu.call("bench-" + i / 2);
            String id = (i % 2 == 0 ? "citizen-" : "clerk-") + i / 2;
            Role role = i % 2 == 0 ? Role.CITIZEN : Role.CLERK;
            futures.add(connecting.submit(() -> {
                SyntheticPeer peer = new SyntheticPeer(network);
                Participant p = call.join(id, role);
                peer.answer(p.connect(peer.offer()).result());
                peer.connect(Duration.ofSeconds(20));
                return peer;
            }));
        }
        List<SyntheticPeer> peers = new ArrayList<>();
        for (Future<SyntheticPeer> f : futures) {
            peers.add(f.get());
        }
        connecting.shutdown();
        return peers;
    }

    private static void closeAll(List<SyntheticPeer> peers) throws Exception {
        for (SyntheticPeer p : peers) {
            p.close();
        }
    }

    /** CPU time of the SFU's own threads: the media port's receive thread (the packet path) and the RTCP timer. */
    private static long sfuCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            // Not the DTLS handshake threads: their work is per connection, and one that ends between two
            // readings would take its CPU time out of the difference.
            if (n.contains("AbstractUdpListener") || n.equals("ablak-media-timer")) {
                long cpu = mx.getThreadCpuTime(t.getId());
                total += Math.max(0, cpu);
            }
        }
        return total;
    }

    /**
     * Heap bytes the media receive thread (the packet path) allocated: unlike CPU time this does not depend on the
     * machine's load. Handshake threads are left out: they end during a step and take their counts with them.
     */
    private static long sfuAllocatedBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains("AbstractUdpListener")) {
                total += Math.max(0, mx.getThreadAllocatedBytes(t.getId()));
            }
        }
        return total;
    }

    private static long threadCpuNanos(String name) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                total += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    private static double processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private SfuBenchmark() {
    }

}
