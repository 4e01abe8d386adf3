package ablak.media.call;

import ablak.media.MediaSettings;
import ablak.media.peer.PeerNetwork;
import ablak.media.peer.SyntheticPeer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hundreds of participants join, connect (ICE, DTLS, SRTP, media) and leave: afterwards the SFU holds no
 * more threads, transports, meters or heap than before.
 */
class ParticipantChurnTest {
    private static final int ROUNDS = 3;
    private static final int PER_ROUND = 100;

    @Test
    void joiningAndLeavingHundredsOfParticipantsLeavesNothingBehind() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // Connected peers go quiet while the rest of their round connects, which takes longer than the
        // default idle timeout on a loaded machine: the test is about what leaving leaves behind.
        MediaSettings settings = MediaSettings.loopback().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5));
        try (Sfu sfu = Sfu.start(settings, registry);
             PeerNetwork network = new PeerNetwork()) {
            ExecutorService clients = Executors.newFixedThreadPool(8);
            churn(sfu, network, clients, 0);
            Conditions.await(Duration.ofSeconds(20), "handshake threads end", () -> dtlsThreads() == 0);
            long threadsAfterFirstRound = ownThreads();
            int metersAfterFirstRound = registry.getMeters().size();
            long heapAfterFirstRound = usedHeapAfterGc();

            for (int round = 1; round < ROUNDS; round++) {
                churn(sfu, network, clients, round);
            }
            Conditions.await(Duration.ofSeconds(20), "handshake threads end", () -> dtlsThreads() == 0);

            assertThat(sfu.transportCount()).isZero();
            assertThat(sfu.calls().stream().mapToInt(c -> c.participants().size()).sum()).isZero();
            assertThat(registry.getMeters()).hasSize(metersAfterFirstRound);
            // ice4j's shared cached pools keep idle threads for 60 s and grow with the peak of concurrent
            // handshakes, which a loaded machine raises: they are bounded by one round's participants, while
            // a leak would pile up across rounds. Every other thread must be gone.
            assertThat(ownThreads()).as(threadNames()).isLessThanOrEqualTo(threadsAfterFirstRound + 4);
            assertThat(ice4jPoolThreads()).as(threadNames()).isLessThanOrEqualTo(PER_ROUND);
            assertThat(usedHeapAfterGc() - heapAfterFirstRound).isLessThan(32L << 20);
            clients.shutdownNow();
        }
    }

    /** {@code PER_ROUND} participants in 1:1 calls, connected with media, then all leave. */
    private static void churn(Sfu sfu, PeerNetwork network, ExecutorService clients, int round) throws Exception {
        List<Future<SyntheticPeer>> connecting = new ArrayList<>();
        for (int i = 0; i < PER_ROUND; i++) {
            Call call = sfu.call("churn-" + round + "-" + i / 2);
            String id = "p" + i;
            connecting.add(clients.submit(() -> {
                SyntheticPeer peer = new SyntheticPeer(network);
                Participant p = call.join(id, Role.CITIZEN);
                peer.answer(p.connect(peer.offer()).result());
                peer.connect(Duration.ofSeconds(10));
                for (int k = 0; k < 5; k++) {
                    peer.sendAudio();
                    peer.sendVideo(800, true, true);
                }
                return peer;
            }));
        }
        List<SyntheticPeer> peers = new ArrayList<>();
        for (Future<SyntheticPeer> f : connecting) {
            peers.add(f.get());
        }
        assertThat(sfu.transportCount()).isEqualTo(PER_ROUND);
        for (Call call : sfu.calls()) {
            call.close();
        }
        for (SyntheticPeer peer : peers) {
            peer.close();
        }
    }

    private static long ice4jPoolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(ParticipantChurnTest::inIce4jPool).count();
    }

    private static long ownThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !inIce4jPool(t)).count();
    }

    private static boolean inIce4jPool(Thread thread) {
        return thread.getName().startsWith("ice4j.") && thread.getName().contains("-pool-");
    }

    private static String threadNames() {
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        Thread.getAllStackTraces().keySet().forEach(t -> byName.merge(t.getName().replaceAll("[0-9]+", "#"), 1L, Long::sum));
        return byName.toString();
    }

    private static long dtlsThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("ablak-dtls")).count();
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
