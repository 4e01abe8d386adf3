package ablak.media.call;

import ablak.media.rtp.MediaKind;
import ablak.media.sdp.SdpException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One call: its participants, and who receives whom. Membership changes (join, connect, leave) are
 * serialised on the call; the packet path reads the resulting bindings without locks.
 */
public final class Call {
    private final Sfu sfu;
    private final String id;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private final List<RtpListener> rtpListeners = new CopyOnWriteArrayList<>();
    private long joins;
    private boolean closed;

    Call(Sfu sfu, String id) {
        this.sfu = sfu;
        this.id = id;
    }

    public String id() { return id; }

    /** Adds a participant; joining twice with one id is an error, reconnecting is {@link Participant#connect}. */
    public synchronized Participant join(String participantId, Role role) {
        if (closed) {
            throw new IllegalStateException("call " + id + " is closed");
        }
        if (participants.containsKey(participantId)) {
            throw new IllegalStateException("participant " + participantId + " is already in call " + id);
        }
        Participant p = new Participant(this, participantId, role, joins++);
        participants.put(participantId, p);
        sfu.participantJoined(p);
        return p;
    }

    public synchronized Optional<Participant> participant(String participantId) {
        return Optional.ofNullable(participants.get(participantId));
    }

    public synchronized List<Participant> participants() {
        return List.copyOf(participants.values());
    }

    /** Subscribes the recording hook to every published track of this call. */
    public void addRtpListener(RtpListener listener) {
        rtpListeners.add(listener);
    }

    public void removeRtpListener(RtpListener listener) {
        rtpListeners.remove(listener);
    }

    List<RtpListener> rtpListeners() {
        return rtpListeners;
    }

    String connect(Participant p, String offer) throws SdpException {
        Sfu.NewTransport created = sfu.createTransport(p, offer);
        WebRtcTransport old;
        synchronized (this) {
            if (closed || participants.get(p.id()) != p) {
                sfu.release(created.transport());
                throw new IllegalStateException("participant " + p.id() + " is not in call " + id);
            }
            old = p.transport();
            p.transport(created.transport());
            if (old != null) {
                endTracks(old);
            }
            rebind();
        }
        if (old != null) {
            sfu.release(old);
        }
        sfu.start(created.transport());
        return created.answer();
    }

    void leave(Participant p) {
        WebRtcTransport t;
        synchronized (this) {
            if (participants.remove(p.id()) != p) {
                return;
            }
            t = p.transport();
            p.transport(null);
            if (t != null) {
                endTracks(t);
            }
            rebind();
        }
        if (t != null) {
            sfu.release(t);
        }
        sfu.participantLeft(p);
    }

    /** A transport failed (DTLS, timeout): the participant stays in the call and may reconnect. */
    void transportClosed(WebRtcTransport t) {
        synchronized (this) {
            Participant p = t.participant();
            if (p.transport() == null || p.transport() == t) {
                endTracks(t);
                rebind();
            }
        }
        t.close();
    }

    /** Ends the call: every participant leaves; closing it again does nothing. */
    public void close() {
        List<Participant> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(participants.values());
        }
        all.forEach(this::leave);
        sfu.callClosed(this);
        for (RtpListener l : rtpListeners) {
            l.onCallClosed(this);
        }
    }

    synchronized void restartVideo(Participant p) {
        WebRtcTransport t = p.transport();
        Track video = t == null ? null : t.track(MediaKind.VIDEO);
        if (video == null) {
            return;
        }
        for (SendStream s : video.subscribers) {
            s.bind(video);
        }
        sfu.requestKeyframe(video);
    }

    synchronized void supervisorModeChanged(Participant p, SupervisorMode mode) {
        if (participants.get(p.id()) != p) {
            throw new IllegalStateException(p + " is not in call " + id);
        }
        p.supervisorMode(mode);
        rebind();
    }

    void requestKeyframe(Track track) {
        sfu.requestKeyframe(track);
    }

    private void endTracks(WebRtcTransport t) {
        for (Track track : t.tracks()) {
            for (RtpListener l : rtpListeners) {
                l.onTrackEnded(track);
            }
        }
    }

    /**
     * Recomputes which track every send stream carries. Each subscriber gives each publisher one slot (the
     * same index for its audio and its video, so they form one MediaStream and stay in sync); a slot keeps its
     * publisher while the publisher stays, so nobody's picture moves when others come and go.
     */
    private void rebind() {
        List<Participant> publishers = new ArrayList<>();
        for (Participant p : participants.values()) {
            if (p.supervisorMode().orElse(null) != SupervisorMode.LISTEN && p.transport() != null
                    && !p.transport().tracks().isEmpty()) {
                publishers.add(p);
            }
        }
        publishers.sort(Comparator.comparingLong(Participant::joinedOrder));
        for (Participant subscriber : participants.values()) {
            WebRtcTransport t = subscriber.transport();
            if (t == null) {
                subscriber.slots.clear();
                continue;
            }
            Set<String> wanted = new HashSet<>();
            for (Participant p : publishers) {
                if (p != subscriber && (p.reaches(subscriber, MediaKind.AUDIO) || p.reaches(subscriber, MediaKind.VIDEO))) {
                    wanted.add(p.id());
                }
            }
            subscriber.slots.keySet().retainAll(wanted);
            subscriber.slots.values().removeIf(slot -> slot >= t.slotCount());
            for (Participant p : publishers) {
                if (!wanted.contains(p.id()) || subscriber.slots.containsKey(p.id())) {
                    continue;
                }
                int slot = freeSlot(subscriber, t.slotCount(), p.role() == Role.SUPERVISOR);
                if (slot >= 0) {
                    subscriber.slots.put(p.id(), slot);
                }
            }
            for (SendStream stream : t.sendStreams()) {
                Track want = null;
                for (Map.Entry<String, Integer> e : subscriber.slots.entrySet()) {
                    Participant publisher = participants.get(e.getKey());
                    if (e.getValue() == stream.slot() && publisher.reaches(subscriber, stream.kind())) {
                        Track candidate = publisher.transport().track(stream.kind());
                        if (candidate != null && candidate.codec() == stream.codec()) {
                            want = candidate;
                        }
                    }
                }
                Track current = stream.source();
                if (current == want) {
                    continue;
                }
                if (current != null) {
                    current.subscribers.remove(stream);
                }
                stream.bind(want);
                if (want != null) {
                    want.subscribers.add(stream);
                    sfu.requestKeyframe(want);
                }
            }
        }
    }

    /**
     * The lowest free slot, or for a supervisor the highest: a client that offers a slot beyond the
     * third participant's (docs/media.md, "Slots") then has the supervisor in its last slot and an
     * interpreter in the one before, whoever came first. -1 when every slot is taken.
     */
    private static int freeSlot(Participant subscriber, int slots, boolean last) {
        for (int i = 0; i < slots; i++) {
            int slot = last ? slots - 1 - i : i;
            if (!subscriber.slots.containsValue(slot)) {
                return slot;
            }
        }
        return -1;
    }

    /** Subscribers whose transport just got its keys need a keyframe from everyone they receive. */
    void transportSecured(WebRtcTransport t) {
        List<Track> sources = new ArrayList<>();
        synchronized (this) {
            for (SendStream s : t.sendStreams()) {
                if (s.source() != null && s.kind() == MediaKind.VIDEO) {
                    sources.add(s.source());
                }
            }
        }
        sources.forEach(sfu::requestKeyframe);
    }
}
