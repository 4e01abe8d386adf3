package ablak.proactive.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.proactive.Await;
import ablak.proactive.Mailbox;
import ablak.proactive.Node;
import ablak.proactive.ProactiveError;
import ablak.proactive.TestClock;
import ablak.proactive.TestDatabase;
import ablak.proactive.delivery.DispatchRun;
import ablak.proactive.subscription.Subscription;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reminder rules, end to end: registry import, consent, the ledger, SMTP, under a test clock. */
class ReminderScheduleTest {

  private static final String HEADER = "citizen_id,name,birth_date,email,document_type,document_number,expiry_date\n";

  private static TestDatabase database;
  private static Mailbox mailbox;
  private static TestClock clock;
  private static Node node;

  @BeforeAll
  static void start() {
    database = new TestDatabase();
    mailbox = new Mailbox();
    clock = new TestClock();
    node = new Node(database, Node.settings(), mailbox.port, clock, "node-a");
  }

  @AfterAll
  static void stop() {
    node.close();
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
  void anIdentityCardGetsThreeRemindersTwoMonthsOneMonthAndOnTheDay() {
    importRow("C1,Kiss Anna,1980-03-04,anna@example.hu,identity_card,AB123456,2027-06-15");
    subscribe("C1", "Kiss Anna", "1980-03-04", "anna@example.hu", "en");

    clock.set("2027-04-14T09:00");
    assertThat(runAt()).isEmpty();
    clock.set("2027-04-15T09:00");
    assertThat(runAt()).containsExactly("Your identity card expires on 15 June 2027");
    assertThat(runAt()).as("sending again the same day sends nothing").isEmpty();
    clock.set("2027-05-15T09:00");
    assertThat(runAt()).containsExactly("Your identity card expires on 15 June 2027");
    clock.set("2027-06-15T09:00");
    assertThat(runAt()).containsExactly("Your identity card expires today");
    assertThat(database.count("status = 'delivered' AND recipient = 'anna@example.hu'")).isEqualTo(3);
  }

  @Test
  void aPassportsFirstReminderComesSixMonthsBeforeExpiry() {
    importRow("C2,Nagy Béla,1975-11-30,bela@example.hu,passport,BA7654321,2027-12-20");
    subscribe("C2", "Nagy Béla", "1975-11-30", "bela@example.hu", "hu");

    clock.set("2027-06-20T09:00");
    assertThat(runAt()).containsExactly("Lejár az Ön útlevele – 2027. 12. 20.");
    clock.set("2027-10-20T09:00");
    assertThat(runAt()).as("no two-month reminder for a passport").isEmpty();
    clock.set("2027-11-20T09:00");
    assertThat(runAt()).hasSize(1);
  }

  @Test
  void theReminderCarriesTheHoldersDataAndABookingLink() throws Exception {
    importRow("C3,Kiss Anna,1980-03-04,anna@example.hu,driving_licence,DL998877,2027-06-15");
    subscribe("C3", "Kiss Anna", "1980-03-04", "anna@example.hu", "hu");

    clock.set("2027-04-15T09:00");
    Await.result(node.proactive.dispatcher().runOnce());

    MimeMessage message = mailbox.messages().get(0);
    String body = ((String) message.getContent()).replace("\r\n", "\n");
    assertThat(message.getAllRecipients()[0].toString()).isEqualTo("anna@example.hu");
    assertThat(body).contains("Kedves Kiss Anna!", "vezetői engedélye (száma: DL998877)",
        "https://ablak.test/appointments?caseType=driving-licence-renewal&lang=hu");
  }

  @Test
  void aDocumentImportedLateGetsOnlyTheRemindersStillAhead() {
    clock.set("2027-05-20T12:00");
    importRow("C4,Kiss Anna,1980-03-04,anna@example.hu,identity_card,AB123456,2027-06-15");
    subscribe("C4", "Kiss Anna", "1980-03-04", "anna@example.hu", "en");

    assertThat(runAt()).as("the passed stages are not sent late").isEmpty();
    assertThat(database.value("SELECT string_agg(stage, ',') FROM proactive.delivery")).isEqualTo("expiry_day");
    clock.set("2027-06-15T09:00");
    assertThat(runAt()).containsExactly("Your identity card expires today");
  }

  @Test
  void optingOutBetweenStagesStopsTheNextReminderAndOptingInAgainResumes() {
    importRow("C5,Kiss Anna,1980-03-04,anna@example.hu,identity_card,AB123456,2027-06-15");
    subscribe("C5", "Kiss Anna", "1980-03-04", "anna@example.hu", "en");
    clock.set("2027-04-15T09:00");
    assertThat(runAt()).hasSize(1);

    Await.result(node.proactive.subscriptions().optOut("C5"));
    clock.set("2027-05-15T09:00");
    assertThat(runAt()).isEmpty();
    assertThat(database.value("SELECT skip_reason FROM proactive.delivery WHERE stage = 'second'")).isEqualTo("opted_out");

    subscribe("C5", "Kiss Anna", "1980-03-04", "anna@example.hu", "en");
    clock.set("2027-06-15T09:00");
    assertThat(runAt()).hasSize(1);
  }

  @Test
  void aSubscriberWhoseDataDifferFromTheRegistryGetsNothing() {
    importRow("C6,Kiss Anna,1980-03-04,anna@example.hu,identity_card,AB123456,2027-06-15");
    subscribe("C6", "Kiss Anna", "1980-03-04", "anna.new@example.hu", "en");

    clock.set("2027-04-15T09:00");
    assertThat(runAt()).isEmpty();
    assertThat(database.value("SELECT status || ':' || skip_reason FROM proactive.delivery WHERE stage = 'first'"))
        .isEqualTo("skipped:data_mismatch");
  }

  @Test
  void aCitizenWhoNeverSubscribedGetsNothing() {
    importRow("C7,Kiss Anna,1980-03-04,anna@example.hu,identity_card,AB123456,2027-06-15");

    clock.set("2027-04-15T09:00");
    assertThat(runAt()).isEmpty();
    assertThat(database.value("SELECT skip_reason FROM proactive.delivery WHERE stage = 'first'")).isEqualTo("not_subscribed");
  }

  @Test
  void aRenewedDocumentStopsTheOldOnesRemindersAndGetsItsOwn() {
    importRow("C8,Kiss Anna,1980-03-04,anna@example.hu,identity_card,AB123456,2027-06-15");
    subscribe("C8", "Kiss Anna", "1980-03-04", "anna@example.hu", "en");
    clock.set("2027-04-15T09:00");
    assertThat(runAt()).hasSize(1);

    importRow("C8,Kiss Anna,1980-03-04,anna@example.hu,identity_card,CD555666,2033-04-20");
    clock.set("2027-05-15T09:00");
    assertThat(runAt()).isEmpty();
    assertThat(database.value("SELECT skip_reason FROM proactive.delivery WHERE document_number = 'AB123456' AND stage = 'second'"))
        .isEqualTo("document_renewed");
    clock.set("2033-02-20T09:00");
    assertThat(runAt()).containsExactly("Your identity card expires on 20 April 2033");
  }

  @Test
  void optingInWithIncompleteDataIsRefusedAndRecordsNothing() {
    Throwable failure = Await.failure(node.proactive.subscriptions().optIn(
        new Subscription("C9", "Kiss Anna", LocalDate.parse("1980-03-04"), "not-an-address", "de", true)));

    assertThat(((ProactiveError) failure).code()).isEqualTo(ProactiveError.Code.INVALID_INPUT);
    assertThat(Await.result(node.proactive.subscriptions().find("C9"))).isEmpty();
  }

  @Test
  void theRateLimitHoldsBackWhatExceedsIt() {
    Node limited = new Node(database, Node.settings(2.0, 3), mailbox.port, clock, "node-limited");
    try {
      for (int i = 0; i < 5; i++) {
        importRow("R" + i + ",Kiss Anna,1980-03-04,r" + i + "@example.hu,identity_card,AB00000" + i + ",2027-06-15");
        subscribe("R" + i, "Kiss Anna", "1980-03-04", "r" + i + "@example.hu", "en");
      }
      clock.set("2027-04-15T09:00");
      DispatchRun first = Await.result(limited.proactive.dispatcher().runOnce());
      DispatchRun second = Await.result(limited.proactive.dispatcher().runOnce());
      clock.advance(Duration.ofSeconds(1));
      DispatchRun third = Await.result(limited.proactive.dispatcher().runOnce());

      assertThat(List.of(first.delivered(), second.delivered(), third.delivered())).containsExactly(2, 0, 2);
    } finally {
      limited.close();
    }
  }

  private void importRow(String row) {
    var report = Await.result(node.proactive.registry().importCsv(HEADER + row + "\n"));
    assertThat(report.errors()).isEmpty();
  }

  private void subscribe(String citizenId, String name, String birthDate, String email, String language) {
    Await.result(node.proactive.subscriptions().optIn(
        new Subscription(citizenId, name, LocalDate.parse(birthDate), email, language, true)));
  }

  /** Runs the scheduler once and returns the subjects of the e-mails it sent. */
  private List<String> runAt() {
    int before = mailbox.messages().size();
    DispatchRun run = Await.result(node.proactive.dispatcher().runOnce());
    List<MimeMessage> messages = mailbox.messages();
    assertThat(messages).hasSize(before + run.delivered());
    return messages.subList(before, messages.size()).stream().map(ReminderScheduleTest::subject).toList();
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
