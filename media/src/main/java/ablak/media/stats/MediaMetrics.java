package ablak.media.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The SFU's node-wide meters: what the packet path received, forwarded and dropped, and how long it took. */
public final class MediaMetrics {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MediaMetrics.class);
    private static final long DROP_LOG_INTERVAL_NANOS = 60_000_000_000L;
    private final java.util.concurrent.atomic.AtomicLong lastDropLog = new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS - 1);
    private final MeterRegistry registry;
    private final Counter rtpReceived;
    private final Counter rtcpReceived;
    private final Counter dtlsReceived;
    private final Counter forwarded;
    private final Counter retransmitted;
    private final Counter keyframeRequests;
    private final Counter dtlsFailures;
    private final Counter transportTimeouts;
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final Timer forwardLatency;

    public MediaMetrics(MeterRegistry registry) {
        this.registry = registry;
        rtpReceived = received(registry, "rtp");
        rtcpReceived = received(registry, "rtcp");
        dtlsReceived = received(registry, "dtls");
        forwarded = Counter.builder("ablak.media.packets.forwarded")
                .description("RTP packets sent to subscribers, one per subscriber").register(registry);
        retransmitted = Counter.builder("ablak.media.packets.retransmitted")
                .description("RTP packets resent from the packet cache to answer NACKs").register(registry);
        keyframeRequests = Counter.builder("ablak.media.keyframe.requests")
                .description("PLIs sent to publishers").register(registry);
        dtlsFailures = Counter.builder("ablak.media.dtls.failures")
                .description("DTLS handshakes that failed or timed out").register(registry);
        transportTimeouts = Counter.builder("ablak.media.transport.timeouts")
                .description("transports closed because they never connected or went silent").register(registry);
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, Counter.builder("ablak.media.packets.dropped").tag("reason", reason.tag())
                    .description("packets the packet path dropped, by reason").register(registry));
        }
        forwardLatency = Timer.builder("ablak.media.forward.latency")
                .description("from reception of an RTP packet to its last copy sent")
                .publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(Duration.ofSeconds(30))
                .register(registry);
    }

    private static Counter received(MeterRegistry registry, String kind) {
        return Counter.builder("ablak.media.packets.received").tag("kind", kind)
                .description("datagrams received on the media port, by kind").register(registry);
    }

    public MeterRegistry registry() { return registry; }
    public void rtpReceived() { rtpReceived.increment(); }
    public void rtcpReceived() { rtcpReceived.increment(); }
    public void dtlsReceived() { dtlsReceived.increment(); }
    public void forwarded() { forwarded.increment(); }
    public void retransmitted() { retransmitted.increment(); }
    public void keyframeRequested() { keyframeRequests.increment(); }
    public void dtlsFailed() { dtlsFailures.increment(); }
    public void transportTimedOut() { transportTimeouts.increment(); }
    public void dropped(DropReason reason) {
        dropped.get(reason).increment();
        long now = System.nanoTime();
        long last = lastDropLog.get();
        // One line a minute at most, whatever the rate of bad packets: the counters carry the detail.
        if (now - last > DROP_LOG_INTERVAL_NANOS && lastDropLog.compareAndSet(last, now)) {
            LOG.info("packets dropped so far: {}", droppedSummary());
        }
    }

    private String droppedSummary() {
        StringBuilder s = new StringBuilder();
        dropped.forEach((reason, counter) -> {
            if (counter.count() > 0) {
                s.append(reason.tag()).append('=').append((long) counter.count()).append(' ');
            }
        });
        return s.toString().trim();
    }
    public void forwardLatency(long nanos) { forwardLatency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS); }

    public long droppedCount(DropReason reason) { return (long) dropped.get(reason).count(); }
    public long forwardedCount() { return (long) forwarded.count(); }
    public long dtlsFailureCount() { return (long) dtlsFailures.count(); }
    public long retransmittedCount() { return (long) retransmitted.count(); }
    public Timer forwardLatency() { return forwardLatency; }
}
