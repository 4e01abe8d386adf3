package ablak.proactive.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.proactive.Await;
import ablak.proactive.Mailbox;
import ablak.proactive.Node;
import ablak.proactive.TestClock;
import ablak.proactive.TestDatabase;
import ablak.proactive.subscription.Subscription;
import jakarta.mail.Address;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger under several nodes, dying nodes and a failing SMTP relay. */
class ClusterDispatchTest {

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
  void twoSchedulersRunningAtOnceSendEveryReminderExactlyOnce() throws Exception {
    dueReminders(120);

    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> schedulers = new ArrayList<>();
    for (Node node : List.of(nodeA, nodeB)) {
      Thread scheduler = new Thread(() -> {
        try {
          while (Await.result(node.proactive.dispatcher().runOnce()).claimed() > 0) {
            // keep claiming until this node finds nothing due
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      });
      scheduler.start();
      schedulers.add(scheduler);
    }
    for (Thread scheduler : schedulers) {
      scheduler.join();
    }

    assertThat(failures).isEmpty();
    List<String> recipients = new ArrayList<>();
    for (var message : mailbox.messages()) {
      for (Address address : message.getAllRecipients()) {
        recipients.add(address.toString());
      }
    }
    assertThat(recipients).hasSize(120).doesNotHaveDuplicates();
    assertThat(database.count("status = 'delivered' AND attempts = 1")).isEqualTo(120);
    assertThat(database.value("SELECT count(DISTINCT lease_owner) FROM proactive.delivery WHERE stage = 'first'")).isEqualTo("0");
  }

  @Test
  void aNodeThatDiesMidBatchLosesNothing() throws Exception {
    dueReminders(10);
    try (BlackHole relay = new BlackHole()) {
      Node doomed = new Node(database, Node.settings(), relay.port(), clock, "node-doomed");
      doomed.proactive.dispatcher().runOnce();
      Await.until(() -> database.count("status = 'sending' AND lease_owner = 'node-doomed'") == 10,
          "the doomed node has claimed the batch");
      doomed.close();
    }

    clock.advance(Duration.ofSeconds(Node.settings().leaseSeconds() + 1));
    DispatchRun run = Await.result(nodeB.proactive.dispatcher().runOnce());

    assertThat(run.delivered()).isEqualTo(10);
    assertThat(mailbox.messages()).hasSize(10);
    assertThat(database.count("status = 'delivered' AND attempts = 2")).isEqualTo(10);
  }

  @Test
  void anSmtpOutageIsRetriedWithBackoffUntilTheRelayIsBack() {
    dueReminders(1);
    mailbox.stop();
    try {
      DispatchRun failed = Await.result(nodeA.proactive.dispatcher().runOnce());
      assertThat(failed.temporaryFailures()).isEqualTo(1);
      assertThat(database.value("SELECT status FROM proactive.delivery WHERE stage = 'first'")).isEqualTo("temporary_failure");
      assertThat(Await.result(nodeA.proactive.dispatcher().runOnce()).claimed()).as("not before the backoff").isZero();
    } finally {
      mailbox.start();
    }

    clock.advance(Duration.ofSeconds(61));
    DispatchRun retried = Await.result(nodeA.proactive.dispatcher().runOnce());

    assertThat(retried.delivered()).isEqualTo(1);
    assertThat(mailbox.messages()).hasSize(1);
    assertThat(database.value("SELECT status || ':' || attempts FROM proactive.delivery WHERE stage = 'first'")).isEqualTo("delivered:2");
  }

  @Test
  void aDeliveryThatKeepsFailingEndsAsAPermanentFailure() {
    Node twoTries = new Node(database, Node.settings(1000.0, 2), mailbox.port, clock, "node-two-tries");
    dueReminders(1);
    mailbox.stop();
    try {
      Await.result(twoTries.proactive.dispatcher().runOnce());
      clock.advance(Duration.ofSeconds(61));
      DispatchRun last = Await.result(twoTries.proactive.dispatcher().runOnce());

      assertThat(last.permanentFailures()).isEqualTo(1);
      assertThat(database.value("SELECT status FROM proactive.delivery WHERE stage = 'first'")).isEqualTo("permanent_failure");
      assertThat(database.value("SELECT last_error FROM proactive.delivery WHERE stage = 'first'")).isNotBlank();
    } finally {
      mailbox.start();
      twoTries.close();
    }
  }

  @Test
  void aStartedServiceSendsDueRemindersOnItsOwn() {
    dueReminders(3);

    nodeA.proactive.start();
    try {
      Await.until(() -> database.count("status = 'delivered'") == 3, "the scheduler timer has sent the due reminders");
    } finally {
      Await.result(nodeA.proactive.stop());
    }

    assertThat(mailbox.messages()).hasSize(3);
  }

  /** Imports {@code count} subscribed identity cards whose first reminder is due now. */
  private void dueReminders(int count) {
    StringBuilder csv = new StringBuilder("citizen_id,name,birth_date,email,document_type,document_number,expiry_date\n");
    for (int i = 0; i < count; i++) {
      csv.append("C").append(i).append(",Kiss Anna,1980-03-04,c").append(i)
          .append("@example.hu,identity_card,AB").append(100000 + i).append(",2027-06-15\n");
    }
    assertThat(Await.result(nodeA.proactive.registry().importCsv(csv.toString())).added()).isEqualTo(count);
    for (int i = 0; i < count; i++) {
      Await.result(nodeA.proactive.subscriptions().optIn(
          new Subscription("C" + i, "Kiss Anna", LocalDate.parse("1980-03-04"), "c" + i + "@example.hu", "en", true)));
    }
    clock.set("2027-04-15T09:00");
  }

  /** An SMTP relay that accepts connections and never answers: the node's sends hang until it dies. */
  private static final class BlackHole implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    BlackHole() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(server.accept());
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : held) {
        socket.close();
      }
    }
  }
}
