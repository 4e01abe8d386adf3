package ablak.proactive.appointment;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.proactive.Await;
import ablak.proactive.Mailbox;
import ablak.proactive.Node;
import ablak.proactive.ProactiveError;
import ablak.proactive.TestClock;
import ablak.proactive.TestDatabase;
import io.vertx.core.Future;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppointmentsTest {

  private static final Instant NINE = Instant.parse("2027-03-01T08:00:00Z");
  private static final String CASE = "id-card-replacement";

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
    clock.set(NINE.minus(Duration.ofDays(7)));
  }

  @Test
  void eachSlotOffersOnePlacePerClerkWhoseShiftCoversIt() {
    shift("clerk-1", NINE, NINE.plus(Duration.ofHours(1)));
    shift("clerk-2", NINE.plus(Duration.ofMinutes(20)), NINE.plus(Duration.ofHours(1)));
    shift("clerk-2", NINE.plus(Duration.ofMinutes(20)), NINE.plus(Duration.ofHours(1)));

    List<Slot> slots = Await.result(appointments().openSlots(CASE, "hu", NINE, NINE.plus(Duration.ofDays(1))));

    assertThat(slots).extracting(Slot::startsAt, Slot::capacity).containsExactly(
        org.assertj.core.groups.Tuple.tuple(NINE, 1),
        org.assertj.core.groups.Tuple.tuple(NINE.plus(Duration.ofMinutes(20)), 2),
        org.assertj.core.groups.Tuple.tuple(NINE.plus(Duration.ofMinutes(40)), 2));
    assertThat(Await.result(appointments().openSlots(CASE, "en", NINE, NINE.plus(Duration.ofDays(1))))).isEmpty();
  }

  @Test
  void concurrentBookingsNeverExceedASlotsCapacity() {
    for (int clerk = 0; clerk < 3; clerk++) {
      shift("clerk-" + clerk, NINE, NINE.plus(Duration.ofMinutes(20)));
    }
    long slot = onlySlot().id();
    Node other = new Node(database, Node.settings(), mailbox.port, clock, "node-b");
    try {
      List<Future<Appointment>> bookings = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        Node via = i % 2 == 0 ? node : other;
        bookings.add(via.proactive.appointments().book(new Booking(slot, "C" + i, "Citizen " + i, "c" + i + "@example.hu")));
      }
      Await.result(Future.join(new ArrayList<>(bookings)).otherwiseEmpty());

      assertThat(bookings.stream().filter(Future::succeeded).count()).isEqualTo(3);
      assertThat(bookings.stream().filter(Future::failed).map(f -> ((ProactiveError) f.cause()).code()))
          .hasSize(21).containsOnly(ProactiveError.Code.SLOT_FULL);
      assertThat(database.value("SELECT booked FROM proactive.slot")).isEqualTo("3");
      assertThat(database.value("SELECT count(*) FROM proactive.appointment")).isEqualTo("3");
    } finally {
      other.close();
    }
  }

  @Test
  void aBookingIsConfirmedByEmailWithACalendarEntry() throws Exception {
    shift("clerk-1", NINE, NINE.plus(Duration.ofMinutes(20)));
    Appointment appointment = book("C1");

    Await.result(node.proactive.dispatcher().runOnce());

    MimeMessage message = mailbox.messages().get(0);
    assertThat(message.getSubject()).isEqualTo("Videós időpont: 2027. 03. 01. 09:00");
    String calendar = calendarOf(message);
    assertThat(calendar).contains("METHOD:REQUEST\r\n", "UID:" + appointment.id() + "@ablak\r\n",
        "DTSTART:20270301T080000Z\r\n", "DTEND:20270301T082000Z\r\n", "SEQUENCE:0\r\n", "STATUS:CONFIRMED\r\n");
    assertThat(calendar.split("\r\n")).allSatisfy(line ->
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(75));
  }

  @Test
  void reschedulingMovesThePlaceAndCancellingFreesIt() throws Exception {
    shift("clerk-1", NINE, NINE.plus(Duration.ofMinutes(40)));
    List<Slot> slots = Await.result(appointments().openSlots(CASE, "hu", NINE, NINE.plus(Duration.ofDays(1))));
    Appointment booked = book("C1");

    Appointment moved = Await.result(appointments().reschedule(booked.id(), slots.get(1).id()));
    assertThat(moved.startsAt()).isEqualTo(NINE.plus(Duration.ofMinutes(20)));
    assertThat(moved.sequence()).isEqualTo(1);
    assertThat(Await.result(appointments().openSlots(CASE, "hu", NINE, NINE.plus(Duration.ofDays(1)))))
        .extracting(Slot::startsAt).containsExactly(NINE);

    Appointment cancelled = Await.result(appointments().cancel(booked.id()));
    assertThat(cancelled.status()).isEqualTo("cancelled");
    assertThat(Await.result(appointments().openSlots(CASE, "hu", NINE, NINE.plus(Duration.ofDays(1))))).hasSize(2);

    Await.result(node.proactive.dispatcher().runOnce());
    assertThat(mailbox.messages()).hasSize(3);
    // Sent side by side, they may arrive in any order: SEQUENCE tells calendars which is the latest (RFC 5546 §2.1.4).
    List<String> calendars = new ArrayList<>();
    for (MimeMessage message : mailbox.messages()) {
      calendars.add(calendarOf(message));
    }
    assertThat(calendars).anySatisfy(calendar ->
        assertThat(calendar).contains("METHOD:CANCEL\r\n", "SEQUENCE:2\r\n", "STATUS:CANCELLED\r\n"));
    assertThat(calendars).anySatisfy(calendar -> assertThat(calendar).contains("METHOD:REQUEST\r\n", "SEQUENCE:1\r\n"));
    assertThat(((ProactiveError) Await.failure(appointments().cancel(booked.id()))).code())
        .isEqualTo(ProactiveError.Code.APPOINTMENT_CLOSED);
  }

  @Test
  void joiningAtTheBookedTimeMarksTheCitizenAsComeForTheAppointment() {
    shift("clerk-1", NINE, NINE.plus(Duration.ofMinutes(20)));
    Appointment booked = book("C1");

    clock.set(NINE.minus(Duration.ofMinutes(30)));
    assertThat(((ProactiveError) Await.failure(appointments().join(booked.id(), "C1"))).code())
        .isEqualTo(ProactiveError.Code.OUTSIDE_APPOINTMENT_TIME);
    clock.set(NINE.minus(Duration.ofMinutes(5)));
    assertThat(((ProactiveError) Await.failure(appointments().join(booked.id(), "someone-else"))).code())
        .isEqualTo(ProactiveError.Code.APPOINTMENT_NOT_FOUND);

    Appointment joined = Await.result(appointments().join(booked.id(), "C1"));

    assertThat(joined.status()).isEqualTo("joined");
    clock.set(NINE.plus(Duration.ofHours(1)));
    assertThat(Await.result(appointments().recordNoShows())).isZero();
  }

  @Test
  void anAppointmentNobodyJoinedIsRecordedAsANoShow() {
    shift("clerk-1", NINE, NINE.plus(Duration.ofMinutes(20)));
    Appointment booked = book("C1");

    clock.set(NINE.plus(Duration.ofMinutes(10)));
    assertThat(Await.result(appointments().recordNoShows())).isZero();
    clock.set(NINE.plus(Duration.ofMinutes(16)));
    assertThat(Await.result(appointments().recordNoShows())).isEqualTo(1);

    assertThat(Await.result(appointments().find(booked.id())).orElseThrow().status()).isEqualTo("no_show");
  }

  @Test
  void badShiftsAndBookingsAreRefusedAndChangeNothing() {
    Throwable misaligned = Await.failure(appointments().addShift(
        new ClerkShift("clerk-1", CASE, "hu", NINE.plus(Duration.ofMinutes(7)), NINE.plus(Duration.ofHours(1)))));
    Throwable unknownSlot = Await.failure(appointments().book(new Booking(999_999, "C1", "Kiss Anna", "anna@example.hu")));

    assertThat(((ProactiveError) misaligned).code()).isEqualTo(ProactiveError.Code.INVALID_INPUT);
    assertThat(((ProactiveError) unknownSlot).code()).isEqualTo(ProactiveError.Code.SLOT_NOT_FOUND);
    assertThat(database.value("SELECT count(*) FROM proactive.slot")).isEqualTo("0");
  }

  @Test
  void removingAShiftGivesUpItsPlacesButNeverABookedOne() {
    shift("clerk-1", NINE, NINE.plus(Duration.ofMinutes(40)));
    shift("clerk-2", NINE, NINE.plus(Duration.ofMinutes(20)));
    List<Shift> shifts = Await.result(appointments().shifts(NINE, NINE.plus(Duration.ofDays(1))));
    Shift first = shifts.stream().filter(s -> s.clerkId().equals("clerk-1")).findFirst().orElseThrow();
    Shift second = shifts.stream().filter(s -> s.clerkId().equals("clerk-2")).findFirst().orElseThrow();
    book("C1");
    book("C2");

    Throwable refused = Await.failure(appointments().removeShift(second.id()));
    assertThat(((ProactiveError) refused).code()).isEqualTo(ProactiveError.Code.SHIFT_HAS_BOOKINGS);
    assertThat(Await.result(appointments().shifts(NINE, NINE.plus(Duration.ofDays(1))))).hasSize(2);
    assertThat(database.value("SELECT capacity FROM proactive.slot WHERE starts_at = '2027-03-01T08:00:00Z'")).isEqualTo("2");

    Appointment oneOfThem = Await.result(appointments().list(NINE, NINE.plus(Duration.ofDays(1)), "booked")).get(0);
    Await.result(appointments().cancel(oneOfThem.id()));
    Await.result(appointments().removeShift(second.id()));

    assertThat(Await.result(appointments().shifts(NINE, NINE.plus(Duration.ofDays(1))))).containsExactly(first);
    assertThat(database.value("SELECT capacity FROM proactive.slot WHERE starts_at = '2027-03-01T08:00:00Z'")).isEqualTo("1");
    assertThat(((ProactiveError) Await.failure(appointments().removeShift(second.id()))).code())
        .isEqualTo(ProactiveError.Code.SHIFT_NOT_FOUND);
  }

  @Test
  void theLinkInTheConfirmationManagesOnlyItsOwnAppointment() throws Exception {
    shift("clerk-1", NINE, NINE.plus(Duration.ofMinutes(40)));
    Appointment mine = book("C1");
    Appointment theirs = book("C2");
    String token = appointments().manageToken(mine.id());

    Await.result(node.proactive.dispatcher().runOnce());

    assertThat(mailbox.messages()).anySatisfy(message -> assertThat(textOf(message))
        .contains("https://ablak.test/appointments?appointment=" + mine.id() + "&token=" + token));
    assertThat(Await.result(appointments().authorize(mine.id(), token)).id()).isEqualTo(mine.id());
    assertThat(((ProactiveError) Await.failure(appointments().authorize(theirs.id(), token))).code())
        .isEqualTo(ProactiveError.Code.APPOINTMENT_NOT_FOUND);
    assertThat(((ProactiveError) Await.failure(appointments().authorize(mine.id(), token.substring(1)))).code())
        .isEqualTo(ProactiveError.Code.APPOINTMENT_NOT_FOUND);
    assertThat(((ProactiveError) Await.failure(appointments().authorize(mine.id(), null))).code())
        .isEqualTo(ProactiveError.Code.APPOINTMENT_NOT_FOUND);
  }

  private static String textOf(MimeMessage message) throws Exception {
    MimeMultipart parts = (MimeMultipart) message.getContent();
    return ((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n");
  }

  private Appointment book(String citizenId) {
    return Await.result(appointments().book(new Booking(onlyFirstSlot().id(), citizenId, "Kiss Anna", "anna@example.hu")));
  }

  private Slot onlySlot() {
    List<Slot> slots = Await.result(appointments().openSlots(CASE, "hu", NINE, NINE.plus(Duration.ofDays(1))));
    assertThat(slots).hasSize(1);
    return slots.get(0);
  }

  private Slot onlyFirstSlot() {
    return Await.result(appointments().openSlots(CASE, "hu", NINE, NINE.plus(Duration.ofDays(1)))).get(0);
  }

  private void shift(String clerk, Instant from, Instant to) {
    Await.result(appointments().addShift(new ClerkShift(clerk, CASE, "hu", from, to)));
  }

  private static String calendarOf(MimeMessage message) throws Exception {
    MimeMultipart parts = (MimeMultipart) message.getContent();
    for (int i = 0; i < parts.getCount(); i++) {
      BodyPart part = parts.getBodyPart(i);
      if (part.getContentType().startsWith("text/calendar")) {
        try (InputStream in = part.getInputStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new AssertionError("no calendar attachment");
  }

  private Appointments appointments() {
    return node.proactive.appointments();
  }

}
