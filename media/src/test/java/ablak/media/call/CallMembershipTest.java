package ablak.media.call;

import ablak.media.MediaSettings;
import ablak.media.peer.PeerMedia;
import ablak.media.peer.PeerNetwork;
import ablak.media.peer.SyntheticPeer;
import ablak.media.rtp.MediaKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Roles, mute and video-off decide what each participant receives. */
class CallMembershipTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Sfu sfu;
    private PeerNetwork network;
    private final List<SyntheticPeer> peers = new ArrayList<>();
    private PeerMedia media;

    @BeforeEach
    void start() throws Exception {
        sfu = Sfu.start(MediaSettings.loopback(), new SimpleMeterRegistry());
        network = new PeerNetwork();
    }

    @AfterEach
    void stop() throws Exception {
        if (media != null) {
            media.close();
        }
        for (SyntheticPeer p : peers) {
            p.close();
        }
        network.close();
        sfu.close();
    }

    private SyntheticPeer join(Call call, String id, Role role) throws Exception {
        SyntheticPeer peer = new SyntheticPeer(network, 2);
        Participant p = call.join(id, role);
        peer.answer(p.connect(peer.offer()).result());
        peer.connect(Duration.ofSeconds(5));
        peers.add(peer);
        return peer;
    }

    @Test
    void closingACallEndsItsTracksAndTellsItsListenersOnce() throws Exception {
        Call call = sfu.call("closing");
        join(call, "citizen", Role.CITIZEN);
        List<String> heard = new ArrayList<>();
        call.addRtpListener(new RtpListener() {
            @Override
            public void onRtp(Track track, byte[] packet, int offset, int length) {
            }

            @Override
            public synchronized void onTrackEnded(Track track) {
                heard.add("ended " + track.kind().sdpName());
            }

            @Override
            public synchronized void onCallClosed(Call closed) {
                heard.add("closed " + closed.id());
            }
        });

        call.close();
        call.close();

        assertThat(heard).containsExactly("ended audio", "ended video", "closed closing");
        assertThat(sfu.findCall("closing")).isEmpty();
    }

    @Test
    void aSupervisorHearsEveryoneAndIsHeardAndSeenByNobody() throws Exception {
        Call call = sfu.call("supervised");
        SyntheticPeer citizen = join(call, "citizen", Role.CITIZEN);
        SyntheticPeer clerk = join(call, "clerk", Role.CLERK);
        SyntheticPeer supervisor = join(call, "supervisor", Role.SUPERVISOR);
        media = new PeerMedia(peers, 1, 500);

        Conditions.awaitGrowth(WAIT, () -> supervisor.audioReceived.get(), 100, "the supervisor hears both");
        Conditions.awaitGrowth(WAIT, () -> citizen.videoReceived.get(), 50, "the citizen sees the clerk");
        WebRtcTransport supervisorTransport = call.participant("supervisor").orElseThrow().transport();
        assertThat(supervisorTransport.tracks()).as("a supervisor's sections are taken, so a mode change needs no offer")
                .hasSize(2);
        assertThat(call.participant("supervisor").orElseThrow().supervisorMode()).contains(SupervisorMode.LISTEN);
        for (String id : List.of("citizen", "clerk")) {
            for (SendStream s : call.participant(id).orElseThrow().transport().sendStreams()) {
                assertThat(s.source() == null || !s.source().participantId().equals("supervisor")).isTrue();
            }
        }
        long supervisorSources = supervisorTransport.sendStreams().stream().filter(s -> s.source() != null).count();
        assertThat(supervisorSources).as("audio and video of citizen and clerk").isEqualTo(4);
    }

    @Test
    void mutedAudioAndVideoOffAreNotForwardedAndVideoResumesAtAKeyframe() throws Exception {
        Call call = sfu.call("mute");
        SyntheticPeer citizen = join(call, "citizen", Role.CITIZEN);
        SyntheticPeer clerk = join(call, "clerk", Role.CLERK);
        media = new PeerMedia(peers, 1, 500);
        Conditions.awaitGrowth(WAIT, () -> clerk.audioReceived.get(), 50, "the clerk hears the citizen");

        Participant p = call.participant("citizen").orElseThrow();
        p.setAudioMuted(true);
        p.setVideoOff(true);
        Conditions.awaitStill(WAIT, () -> clerk.audioReceived.get() + clerk.videoReceived.get());

        long plis = citizen.plisReceived.get();
        p.setVideoOff(false);
        Conditions.awaitGrowth(WAIT, () -> clerk.videoReceived.get(), 50, "video resumes");
        assertThat(citizen.plisReceived.get()).as("a keyframe was requested").isGreaterThan(plis);
        long audioWhileMuted = clerk.audioReceived.get();
        Conditions.awaitGrowth(WAIT, () -> clerk.videoReceived.get(), 50, "more video");
        assertThat(clerk.audioReceived.get()).as("audio stays muted").isEqualTo(audioWhileMuted);
        assertThat(p.transport().track(MediaKind.AUDIO).stats().received()).as("still received, only not forwarded").isPositive();
    }

    @Test
    void aNackIsAnsweredFromThePacketCacheAndStatsShowTheTraffic() throws Exception {
        Call call = sfu.call("nack");
        SyntheticPeer citizen = join(call, "citizen", Role.CITIZEN);
        SyntheticPeer clerk = join(call, "clerk", Role.CLERK);
        media = new PeerMedia(peers, 1, 500);
        Conditions.awaitGrowth(WAIT, () -> clerk.videoReceived.get(), 50, "the clerk sees the citizen");

        long before = sfu.metrics().retransmittedCount();
        long videoBefore = clerk.videoReceived.get();
        clerk.sendNack(clerk.lastVideoSsrc, (clerk.lastVideoSequence - 3) & 0xFFFF);
        Conditions.await(WAIT, "the SFU resends the packet", () -> sfu.metrics().retransmittedCount() == before + 1);
        assertThat(clerk.videoReceived.get()).isGreaterThan(videoBefore);

        Conditions.await(WAIT, "bitrates computed", () -> call.participant("citizen").orElseThrow().stats().bitrateInBps() > 0);
        var stats = call.participant("citizen").orElseThrow().stats();
        assertThat(stats.connected()).isTrue();
        assertThat(stats.packetsIn()).isPositive();
        assertThat(stats.packetsOut()).isPositive();
        assertThat(stats.packetsLost()).isZero();
        assertThat(call.participant("clerk").orElseThrow().stats().nacksReceived()).isEqualTo(1);
        assertThat(sfu.metrics().registry().find("ablak.media.participant.packets").tag("participant", "citizen")
                .tag("direction", "in").functionCounter().count()).isPositive();
    }


}
