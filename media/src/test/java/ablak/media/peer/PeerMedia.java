package ablak.media.peer;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Paces synthetic media for a group of peers: every 20 ms one Opus packet and a video frame of
 * {@code videoPacketsPerFrame} packets of {@code videoPacketSize} bytes each.
 */
public final class PeerMedia implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "synthetic-media");
        t.setDaemon(true);
        return t;
    });

    public PeerMedia(List<SyntheticPeer> peers, int videoPacketsPerFrame, int videoPacketSize) {
        timer.scheduleAtFixedRate(() -> {
            for (SyntheticPeer peer : peers) {
                try {
                    peer.sendAudio();
                    for (int i = 0; i < videoPacketsPerFrame; i++) {
                        peer.sendVideo(videoPacketSize, i == 0, i == videoPacketsPerFrame - 1);
                    }
                } catch (IOException | RuntimeException e) {
                    // A closed peer stops sending; the others go on.
                }
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
