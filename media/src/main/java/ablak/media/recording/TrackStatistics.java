package ablak.media.recording;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One track's counts for its manifest entry; every change also goes to the node-wide counters. */
final class TrackStatistics {

    private final RecordingCounters node;
    private final RecordingCounters track = new RecordingCounters();
    private final LongAdder lost = new LongAdder();

    TrackStatistics(RecordingCounters node) {
        this.node = node;
    }

    void written(long packetCount, long byteCount) {
        track.written(packetCount, byteCount);
        node.written(packetCount, byteCount);
    }

    void dropped(DropReason reason, long packetCount) {
        track.dropped(reason, packetCount);
        node.dropped(reason, packetCount);
    }

    /** Packets that never reached the recorder: sequence numbers skipped by the sender's stream. */
    void lost(long packetCount) {
        lost.add(packetCount);
    }

    RecordingManifest.Counts snapshot() {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            if (track.drops(reason) > 0) {
                drops.put(reason, track.drops(reason));
            }
        }
        return new RecordingManifest.Counts(track.packetsWritten(), track.framesWritten(), track.bytesWritten(),
                lost.sum(), drops);
    }
}
