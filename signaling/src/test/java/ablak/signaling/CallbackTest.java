package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.DemoAccounts;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Call-backs on two nodes sharing the machine's Redis and PostgreSQL, e-mailing through a real
 * SMTP server (GreenMail): the citizen who left keeps their place, is e-mailed once, comes back
 * through the link ahead of those who joined after them, and every refusal changes nothing.
 */
@ExtendWith(VertxExtension.class)
class CallbackTest {

  private static final Pattern LINK = Pattern.compile("(http://[^\\s]+/citizen/)\\?callback=([0-9a-f-]{36})&token=([A-Za-z0-9_-]+)");

  private static MachineStores stores;
  private static GreenMail mail;
  private static AblakServer nodeA;
  private static AblakServer nodeB;

  private Vertx vertx;
  private WsClient clerk;

  @BeforeAll
  static void startTwoNodes() {
    stores = new MachineStores();
    int smtpPort = freePort();
    mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    Map<String, String> environment = stores.environment(Map.of(
        "ABLAK_MAIL_SMTP_HOST", "127.0.0.1",
        "ABLAK_MAIL_SMTP_PORT", String.valueOf(smtpPort),
        "ABLAK_PROACTIVE_POLL_MILLIS", "100",
        // Due as soon as nobody is ahead: the test decides when by who waits in front.
        "ABLAK_PROACTIVE_CALLBACK_AHEAD", "0",
        "ABLAK_PROACTIVE_CALLBACK_WAIT_SECONDS", "0"));
    nodeA = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), environment));
    nodeB = AblakServer.start(TestNodes.embeddedSettings(TestNodes.tempDataDir(), environment));
  }

  @AfterAll
  static void stop() throws SQLException {
    nodeA.close();
    nodeB.close();
    mail.stop();
    stores.close();
  }

  @BeforeEach
  void clerkSignsIn(Vertx vertx) throws Exception {
    this.vertx = vertx;
    mail.purgeEmailFromAllMailboxes();
    clerk = WsClient.connect(vertx, nodeB.baseUrl(), new Api(vertx, nodeB.baseUrl()).login("clerk", password("clerk")));
    clerk.request("hello");
  }

  @AfterEach
  void clerkSignsOut() {
    assertThat(clerk.request("clerk.state", new JsonObject().put("state", "offline")).getString("state")).isEqualTo("offline");
    clerk.close();
  }

  @Test
  void aCitizenCalledBackIsServedBeforeOneWhoJoinedAfterThem() throws Exception {
    // Someone waits in front, so the call-back is not due at once.
    Citizen first = citizen(nodeA);
    first.join();
    Citizen anna = citizen(nodeA);
    JsonObject joined = anna.join();
    assertThat(joined.getBoolean("callbackAvailable")).isTrue();
    assertThat(joined.getInteger("position")).isEqualTo(2);
    Citizen later = citizen(nodeB);
    assertThat(later.join().getInteger("position")).isEqualTo(3);

    JsonObject left = anna.ws.request("queue.leave", new JsonObject().put("callback", new JsonObject().put("email", "anna@example.hu")));

    assertThat(left.getString("type")).isEqualTo("queue.left");
    String callbackId = left.getJsonObject("callback").getString("callbackId");
    assertThat(later.ws.push("queue.position", p -> p.getInteger("position") == 2).getInteger("position")).isEqualTo(2);
    assertThat(sql("SELECT status FROM proactive.callback WHERE id = '" + callbackId + "'")).isEqualTo("waiting");
    assertThat(mail.getReceivedMessages()).as("one contact is still ahead").isEmpty();

    assertThat(first.ws.request("queue.leave").getString("type")).isEqualTo("queue.left");

    Await.until(() -> mail.getReceivedMessages().length > 0, "the call-back is e-mailed once nobody is ahead");
    Await.until(() -> "notified".equals(sql("SELECT status FROM proactive.callback WHERE id = '" + callbackId + "'")), "recorded as sent");
    MimeMessage notice = mail.getReceivedMessages()[0];
    assertThat(notice.getAllRecipients()[0].toString()).isEqualTo("anna@example.hu");
    Matcher link = LINK.matcher(((String) notice.getContent()).replace("\r\n", "\n"));
    assertThat(link.find()).isTrue();
    assertThat(link.group(1)).isIn(nodeA.baseUrl() + "/citizen/", nodeB.baseUrl() + "/citizen/");
    assertThat(link.group(2)).isEqualTo(callbackId);

    // Back through the link, in a new visit on the other node: ahead of the citizen who joined later.
    Citizen back = citizen(nodeB);
    JsonObject rejoined = back.ws.request("queue.join", new JsonObject().put("callbackId", callbackId).put("callbackToken", link.group(3))
        .put("consent", new JsonObject().put("recording", false)));
    assertThat(rejoined.getString("type")).as(rejoined.encode()).isEqualTo("queue.joined");
    assertThat(rejoined.getInteger("position")).isEqualTo(1);
    assertThat(rejoined.getString("caseId")).isEqualTo(anna.caseId);
    assertThat(rejoined.getString("caseToken")).isEqualTo(anna.caseToken);
    assertThat(rejoined.getString("caseTypeId")).isEqualTo("address-registration");
    Citizen again = citizen(nodeA);
    assertThat(again.ws.request("queue.join", new JsonObject().put("callbackId", callbackId).put("callbackToken", link.group(3)))
        .getString("code")).as("the link works once").isEqualTo("callback_closed");

    clerk.request("clerk.state", new JsonObject().put("state", "available"));
    JsonObject offer = clerk.push("queue.offer");
    assertThat(offer.getString("contactId")).as("the called-back citizen is served first").isEqualTo(rejoined.getString("contactId"));
    String callId = clerk.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId"))).getString("callId");
    assertThat(back.ws.push("call.started").getString("caseId")).isEqualTo(anna.caseId);
    clerk.request("call.end", new JsonObject().put("callId", callId));
    clerk.push("clerk.state", state -> state.getString("state").equals("wrapup"));
    clerk.request("wrapup.done", new JsonObject().put("disposition", "resolved"));
    clerk.request("clerk.state", new JsonObject().put("state", "break").put("reason", "test"));
    later.ws.request("queue.leave");
    assertThat(mail.getReceivedMessages()).as("e-mailed once, though both nodes check every 100 ms").hasSize(1);
    assertThat(sql("SELECT status FROM proactive.callback WHERE id = '" + callbackId + "'")).isEqualTo("rejoined");
  }

  @Test
  void everyBadCallbackRequestIsRefusedWithATypedErrorAndChangesNothing() {
    Citizen citizen = citizen(nodeA);
    JsonObject byEmail = new JsonObject().put("callback", new JsonObject().put("email", "anna@example.hu"));
    assertThat(citizen.ws.request("queue.leave", byEmail).getString("code")).as("not waiting").isEqualTo("invalid_state");

    String contactId = citizen.join().getString("contactId");
    assertThat(citizen.ws.request("queue.leave", new JsonObject().put("callback", new JsonObject().put("email", "anna"))).getString("code"))
        .isEqualTo("invalid_message");
    assertThat(citizen.ws.request("queue.leave", new JsonObject().put("callback", new JsonObject())).getString("code"))
        .isEqualTo("invalid_message");
    assertThat(citizen.ws.request("queue.leave", new JsonObject().put("callback", new JsonObject().put("email", 7))).getString("code"))
        .isEqualTo("invalid_message");
    assertThat(citizen.ws.request("queue.join", new JsonObject().put("callbackId", "not-a-uuid").put("callbackToken", "t")).getString("code"))
        .isEqualTo("invalid_message");
    assertThat(citizen.ws.request("queue.join", new JsonObject().put("callbackId", java.util.UUID.randomUUID().toString())
        .put("callbackToken", "t")).getString("code")).isEqualTo("unknown_callback");
    assertThat(sql("SELECT count(*) FROM proactive.callback WHERE case_id = '" + citizen.caseId + "'")).isEqualTo("0");

    // In a call, it is too late to be called back.
    clerk.request("clerk.state", new JsonObject().put("state", "available"));
    JsonObject offer = clerk.push("queue.offer", o -> o.getString("contactId").equals(contactId));
    assertThat(citizen.ws.request("queue.leave", byEmail).getString("code")).as("ringing").isEqualTo("invalid_state");
    String callId = clerk.request("queue.offer.accept", new JsonObject().put("offerId", offer.getString("offerId"))).getString("callId");
    assertThat(citizen.ws.request("queue.leave", byEmail).getString("code")).as("in the call").isEqualTo("invalid_state");
    assertThat(sql("SELECT count(*) FROM proactive.callback WHERE case_id = '" + citizen.caseId + "'")).isEqualTo("0");
    clerk.request("call.end", new JsonObject().put("callId", callId));
    clerk.push("clerk.state", state -> state.getString("state").equals("wrapup"));
    clerk.request("wrapup.done", new JsonObject().put("disposition", "resolved"));
    clerk.request("clerk.state", new JsonObject().put("state", "break").put("reason", "test"));

    // A real call-back opens only with its own token.
    Citizen ahead = citizen(nodeA);
    ahead.join();
    Citizen leaver = citizen(nodeA);
    leaver.join();
    String callbackId = leaver.ws.request("queue.leave", new JsonObject().put("callback", new JsonObject().put("email", "bela@example.hu")))
        .getJsonObject("callback").getString("callbackId");
    Citizen forger = citizen(nodeB);
    assertThat(forger.ws.request("queue.join", new JsonObject().put("callbackId", callbackId).put("callbackToken", "guessed")).getString("code"))
        .isEqualTo("unknown_callback");
    assertThat(forger.ws.request("queue.leave").getString("code")).as("the forger was not queued").isEqualTo("invalid_state");
    assertThat(sql("SELECT status FROM proactive.callback WHERE id = '" + callbackId + "'")).isEqualTo("waiting");
    // Closed before the citizen ahead leaves, so that it is not e-mailed during another test.
    update("UPDATE proactive.callback SET status = 'expired' WHERE id = '" + callbackId + "'");
    ahead.ws.request("queue.leave");
  }

  @Test
  void withoutAnSmtpRelayTheCallbackIsNotOffered() {
    AblakServer node = TestNodes.shared();
    String token = new Api(vertx, node.baseUrl()).visitToken();
    WsClient ws = WsClient.connect(vertx, node.baseUrl(), null);
    ws.request("hello", new JsonObject().put("token", token));
    JsonObject draft = new Api(vertx, node.baseUrl()).addressRegistrationDraft(token);

    JsonObject joined = ws.request("queue.join", Api.joinMessage(draft));

    assertThat(joined.getBoolean("callbackAvailable")).isFalse();
    assertThat(ws.request("queue.leave", new JsonObject().put("callback", new JsonObject().put("email", "anna@example.hu"))).getString("code"))
        .isEqualTo("callback_unavailable");
    assertThat(ws.request("queue.leave").getString("type")).as("still waiting until then").isEqualTo("queue.left");
    ws.close();
  }

  /** A citizen's visit with a draft case, connected to one node. */
  private final class Citizen {
    final WsClient ws;
    final String caseId;
    final String caseToken;
    private final JsonObject draft;

    Citizen(AblakServer node) {
      Api api = new Api(vertx, node.baseUrl());
      String token = api.visitToken();
      ws = WsClient.connect(vertx, node.baseUrl(), null);
      ws.request("hello", new JsonObject().put("token", token));
      draft = api.addressRegistrationDraft(token);
      caseId = draft.getJsonObject("caseView").getString("id");
      caseToken = draft.getString("citizenToken");
    }

    JsonObject join() {
      JsonObject joined = ws.request("queue.join", Api.joinMessage(draft));
      assertThat(joined.getString("type")).as(joined.encode()).isEqualTo("queue.joined");
      return joined;
    }
  }

  private Citizen citizen(AblakServer node) {
    return new Citizen(node);
  }

  private static String sql(String query) {
    try (var connection = stores.jdbc(); var rows = connection.createStatement().executeQuery(query)) {
      return rows.next() ? rows.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void update(String statement) {
    try (var connection = stores.jdbc()) {
      connection.createStatement().execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String password(String username) {
    return nodeA.demoCredentials().stream().filter(c -> c.username().equals(username)).map(DemoAccounts.Credential::password)
        .findFirst().orElseThrow();
  }

  private static int freePort() {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
