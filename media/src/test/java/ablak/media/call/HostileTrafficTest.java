package ablak.media.call;

import ablak.media.MediaSettings;
import ablak.media.peer.PeerMedia;
import ablak.media.peer.PeerNetwork;
import ablak.media.peer.SyntheticPeer;
import ablak.media.sdp.SdpException;
import ablak.media.stats.DropReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad traffic on the media port is dropped and counted, and a healthy call on the same port goes on
 * undisturbed: every test checks that the healthy subscriber keeps receiving while the fault happens.
 */
class HostileTrafficTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Sfu sfu;
    private static PeerNetwork network;
    private static SyntheticPeer healthyPublisher;
    private static SyntheticPeer healthySubscriber;
    private static PeerMedia media;

    @BeforeAll
    static void startHealthyCall() throws Exception {
        sfu = Sfu.start(MediaSettings.loopback().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(4),
                Duration.ofSeconds(10)), new SimpleMeterRegistry());
        network = new PeerNetwork();
        Call call = sfu.call("healthy");
        healthyPublisher = connect(call, "publisher");
        healthySubscriber = connect(call, "subscriber");
        media = new PeerMedia(List.of(healthyPublisher, healthySubscriber), 2, 1000);
        Conditions.await(WAIT, "healthy call carries media", () -> healthySubscriber.rtpDecrypted.get() > 50);
    }

    @AfterAll
    static void stop() throws Exception {
        media.close();
        healthyPublisher.close();
        healthySubscriber.close();
        network.close();
        sfu.close();
    }

    static SyntheticPeer connect(Call call, String id) throws Exception {
        SyntheticPeer peer = new SyntheticPeer(network);
        Participant p = call.join(id, Role.CITIZEN);
        peer.answer(p.connect(peer.offer()).result());
        peer.connect(Duration.ofSeconds(5));
        return peer;
    }

    private static void leaveAll(Call call) {
        call.participants().forEach(Participant::leave);
    }

    private static void assertHealthyCallStillFlows() {
        long before = healthySubscriber.rtpDecrypted.get();
        Conditions.await(WAIT, "the healthy call keeps flowing", () -> healthySubscriber.rtpDecrypted.get() > before + 50);
    }

    @Test
    void garbageFromStrangersNeverReachesACall() throws Exception {
        try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress port = sfu.addresses().get(0);
            byte[] stunLike = new byte[20];
            stunLike[4] = 0x21;
            stunLike[5] = 0x12;
            stunLike[6] = (byte) 0xA4;
            stunLike[7] = 0x42;
            for (int i = 0; i < 500; i++) {
                byte[] junk = new byte[ThreadLocalRandom.current().nextInt(0, 1400)];
                ThreadLocalRandom.current().nextBytes(junk);
                stranger.send(new DatagramPacket(junk, junk.length, port));
                stranger.send(new DatagramPacket(stunLike, stunLike.length, port));
            }
        }
        assertHealthyCallStillFlows();
        assertThat(sfu.transportCount()).isEqualTo(2);
    }

    @Test
    void garbageAndTruncatedPacketsFromAConnectedPeerAreDroppedAndCounted() throws Exception {
        Call call = sfu.call("garbage");
        SyntheticPeer peer = connect(call, "noisy");
        long before = sfu.metrics().droppedCount(DropReason.GARBAGE);
        peer.sendRaw(new byte[] {(byte) 0x80});
        peer.sendRaw(new byte[] {(byte) 0x90, 96, 0, 1, 0, 0, 0, 1});
        peer.sendRaw(new byte[] {5, 6, 7, 8, 9});
        Conditions.await(WAIT, "garbage counted", () -> sfu.metrics().droppedCount(DropReason.GARBAGE) >= before + 3);
        assertHealthyCallStillFlows();
        peer.close();
        leaveAll(call);
    }

    @Test
    void aCheckWithTheWrongPasswordGetsNoAnswer() throws Exception {
        SyntheticPeer peer = new SyntheticPeer(network);
        Participant p = sfu.call("wrong-password").join("intruder", Role.CITIZEN);
        peer.answer(p.connect(peer.offer()).result());
        for (int i = 0; i < 20; i++) {
            peer.sendCheckWithWrongPassword();
        }
        assertHealthyCallStillFlows();
        assertThat(peer.iceCompleted()).isFalse();
        peer.close();
        p.leave();
    }

    @Test
    void rtpWithAnUnknownSsrcIsDroppedAndCounted() throws Exception {
        Call call = sfu.call("unknown-ssrc");
        SyntheticPeer peer = connect(call, "stranger-ssrc");
        long before = sfu.metrics().droppedCount(DropReason.UNKNOWN_SSRC);
        for (int i = 0; i < 10; i++) {
            peer.sendUnknownSsrc();
        }
        Conditions.await(WAIT, "unknown SSRCs counted", () -> sfu.metrics().droppedCount(DropReason.UNKNOWN_SSRC) >= before + 10);
        assertHealthyCallStillFlows();
        peer.close();
        leaveAll(call);
    }

    @Test
    void srtpThatFailsAuthenticationIsDroppedAndCountedForItsParticipant() throws Exception {
        Call call = sfu.call("forged");
        SyntheticPeer peer = connect(call, "forger");
        for (int i = 0; i < 10; i++) {
            peer.sendForgedSrtp();
        }
        Participant forger = call.participant("forger").orElseThrow();
        Conditions.await(WAIT, "auth failures counted", () -> forger.stats().srtpFailures() == 10);
        assertHealthyCallStillFlows();
        assertThat(call.participant("forger")).isPresent();
        peer.close();
    }

    @Test
    void aHostileOfferIsRefusedWithItsReasonAndCreatesNothing() {
        Participant p = sfu.call("hostile-sdp").join("hostile", Role.CITIZEN);
        int transports = sfu.transportCount();
        var result = p.connect("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:" + "x".repeat(100_000));
        assertThat(result.failed()).isTrue();
        assertThat(result.cause()).isInstanceOf(SdpException.class);
        assertThat(((SdpException) result.cause()).reason()).isEqualTo(SdpException.Reason.TOO_LARGE);
        assertThat(p.transport()).isNull();
        assertThat(sfu.transportCount()).isEqualTo(transports);
        p.leave();
    }

    @Test
    void aPeerThatNeverFinishesDtlsIsClosedAndCounted() throws Exception {
        Call call = sfu.call("silent-dtls");
        int transports = sfu.transportCount();
        SyntheticPeer peer = new SyntheticPeer(network);
        Participant p = call.join("silent", Role.CITIZEN);
        peer.answer(p.connect(peer.offer()).result());
        peer.connectIceOnly(Duration.ofSeconds(5));
        assertThat(p.transport()).isNotNull();

        Conditions.await(WAIT, "the transport is closed", () -> p.transport() == null);
        assertThat(sfu.transportCount()).isEqualTo(transports);
        assertThat(call.participant("silent")).as("the participant may still reconnect").isPresent();
        assertHealthyCallStillFlows();
        peer.close();
        p.leave();
    }

    @Test
    void aPeerWithTheWrongCertificateFailsDtlsAndIsCounted() throws Exception {
        Call call = sfu.call("wrong-certificate");
        SyntheticPeer peer = new SyntheticPeer(network);
        Participant p = call.join("impostor", Role.CITIZEN);
        String otherFingerprint = ablak.media.dtls.DtlsCertificate.generate("other").fingerprint();
        peer.answer(p.connect(peer.offer(otherFingerprint)).result());
        long failures = sfu.metrics().dtlsFailureCount();
        try {
            peer.connect(Duration.ofSeconds(5));
        } catch (Exception expected) {
            // the SFU refuses our certificate with a fatal alert
        }
        Conditions.await(WAIT, "the DTLS failure is counted", () -> sfu.metrics().dtlsFailureCount() > failures);
        Conditions.await(WAIT, "the transport is closed", () -> p.transport() == null);
        assertHealthyCallStillFlows();
        peer.close();
        p.leave();
    }
}
