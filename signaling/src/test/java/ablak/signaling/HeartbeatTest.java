package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Heartbeats on a node with a one-second heartbeat and a two-second idle timeout. The silent
 * client is a bare TCP socket that speaks just enough RFC 6455 to upgrade, then never answers:
 * what a client behind a dead network looks like.
 */
@ExtendWith(VertxExtension.class)
class HeartbeatTest {

  private static MachineStores stores;
  private static AblakServer node;

  @BeforeAll
  static void start() {
    stores = new MachineStores();
    node = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), stores.environment(Map.of(
        "ABLAK_PROTOCOL_HEARTBEAT_SECONDS", "1",
        "ABLAK_PROTOCOL_IDLE_TIMEOUT_SECONDS", "2"))));
  }

  @AfterAll
  static void stop() throws SQLException {
    node.close();
    stores.close();
  }

  @Test
  void theServerPingsAndClosesAClientThatNeverAnswers() throws IOException {
    try (Socket socket = upgrade()) {
      List<Integer> opcodes = new ArrayList<>();
      int closeCode = readUntilClose(socket.getInputStream(), opcodes);

      assertThat(opcodes).as("pings before the close").contains(0x9);
      assertThat(closeCode).isIn(4000, 4001);
    }
  }

  @Test
  void aClientThatAnswersPingsStaysConnected(Vertx vertx) {
    try (WsClient client = WsClient.connect(vertx, node.baseUrl(), null)) {
      client.request("hello", new JsonObject().put("token", new Api(vertx, node.baseUrl()).visitToken()));
      long until = System.nanoTime() + 4_000_000_000L;
      Await.until(() -> System.nanoTime() > until, "two idle timeouts have passed");

      assertThat(client.request("ping").getString("type")).isEqualTo("pong");
    }
  }

  @Test
  void signingOutClosesTheStaffMembersOpenConnections(Vertx vertx) {
    Api api = new Api(vertx, node.baseUrl());
    String cookie = api.login("clerk", node.demoCredentials().get(0).password());
    WsClient client = WsClient.connect(vertx, node.baseUrl(), cookie);
    assertThat(client.request("hello").getString("type")).isEqualTo("welcome");

    api.post("/api/auth/logout", cookie, null);

    assertThat(client.awaitClose()).isEqualTo((short) 4002);
    client.close();
  }

  private static Socket upgrade() throws IOException {
    URI uri = URI.create(node.baseUrl());
    Socket socket = new Socket(uri.getHost(), uri.getPort());
    socket.setSoTimeout(15_000);
    socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      head.write(in.read());
    }
    assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
    return socket;
  }

  /** Reads server frames (unmasked, RFC 6455 section 5.2) until a close frame; returns its code. */
  private static int readUntilClose(InputStream raw, List<Integer> opcodes) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    while (true) {
      int opcode = in.readUnsignedByte() & 0x0F;
      int length = in.readUnsignedByte() & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = (int) in.readLong();
      }
      byte[] payload = in.readNBytes(length);
      opcodes.add(opcode);
      if (opcode == 0x8) {
        return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
      }
    }
  }
}
