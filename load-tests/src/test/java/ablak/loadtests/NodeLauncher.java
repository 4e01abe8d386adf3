package ablak.loadtests;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a node on embedded stores in its own JVM and prints the system properties a simulation
 * needs to load it by URL. Used for the full profiles: the client and the node then each have
 * their own file-descriptor limit, heap and garbage collector, and the node's figures are its own.
 */
public final class NodeLauncher {

  private NodeLauncher() {}

  public static void main(String[] args) throws InterruptedException {
    Target target = Target.startInProcess(Map.of());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      target.close();
      stopped.countDown();
    }));
    System.out.println("-Dablak.url=" + target.baseUrl() + " -Dablak.admin.username=" + target.adminUsername()
        + " -Dablak.admin.password=" + target.adminPassword());
    System.out.flush();
    stopped.await();
  }
}
