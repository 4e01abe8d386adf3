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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Listen, whisper and barge-in, proven by what each peer decrypts: every peer marks its audio with its own voice
 * byte, so a count of zero packets of the supervisor's voice at the citizen is a count of what arrived, not of
 * what the SFU believes it bound.
 */
class SupervisorModesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int CITIZEN = 1;
    private static final int CLERK = 2;
    private static final int SUPERVISOR = 3;
    private static final int INTERPRETER = 4;
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

    private SyntheticPeer join(Call call, String id, Role role, int voice) throws Exception {
        return join(call, id, role, voice, 1);
    }

    private SyntheticPeer join(Call call, String id, Role role, int voice, int extraSlots) throws Exception {
        SyntheticPeer peer = new SyntheticPeer(network, extraSlots);
        peer.setVoice(voice);
        Participant p = call.join(id, role);
        peer.answer(p.connect(peer.offer()).result());
        peer.connect(Duration.ofSeconds(5));
        peers.add(peer);
        return peer;
    }

    @Test
    void aWhisperReachesTheClerkOnlyAndBargingInReachesEveryone() throws Exception {
        Call call = sfu.call("monitored");
        Set<String> recorded = ConcurrentHashMap.newKeySet();
        call.addRtpListener((track, packet, offset, length) -> recorded.add(track.participantId() + "/" + track.kind().sdpName()));
        SyntheticPeer citizen = join(call, "citizen", Role.CITIZEN, CITIZEN);
        SyntheticPeer clerk = join(call, "clerk", Role.CLERK, CLERK);
        SyntheticPeer supervisorPeer = join(call, "supervisor", Role.SUPERVISOR, SUPERVISOR);
        Participant supervisor = call.participant("supervisor").orElseThrow();
        media = new PeerMedia(peers, 1, 500);

        // Listen: the supervisor hears both; nobody hears the supervisor; the recording has only the two.
        Conditions.awaitGrowth(WAIT, () -> supervisorPeer.audioByVoice.get(CITIZEN), 50, "the supervisor hears the citizen");
        Conditions.awaitGrowth(WAIT, () -> supervisorPeer.audioByVoice.get(CLERK), 50, "the supervisor hears the clerk");
        assertThat(citizen.audioByVoice.get(SUPERVISOR) + clerk.audioByVoice.get(SUPERVISOR)).isZero();
        SendStream citizenAudio = boundTo(call, "citizen", "clerk", MediaKind.AUDIO);

        // Baseline for the figure below: unmuting the citizen, a change that rebinds nothing.
        Participant citizenParticipant = call.participant("citizen").orElseThrow();
        citizenParticipant.setAudioMuted(true);
        Conditions.awaitStill(WAIT, () -> clerk.audioByVoice.get(CITIZEN));
        long unmuteMillis = millisUntilGrowth(() -> clerk.audioByVoice.get(CITIZEN), () -> citizenParticipant.setAudioMuted(false));

        // Whisper: the clerk hears the supervisor; in the same time the citizen hears the clerk and nothing else.
        long whisperMillis = millisUntilGrowth(() -> clerk.audioByVoice.get(SUPERVISOR),
                () -> supervisor.setSupervisorMode(SupervisorMode.WHISPER));
        System.out.printf("whisper audible at the clerk %d ms after the mode change; unmuted audio (baseline) after %d ms; "
                + "media paced every 20 ms%n", whisperMillis, unmuteMillis);
        Conditions.awaitGrowth(WAIT, () -> clerk.audioByVoice.get(SUPERVISOR), 50, "the clerk hears the whisper");
        long citizenHeardClerk = citizen.audioByVoice.get(CLERK);
        Conditions.awaitGrowth(WAIT, () -> clerk.audioByVoice.get(SUPERVISOR), 50, "more whisper");
        assertThat(citizen.audioByVoice.get(CLERK)).as("the citizen's audio goes on").isGreaterThan(citizenHeardClerk);
        assertThat(citizen.audioByVoice.get(SUPERVISOR)).as("not one packet of the whisper reaches the citizen").isZero();
        assertThat(boundTo(call, "citizen", "clerk", MediaKind.AUDIO)).as("the citizen's stream is untouched").isSameAs(citizenAudio);
        assertThat(sources(call, "citizen")).doesNotContain("supervisor");
        assertThat(boundTo(call, "clerk", "supervisor", MediaKind.VIDEO)).as("coaching is audio only").isNull();
        assertThat(recorded).as("the whisper is not recorded").noneMatch(id -> id.startsWith("supervisor/"));

        // Barge-in: everyone hears and sees the supervisor, and the recording takes them.
        supervisor.setSupervisorMode(SupervisorMode.BARGE);
        Conditions.awaitGrowth(WAIT, () -> citizen.audioByVoice.get(SUPERVISOR), 50, "the citizen hears the supervisor");
        assertThat(boundTo(call, "citizen", "supervisor", MediaKind.VIDEO)).isNotNull();
        assertThat(boundTo(call, "clerk", "supervisor", MediaKind.VIDEO)).isNotNull();
        Conditions.await(WAIT, "the supervisor is recorded", () -> recorded.contains("supervisor/audio") && recorded.contains("supervisor/video"));

        // Back to listening: nothing of the supervisor is forwarded any more.
        supervisor.setSupervisorMode(SupervisorMode.LISTEN);
        assertThat(sources(call, "citizen")).doesNotContain("supervisor");
        assertThat(sources(call, "clerk")).doesNotContain("supervisor");
        long atListen = citizen.audioByVoice.get(SUPERVISOR) + clerk.audioByVoice.get(SUPERVISOR);
        Conditions.awaitGrowth(WAIT, () -> supervisorPeer.audioByVoice.get(CLERK), 50, "the supervisor still hears");
        // Packets already in flight when the mode changed may still land; none are sent after it.
        assertThat(citizen.audioByVoice.get(SUPERVISOR) + clerk.audioByVoice.get(SUPERVISOR)).isLessThanOrEqualTo(atListen + 2);
    }

    @Test
    void withAnInterpreterInTheCallASupervisorTakesTheLastSlotOfClientsThatOfferOne() throws Exception {
        Call call = sfu.call("interpreted");
        // The citizen and the clerk offer two slots beyond the other party's; the interpreter offers one.
        SyntheticPeer citizen = join(call, "citizen", Role.CITIZEN, CITIZEN, 2);
        SyntheticPeer clerk = join(call, "clerk", Role.CLERK, CLERK, 2);
        Participant supervisor = call.join("supervisor", Role.SUPERVISOR);
        SyntheticPeer supervisorPeer = new SyntheticPeer(network, 2);
        supervisorPeer.setVoice(SUPERVISOR);
        supervisorPeer.answer(supervisor.connect(supervisorPeer.offer()).result());
        supervisorPeer.connect(Duration.ofSeconds(5));
        peers.add(supervisorPeer);
        // The supervisor barges in before the interpreter arrives: the last slot, not the first free one.
        supervisor.setSupervisorMode(SupervisorMode.BARGE);
        SyntheticPeer interpreter = join(call, "interpreter", Role.INTERPRETER, INTERPRETER, 1);
        media = new PeerMedia(peers, 1, 500);

        Conditions.awaitGrowth(WAIT, () -> citizen.audioByVoice.get(SUPERVISOR), 50, "the citizen hears the supervisor");
        Conditions.awaitGrowth(WAIT, () -> citizen.audioByVoice.get(INTERPRETER), 50, "the citizen hears the interpreter");
        Conditions.awaitGrowth(WAIT, () -> clerk.audioByVoice.get(SUPERVISOR), 50, "the clerk hears the supervisor");
        Conditions.awaitGrowth(WAIT, () -> clerk.audioByVoice.get(INTERPRETER), 50, "the clerk hears the interpreter");
        for (String subscriber : List.of("citizen", "clerk")) {
            assertThat(boundTo(call, subscriber, "interpreter", MediaKind.VIDEO).slot()).as(subscriber).isEqualTo(1);
            assertThat(boundTo(call, subscriber, "supervisor", MediaKind.VIDEO).slot()).as(subscriber).isEqualTo(2);
        }
        // The interpreter's client has one slot beyond the citizen's: the clerk is in it, no room for the supervisor.
        assertThat(sources(call, "interpreter")).containsOnly("citizen", "clerk");
        assertThat(interpreter.audioByVoice.get(SUPERVISOR)).isZero();
    }

    @Test
    void onlyASupervisorHasAMode() throws Exception {
        Call call = sfu.call("modes");
        Participant clerk = call.join("clerk", Role.CLERK);
        assertThat(clerk.supervisorMode()).isEmpty();
        assertThatThrownBy(() -> clerk.setSupervisorMode(SupervisorMode.BARGE)).isInstanceOf(IllegalStateException.class);
        Participant supervisor = call.join("supervisor", Role.SUPERVISOR);
        supervisor.leave();
        assertThatThrownBy(() -> supervisor.setSupervisorMode(SupervisorMode.WHISPER)).isInstanceOf(IllegalStateException.class);
    }

    /** The send stream of {@code subscriber} that carries {@code publisher}'s track of {@code kind}, or null. */
    private static SendStream boundTo(Call call, String subscriber, String publisher, MediaKind kind) {
        for (SendStream s : call.participant(subscriber).orElseThrow().transport().sendStreams()) {
            if (s.kind() == kind && s.source() != null && s.source().participantId().equals(publisher)) {
                return s;
            }
        }
        return null;
    }

    private static List<String> sources(Call call, String subscriber) {
        return call.participant(subscriber).orElseThrow().transport().sendStreams().stream()
                .filter(s -> s.source() != null).map(s -> s.source().participantId()).toList();
    }

    /** Runs {@code change} and waits for the counter to move; returns how long that took (printed, never asserted). */
    private static long millisUntilGrowth(LongSupplier counter, Runnable change) {
        long before = counter.getAsLong();
        long start = System.nanoTime();
        change.run();
        Conditions.await(WAIT, "the change takes effect", () -> counter.getAsLong() > before);
        return (System.nanoTime() - start) / 1_000_000;
    }


}
