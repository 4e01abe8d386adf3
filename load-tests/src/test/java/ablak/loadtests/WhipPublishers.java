package ablak.loadtests;

import ablak.loadtests.Timings.Timing;
import ablak.media.peer.PeerNetwork;
import ablak.media.peer.SyntheticPeer;
import ablak.media.srtp.SrtpSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Synthetic participants that publish media into the simulation's calls over WHIP (RFC 9725), so that
 * calls carry real DTLS-SRTP traffic while the signaling is under load. Each one is media's
 * {@link SyntheticPeer} (ICE as controlling agent, DTLS client, SRTP, with the SFU's own libraries):
 * its offer is POSTed to {@code call.started}'s {@code media.whipUrl} with the media token as bearer,
 * the answer applied, and once connected it sends what the SFU benchmark's load steps send, one Opus
 * packet and a VP8 frame of three 1,200-byte packets every 20 ms (about 1.5 Mbit/s), until the call
 * ends and the session is DELETEd.
 *
 * <p>Virtual users never block on media: publishing (the WHIP round trip, ICE and the DTLS handshake,
 * which block) runs on a pool of its own, every publisher's packets are paced by one shared
 * sender thread, and everything received is read by one selector thread. A publisher is media-ready
 * when it decrypts the first RTP packet the SFU forwarded from the other participant: the call then
 * carries media both ways for it. The sender thread notices that within one 20 ms tick.
 */
final class WhipPublishers implements AutoCloseable {

  static final String PUBLISH = "whip publish";
  static final String CONNECT = "ice and dtls";
  static final String MEDIA_READY = "accept-to-media-ready";
  static final String DELETE = "whip delete";

  private static final Duration TICK = Duration.ofMillis(20);
  private static final int VIDEO_PACKETS_PER_FRAME = 3;
  private static final int VIDEO_PACKET_BYTES = 1200;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final PeerNetwork network;
  private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(daemon("whip-media-sender"));
  /**
   * Publishing mostly waits (ICE checks every 20 ms, DTLS flights), about 0.1-1.5 s each on this machine: 16 threads
   * keep ten call starts a second from queueing here, which would count against the node's media-ready.
   */
  private final ExecutorService publishing = Executors.newFixedThreadPool(16, daemon("whip-publishing"));
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Connected publishers; only the sender thread reads or changes the list. */
  private final List<Publisher> sending = new ArrayList<>();
  /** When each call's clerk sent queue.offer.accept: the start of both participants' accept-to-media-ready (a long per call, kept for the run). */
  private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
  private final AtomicLong packetsSent = new AtomicLong();

  WhipPublishers() {
    try {
      network = new PeerNetwork();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The SRTP library measures its AES providers on first use (RESEARCH.md): not inside the first call's timing.
    SrtpSession.warmUp();
    sender.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The clerk sent the accept that started {@code callId} at {@code sentAt}. */
  void accepted(String callId, long sentAt) {
    acceptedAt.putIfAbsent(callId, sentAt);
  }

  /** Starts publishing into a call in the background; the user follows it through the returned publisher. */
  Publisher publish(String callId, String whipUrl, String mediaToken) {
    Publisher publisher = new Publisher(callId, mediaToken);
    publishing.execute(() -> publisher.publish(URI.create(whipUrl)));
    return publisher;
  }

  /** RTP packets all publishers sent so far. */
  long packetsSent() {
    return packetsSent.get();
  }

  /** Every 20 ms: one Opus packet and one video frame per connected publisher; notices who became media-ready. */
  private void tick() {
    long now = System.currentTimeMillis();
    for (Publisher publisher : sending) {
      SyntheticPeer peer = publisher.peer;
      if (publisher.readyAt == 0 && peer.rtpDecrypted.get() > 0) {
        publisher.readyAt = now;
        // From here on arrivals are only counted: decrypting them would spend the shared cores on the client.
        peer.countOnly();
      }
      try {
        long before = peer.sent.get();
        peer.sendAudio();
        for (int i = 0; i < VIDEO_PACKETS_PER_FRAME; i++) {
          peer.sendVideo(VIDEO_PACKET_BYTES, i == 0, i == VIDEO_PACKETS_PER_FRAME - 1);
        }
        packetsSent.addAndGet(peer.sent.get() - before);
      } catch (IOException | RuntimeException e) {
        // The peer's socket is closing; its stop removes it on this thread.
      }
    }
  }

  @Override
  public void close() {
    sender.shutdownNow();
    publishing.shutdownNow();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
      for (Publisher publisher : sending) {
        publisher.peer.close();
      }
      network.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * One participant's media in one call. Its outcomes (the WHIP POST, media-ready, the DELETE) are
   * timings that the virtual user owning it {@linkplain #drain drains} into its session.
   */
  final class Publisher {
    final String callId;
    private final String mediaToken;
    private final Queue<Timing> outcomes = new ConcurrentLinkedQueue<>();
    private volatile SyntheticPeer peer;
    private volatile long readyAt;
    private volatile boolean readyReported;
    private volatile boolean finished;
    private volatile boolean failed;
    /** Guarded by this: whether {@link #stop} was called, and whether publishing has got as far as it will. */
    private boolean stopped;
    private boolean published;
    private URI session;

    private Publisher(String callId, String mediaToken) {
      this.callId = callId;
      this.mediaToken = mediaToken;
    }

    private void publish(URI whipUrl) {
      long postedAt = System.currentTimeMillis();
      try {
        peer = new SyntheticPeer(network);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(whipUrl).timeout(CONNECT_TIMEOUT)
            .header("Content-Type", "application/sdp").header("Authorization", "Bearer " + mediaToken)
            .POST(HttpRequest.BodyPublishers.ofString(peer.offer())).build(), HttpResponse.BodyHandlers.ofString());
        long answeredAt = System.currentTimeMillis();
        if (answer.statusCode() != 201) {
          fail(PUBLISH, postedAt, answeredAt, "WHIP answered " + answer.statusCode() + " " + answer.body());
          return;
        }
        synchronized (this) {
          session = whipUrl.resolve(answer.headers().firstValue("Location").orElseThrow());
        }
        outcomes.add(new Timing(PUBLISH, postedAt, answeredAt, null));
        peer.answer(answer.body());
        peer.connect(CONNECT_TIMEOUT);
        outcomes.add(new Timing(CONNECT, answeredAt, System.currentTimeMillis(), null));
      } catch (IOException | RuntimeException e) {
        fail(MEDIA_READY, postedAt, System.currentTimeMillis(), "media did not connect: " + e.getMessage());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      synchronized (this) {
        published = true;
        if (stopped) {
          end();
        } else {
          sender.execute(() -> sending.add(this));
        }
      }
    }

    private void fail(String timing, long start, long end, String error) {
      failed = true;
      outcomes.add(new Timing(timing, start, end, error));
      synchronized (this) {
        published = true;
        if (stopped) {
          end();
        }
      }
    }

    /** Whether this publisher has decrypted media forwarded from the other participant, or gave up trying. */
    boolean settled() {
      return readyAt != 0 || failed || finished;
    }

    /** What happened since the last call, to report; media-ready once its call's accept time is known. */
    List<Timing> drain() {
      Long accepted = acceptedAt.get(callId);
      if (readyAt != 0 && !readyReported && accepted != null) {
        readyReported = true;
        outcomes.add(new Timing(MEDIA_READY, accepted, readyAt, null));
      }
      List<Timing> drained = new ArrayList<>();
      Timing timing;
      while ((timing = outcomes.poll()) != null) {
        drained.add(timing);
      }
      return drained;
    }

    /** The user waited long enough: media-ready failed, unless it came meanwhile. */
    void timedOut(long since, long now) {
      if (readyAt == 0) {
        readyReported = true;
        outcomes.add(new Timing(MEDIA_READY, acceptedAt.getOrDefault(callId, since), now, "no media from the other participant"));
      }
    }

    /** Whether the session is gone (or never was) and every outcome has been drained. */
    boolean finished() {
      return finished && outcomes.isEmpty();
    }

    /** The call ended: stops sending, closes the peer, DELETEs the WHIP session (all in the background). */
    void stop() {
      synchronized (this) {
        if (stopped) {
          return;
        }
        stopped = true;
        if (published) {
          end();
        }
      }
    }

    /** Called holding the lock, once publishing is over and the call has ended. */
    private void end() {
      URI location = session;
      sender.execute(() -> {
        sending.remove(this);
        try {
          if (peer != null) {
            peer.close();
          }
        } catch (IOException e) {
          // Closing a loopback socket: nothing to do about it.
        }
      });
      if (location == null) {
        finished = true;
        return;
      }
      long sentAt = System.currentTimeMillis();
      http.sendAsync(HttpRequest.newBuilder(location).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + mediaToken)
              .DELETE().build(), HttpResponse.BodyHandlers.ofString())
          .whenComplete((response, failure) -> {
            long at = System.currentTimeMillis();
            String error = failure != null ? String.valueOf(failure.getMessage())
                : response.statusCode() != 200 ? "WHIP DELETE answered " + response.statusCode() + " " + response.body() : null;
            outcomes.add(new Timing(DELETE, sentAt, at, error));
            finished = true;
          });
    }
  }
}
