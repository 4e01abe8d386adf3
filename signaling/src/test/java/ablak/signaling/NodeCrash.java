package ablak.signaling;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Nodes dying in tests as killed processes do, without a second JVM. */
final class NodeCrash {

  /** Deadline for the others to notice: the dead node's presence lapses (5 s), then its users' resume time runs out. */
  static final java.time.Duration NOTICED = java.time.Duration.ofSeconds(30);

  private NodeCrash() {}

  /**
   * Makes a node die as a killed process does, within this JVM: each of its Vert.x event loops (and
   * its acceptor) is given a task that blocks until thawed, so nothing of the node runs any more: no
   * timer (its presence is not renewed), no close handler, no heartbeat. Its sockets stay open but
   * silent, as a frozen or unplugged host's do; clients that lose one resume elsewhere. Closing the
   * node instead would close the sockets and run the very handlers a crash skips, and a real kill
   * needs a second JVM. The tasks go to Netty directly, so Vert.x does not report them as blocking.
   * Returns the latch that thaws the node, so that it can then be closed.
   */
  static CountDownLatch crash(AblakServer node) {
    VertxInternal runtime = (VertxInternal) node.vertx();
    List<EventExecutor> loops = new ArrayList<>();
    runtime.eventLoopGroup().forEach(loops::add);
    runtime.acceptorEventLoopGroup().forEach(loops::add);
    CountDownLatch thaw = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(loops.size());
    loops.forEach(loop -> loop.execute(() -> {
      stopped.countDown();
      try {
        thaw.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    Await.until(() -> stopped.getCount() == 0, "every event loop of the node has stopped");
    return thaw;
  }
}
