package ablak.media.recording;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Node-wide recording counters, shared by every {@link CallRecording} on the node. They are plain
 * monotonic counters so a metrics registry can read them as function counters; docs/media.md names
 * the meters ({@code ablak.media.recording.packets}, {@code .frames}, {@code .bytes},
 * {@code .drops} tagged with the {@link DropReason}).
 */
public final class RecordingCounters {

    private final LongAdder packetsWritten = new LongAdder();
    private final LongAdder framesWritten = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);

    public RecordingCounters() {
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, new LongAdder());
        }
    }

    /** RTP packets whose media reached a file. */
    public long packetsWritten() {
        return packetsWritten.sum();
    }

    /** Video frames or audio packets written to files. */
    public long framesWritten() {
        return framesWritten.sum();
    }

    /** Media bytes written to files, container overhead not included. */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /** RTP packets dropped for this reason. */
    public long drops(DropReason reason) {
        return drops.get(reason).sum();
    }

    void written(long packets, long bytes) {
        packetsWritten.add(packets);
        framesWritten.increment();
        bytesWritten.add(bytes);
    }

    void dropped(DropReason reason, long packets) {
        drops.get(reason).add(packets);
    }
}
