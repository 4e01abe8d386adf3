package ablak.signaling.protocol;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The WebSocket connections of this node, by connection id and by user id. */
public final class Connections implements Push {

  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  private final Map<String, Connection> byId = new ConcurrentHashMap<>();
  private final Map<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final Counter notReading;

  public Connections(MeterRegistry meters) {
    Gauge.builder("ablak.signaling.connections", byId, Map::size)
        .description("open WebSocket connections on this node").register(meters);
    Gauge.builder("ablak.signaling.users", byUser, Map::size)
        .description("authenticated users with at least one connection on this node").register(meters);
    notReading = Counter.builder("ablak.signaling.connections.not.reading")
        .description("connections closed because the client stopped reading (4003)").register(meters);
  }

  public void addListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  @Override
  public int toUser(String userId, Outbound message) {
    return writeToUser(userId, message.encode(null));
  }

  int writeToUser(String userId, String text) {
    Set<Connection> connections = byUser.getOrDefault(userId, Set.of());
    connections.forEach(connection -> connection.write(text));
    return connections.size();
  }

  @Override
  public boolean toConnection(String connectionId, Outbound message) {
    Connection connection = byId.get(connectionId);
    if (connection == null) {
      return false;
    }
    connection.send(message);
    return true;
  }

  void opened(Connection connection) {
    byId.put(connection.id(), connection);
  }

  void authenticated(Connection connection, boolean resumed) {
    byUser.computeIfAbsent(connection.principal().userId(), user -> ConcurrentHashMap.newKeySet()).add(connection);
    listeners.forEach(listener -> notify(() -> listener.connected(connection, resumed)));
  }

  void closed(Connection connection) {
    byId.remove(connection.id());
    if (connection.stoppedReading()) {
      notReading.increment();
    }
    if (connection.principal() == null) {
      return;
    }
    byUser.computeIfPresent(connection.principal().userId(), (user, set) -> {
      set.remove(connection);
      return set.isEmpty() ? null : set;
    });
    listeners.forEach(listener -> notify(() -> listener.disconnected(connection)));
  }

  /** Closes every connection, e.g. when the node stops: clients then resume on another node. */
  public void closeAll(short code, String reason) {
    byId.values().forEach(connection -> connection.close(code, reason));
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.error("a connection listener failed", e);
    }
  }
}
