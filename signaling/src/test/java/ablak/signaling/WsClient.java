package ablak.signaling;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A protocol client for tests: sends envelopes, waits for replies by ref, collects pushes. */
final class WsClient implements AutoCloseable {

  /** Held for the socket's lifetime: Vert.x closes a client that becomes unreachable. */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  /** Messages already taken off the queue while looking for a particular reply. */
  private final java.util.List<JsonObject> stash = new java.util.ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile Short closeCode;

  private WsClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(text -> received.add(new JsonObject(text)));
    socket.closeHandler(closed -> closeCode = socket.closeStatusCode() == null ? -1 : socket.closeStatusCode());
  }

  static WsClient connect(Vertx vertx, String baseUrl, String cookie) {
    URI uri = URI.create(baseUrl);
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(uri.getHost()).setPort(uri.getPort()).setURI("/ws").setSsl("https".equals(uri.getScheme()));
    if (cookie != null) {
      options.addHeader("Cookie", cookie);
    }
    WebSocketClientOptions client = new WebSocketClientOptions().setMaxFrameSize(1024 * 1024).setMaxMessageSize(4 * 1024 * 1024)
        .setTrustAll(true).setVerifyHost(false);
    WebSocketClient webSocketClient = vertx.createWebSocketClient(client);
    return new WsClient(webSocketClient, Await.result(webSocketClient.connect(options)));
  }

  /** Sends {@code fields} with this type and a fresh id, and returns the reply that refers to it. */
  JsonObject request(String type, JsonObject fields) {
    String id = "r" + ids.incrementAndGet();
    sendText(fields.copy().put("type", type).put("id", id).encode());
    return replyTo(id);
  }

  JsonObject request(String type) {
    return request(type, new JsonObject());
  }

  void sendText(String text) {
    Await.result(socket.writeTextMessage(text));
  }

  /** Stops reading from the socket, as a frozen client would: the server's writes back up. */
  void stopReading() {
    socket.pause();
  }

  void startReading() {
    socket.resume();
  }

  /** Sends unless the server has closed the socket; false once it has. */
  boolean trySend(String text) {
    return socket.writeTextMessage(text).toCompletionStage().toCompletableFuture().handle((ok, error) -> error == null).join();
  }

  void sendBinary(byte[] bytes) {
    Await.result(socket.writeBinaryMessage(Buffer.buffer(bytes)));
  }

  JsonObject replyTo(String id) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (JsonObject message : stash) {
      if (id.equals(message.getString("ref"))) {
        stash.remove(message);
        return message;
      }
    }
    while (System.nanoTime() < deadline) {
      JsonObject message = poll(deadline);
      if (message != null && id.equals(message.getString("ref"))) {
        return message;
      }
      if (message != null) {
        stash.add(message);
      }
    }
    throw new AssertionError("no reply to " + id + "; received " + stash);
  }

  /** The first push of this type (received already or arriving within the deadline); others stay for later. */
  JsonObject push(String type) {
    return push(type, message -> true);
  }

  /** The first push of this type that matches; earlier pushes of the type that do not match are dropped. */
  JsonObject push(String type, java.util.function.Predicate<JsonObject> matches) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (JsonObject message : new java.util.ArrayList<>(stash)) {
      if (type.equals(message.getString("type")) && message.getString("ref") == null) {
        stash.remove(message);
        if (matches.test(message)) {
          return message;
        }
      }
    }
    while (System.nanoTime() < deadline) {
      JsonObject message = poll(deadline);
      if (message == null) {
        break;
      }
      if (type.equals(message.getString("type")) && message.getString("ref") == null) {
        if (matches.test(message)) {
          return message;
        }
      } else {
        stash.add(message);
      }
    }
    throw new AssertionError("no " + type + " push arrived; received " + stash);
  }

  /** The next message of any kind, in arrival order. */
  JsonObject next() {
    if (!stash.isEmpty()) {
      return stash.remove(0);
    }
    JsonObject message = poll(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    if (message == null) {
      throw new AssertionError("no message arrived");
    }
    return message;
  }

  private JsonObject poll(long deadline) {
    try {
      return received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The close code the server sent, once the socket is closed. */
  short awaitClose() {
    Await.until(() -> closeCode != null, "the socket is closed");
    return closeCode;
  }

  @Override
  public void close() {
    if (!socket.isClosed()) {
      Await.result(socket.close());
    }
    client.close();
  }
}
