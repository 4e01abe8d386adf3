package ablak.proactive.callback;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.proactive.Await;
import ablak.proactive.Mailbox;
import ablak.proactive.Node;
import ablak.proactive.ProactiveError;
import ablak.proactive.TestClock;
import ablak.proactive.TestDatabase;
import io.vertx.core.Future;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kept places on two nodes sharing one database and a real SMTP server (GreenMail). */
class CallbacksTest {

  private static final Pattern LINK = Pattern.compile("https://ablak\\.test/citizen/\\?callback=([0-9a-f-]{36})&token=([A-Za-z0-9_-]+)");

  private static TestDatabase database;
  private static Mailbox mailbox;
  private static TestClock clock;
  private static Node nodeA;
  private static Node nodeB;

  @BeforeAll
  static void start() {
    database = new TestDatabase();
    mailbox = new Mailbox();
    clock = new TestClock();
    nodeA = new Node(database, Node.settings(), mailbox.port, clock, "node-a");
    nodeB = new Node(database, Node.settings(), mailbox.port, clock, "node-b");
  }

  @AfterAll
  static void stop() {
    nodeA.close();
    nodeB.close();
    mailbox.close();
    database.close();
  }

  @BeforeEach
  void clear() {
    database.clear();
    mailbox.clear();
    clock.set("2027-01-10T12:00");
  }

  @Test
  void twoNodesNotifyingAtOnceSendOneEmailWhoseLinkWorksOnce() throws Exception {
    Callback kept = Await.result(nodeA.proactive.callbacks().create(request("anna@example.hu")));

    List<Future<Boolean>> attempts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      attempts.add((i % 2 == 0 ? nodeA : nodeB).proactive.callbacks().notifyOnce(kept.id(), "https://ablak.test/citizen/"));
    }
    Await.result(Future.join(attempts));

    assertThat(attempts.stream().filter(Future::result).count()).as("exactly one node sent it").isEqualTo(1);
    assertThat(mailbox.messages()).hasSize(1);
    MimeMessage mail = mailbox.messages().get(0);
    assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("anna@example.hu");
    Matcher link = LINK.matcher(((String) mail.getContent()).replace("\r\n", "\n"));
    assertThat(link.find()).as("the e-mail carries the link back").isTrue();
    assertThat(link.group(1)).isEqualTo(kept.id().toString());
    assertThat(database.value("SELECT status FROM proactive.callback")).isEqualTo("notified");
    assertThat(database.value("SELECT count(*) FROM proactive.callback WHERE token_hash = convert_to('" + link.group(2) + "', 'UTF8')"))
        .as("only a hash of the token is stored").isEqualTo("0");

    ProactiveError forged = (ProactiveError) Await.failure(nodeB.proactive.callbacks().rejoin(kept.id(), link.group(2) + "x"));
    assertThat(forged.code()).isEqualTo(ProactiveError.Code.CALLBACK_NOT_FOUND);
    ProactiveError unknown = (ProactiveError) Await.failure(nodeB.proactive.callbacks().rejoin(UUID.randomUUID(), link.group(2)));
    assertThat(unknown.code()).isEqualTo(ProactiveError.Code.CALLBACK_NOT_FOUND);
    assertThat(database.value("SELECT status FROM proactive.callback")).as("refusals change nothing").isEqualTo("notified");

    Callback back = Await.result(nodeB.proactive.callbacks().rejoin(kept.id(), link.group(2)));

    assertThat(back.originalArrival()).isEqualTo(kept.originalArrival());
    assertThat(back.caseToken()).isEqualTo("case-token");
    ProactiveError again = (ProactiveError) Await.failure(nodeA.proactive.callbacks().rejoin(kept.id(), link.group(2)));
    assertThat(again.code()).isEqualTo(ProactiveError.Code.CALLBACK_CLOSED);
    assertThat(Await.result(nodeA.proactive.callbacks().notifyOnce(kept.id(), "https://ablak.test/citizen/"))).isFalse();
    assertThat(mailbox.messages()).hasSize(1);
  }

  @Test
  void aLinkNotUsedWithinTheGraceExpiresAndIsCounted() {
    Callback kept = Await.result(nodeA.proactive.callbacks().create(request("bela@example.hu")));
    Await.result(nodeA.proactive.callbacks().notifyOnce(kept.id(), "https://ablak.test/citizen/"));
    Matcher link = LINK.matcher(body(mailbox.messages().get(0)));
    assertThat(link.find()).isTrue();

    clock.advance(Duration.ofMinutes(14));
    assertThat(Await.result(nodeB.proactive.callbacks().expire())).as("still within the grace").isZero();
    clock.advance(Duration.ofMinutes(2));
    assertThat(Await.result(nodeB.proactive.callbacks().expire())).isEqualTo(1);
    assertThat(Await.result(nodeA.proactive.callbacks().expire())).as("expired once").isZero();

    assertThat(database.value("SELECT status FROM proactive.callback")).isEqualTo("expired");
    ProactiveError late = (ProactiveError) Await.failure(nodeA.proactive.callbacks().rejoin(kept.id(), link.group(2)));
    assertThat(late.code()).isEqualTo(ProactiveError.Code.CALLBACK_CLOSED);
    assertThat(Await.result(nodeA.proactive.callbacks().open())).isEmpty();
  }

  @Test
  void aMalformedAddressIsRefusedAndStoresNothing() {
    for (String bad : new String[] {"", "anna", "anna@", "@example.hu", "anna@example", "an na@example.hu", "a".repeat(250) + "@example.hu"}) {
      ProactiveError refused = (ProactiveError) Await.failure(nodeA.proactive.callbacks().create(request(bad)));
      assertThat(refused.code()).as(bad).isEqualTo(ProactiveError.Code.INVALID_INPUT);
    }
    assertThat(database.value("SELECT count(*) FROM proactive.callback")).isEqualTo("0");
  }

  @Test
  void aRelayThatIsDownLeavesTheCallbackWaitingForTheNextRun() {
    mailbox.stop();
    try {
      Callback kept = Await.result(nodeA.proactive.callbacks().create(request("cecil@example.hu")));
      assertThat(Await.result(nodeA.proactive.callbacks().notifyOnce(kept.id(), "https://ablak.test/citizen/"))).isFalse();
      assertThat(database.value("SELECT status FROM proactive.callback")).as("a relay that is down is tried again").isEqualTo("waiting");
      assertThat(database.value("SELECT token_hash IS NULL FROM proactive.callback")).isEqualTo("t");
    } finally {
      mailbox.start();
    }
  }

  private static NewCallback request(String email) {
    return new NewCallback("address-registration", "hu", UUID.randomUUID(), "case-token", Instant.parse("2027-01-10T10:58:00Z"), email);
  }

  private static String body(MimeMessage message) {
    try {
      return ((String) message.getContent()).replace("\r\n", "\n");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
