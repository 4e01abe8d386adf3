package ablak.media.recording;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One track's counts for its manifest entry; every change also goes to the node-wide counters. */
final class TrackStatistics {

    private final RecordingCounters node;
    private final LongAdder packets = new LongAdder();
    private final LongAdder frames = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);

    TrackStatistics(RecordingCounters node) {
        this.node = node;
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, new LongAdder());
        }
    }

    void written(long packetCount, long byteCount) {
        packets.add(packetCount);
        frames.increment();
        bytes.add(byteCount);
        node.written(packetCount, byteCount);
    }

    void dropped(DropReason reason, long packetCount) {
        drops.get(reason).add(packetCount);
        node.dropped(reason, packetCount);
    }

    /** Packets that never reached the recorder: sequence numbers skipped by the sender's stream. */
    void lost(long packetCount) {
        lost.add(packetCount);
    }

    RecordingManifest.Counts snapshot() {
        Map<DropReason, Long> dropCounts = new EnumMap<>(DropReason.class);
        drops.forEach((reason, count) -> {
            if (count.sum() > 0) {
                dropCounts.put(reason, count.sum());
            }
        });
        return new RecordingManifest.Counts(packets.sum(), frames.sum(), bytes.sum(), lost.sum(), dropCounts);
    }
}
