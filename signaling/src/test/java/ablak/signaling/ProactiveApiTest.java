package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proactive REST API on a running node: real PostgreSQL, the node's own scheduler sending
 * through a real SMTP server, and the roles and refusals of every route.
 */
class ProactiveApiTest {

  private static final String CASE = "passport-renewal";
  private static ProactiveNode node;

  private final LocalDate tomorrow = LocalDate.now(ProactiveNode.ZONE).plusDays(1);

  @BeforeAll
  static void start() {
    node = new ProactiveNode();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @BeforeEach
  void clear() {
    node.update("TRUNCATE proactive.document, proactive.subscription, proactive.delivery, proactive.appointment, "
        + "proactive.slot, proactive.clerk_shift");
    node.mail.reset();
  }

  @Test
  void aCitizenBooksReschedulesAndCancelsWithTheLinkFromTheConfirmation() throws Exception {
    node.shift(CASE, "en", tomorrow, 10);
    JsonArray slots = slots(CASE, "en");
    assertThat(slots).hasSize(3);
    long first = slots.getJsonObject(0).getLong("id");
    long second = slots.getJsonObject(1).getLong("id");

    HttpResponse<Buffer> booked = node.asCitizen(HttpMethod.POST, "/api/appointments", booking(first, CASE, "en"));
    assertThat(booked.statusCode()).as(booked.bodyAsString()).isEqualTo(201);
    JsonObject body = booked.bodyAsJsonObject();
    String id = body.getJsonObject("appointment").getString("id");
    String token = body.getString("manageToken");
    assertThat(body.getString("confirmationEmail")).isEqualTo("queued");
    assertThat(body.getString("manageUrl")).isEqualTo(node.server.baseUrl() + "/appointments/?appointment=" + id + "&token=" + token);

    // The node's own scheduler sends the confirmation with its calendar entry.
    // A send of the previous test still in flight when the tables were emptied may arrive too: find this booking's.
    Await.until(() -> confirmationOf(id) != null, "the confirmation reaches the SMTP server");
    MimeMessage confirmation = confirmationOf(id);
    assertThat(confirmation.getAllRecipients()[0].toString()).isEqualTo("anna@example.hu");
    assertThat(ProactiveNode.calendarOf(confirmation)).contains("METHOD:REQUEST\r\n", "UID:" + id + "@ablak\r\n", "SEQUENCE:0\r\n");
    assertThat(ProactiveNode.textOf(confirmation)).contains(body.getString("manageUrl"));

    HttpResponse<Buffer> read = node.withToken(HttpMethod.GET, "/api/appointments/" + id, token, null);
    assertThat(read.bodyAsJsonObject().getString("status")).isEqualTo("booked");
    assertThat(read.bodyAsJsonObject().getString("startsAt")).isEqualTo(slots.getJsonObject(0).getString("startsAt"));

    HttpResponse<Buffer> moved = node.withToken(HttpMethod.POST, "/api/appointments/" + id + "/rescheduling", token,
        new JsonObject().put("slotId", second));
    assertThat(moved.statusCode()).as(moved.bodyAsString()).isEqualTo(200);
    assertThat(moved.bodyAsJsonObject().getString("startsAt")).isEqualTo(slots.getJsonObject(1).getString("startsAt"));

    HttpResponse<Buffer> cancelled = node.withToken(HttpMethod.POST, "/api/appointments/" + id + "/cancellation", token, null);
    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("cancelled");
    assertThat(slots(CASE, "en")).hasSize(3);
    // Counting e-mails could count a stray one from the previous test: wait for this appointment's cancellation.
    Await.until(() -> calendarsOf(id).stream().anyMatch(calendar -> calendar.contains("METHOD:CANCEL\r\n")),
        "the cancellation reaches the SMTP server");
    assertThat(calendarsOf(id)).anySatisfy(calendar -> assertThat(calendar).contains("METHOD:CANCEL\r\n", "SEQUENCE:2\r\n"));

    HttpResponse<Buffer> again = node.withToken(HttpMethod.POST, "/api/appointments/" + id + "/cancellation", token, null);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("code")).isEqualTo("appointment_closed");
  }

  @Test
  void theManageTokenOpensOnlyItsOwnAppointment() {
    node.shift(CASE, "en", tomorrow, 10);
    JsonArray slots = slots(CASE, "en");
    JsonObject mine = node.asCitizen(HttpMethod.POST, "/api/appointments", booking(slots.getJsonObject(0).getLong("id"), CASE, "en"))
        .bodyAsJsonObject();
    JsonObject theirs = node.asCitizen(HttpMethod.POST, "/api/appointments", booking(slots.getJsonObject(1).getLong("id"), CASE, "en"))
        .bodyAsJsonObject();
    String theirId = theirs.getJsonObject("appointment").getString("id");

    HttpResponse<Buffer> wrongToken = node.withToken(HttpMethod.POST, "/api/appointments/" + theirId + "/cancellation",
        mine.getString("manageToken"), null);
    HttpResponse<Buffer> noToken = node.call(HttpMethod.GET, "/api/appointments/" + theirId, Map.of(), null);
    HttpResponse<Buffer> notAnId = node.withToken(HttpMethod.GET, "/api/appointments/42", mine.getString("manageToken"), null);

    assertThat(wrongToken.statusCode()).isEqualTo(404);
    assertThat(wrongToken.bodyAsJsonObject().getString("code")).isEqualTo("appointment_not_found");
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(notAnId.statusCode()).isEqualTo(400);
    assertThat(node.sql("SELECT status FROM proactive.appointment WHERE id = '" + theirId + "'")).isEqualTo("booked");
  }

  @Test
  void everyRouteLetsInOnlyItsRoles() {
    JsonObject shift = node.shift(CASE, "en", tomorrow, 10);
    String shiftBody = "/api/appointments/shifts/" + shift.getLong("id");

    assertThat(node.asStaff(HttpMethod.GET, "/api/appointments/shifts", null, null).statusCode()).isEqualTo(401);
    assertThat(node.asStaff(HttpMethod.GET, "/api/appointments/shifts", node.clerk, null).statusCode()).isEqualTo(403);
    assertThat(node.asCitizen(HttpMethod.GET, "/api/appointments/shifts", null).statusCode()).isEqualTo(403);
    assertThat(node.asStaff(HttpMethod.GET, "/api/appointments/shifts", node.admin, null).statusCode()).isEqualTo(200);
    assertThat(node.asStaff(HttpMethod.DELETE, shiftBody, node.clerk, null).statusCode()).isEqualTo(403);
    assertThat(node.asCitizen(HttpMethod.GET, "/api/appointments", null).statusCode()).isEqualTo(403);
    assertThat(node.asStaff(HttpMethod.GET, "/api/appointments", node.admin, null).statusCode()).isEqualTo(403);
    assertThat(node.asStaff(HttpMethod.GET, "/api/appointments/no-shows", node.clerk, null).statusCode()).isEqualTo(403);
    assertThat(node.asStaff(HttpMethod.GET, "/api/appointments", node.supervisor, null).statusCode()).isEqualTo(200);
    assertThat(node.call(HttpMethod.POST, "/api/registry/imports", Map.of("Cookie", node.supervisor, "Content-Type", "text/csv"), null)
        .statusCode()).isEqualTo(403);
    assertThat(node.asStaff(HttpMethod.POST, "/api/appointments", node.clerk,
        booking(slots(CASE, "en").getJsonObject(0).getLong("id"), CASE, "en")).statusCode()).isEqualTo(403);
    assertThat(node.asStaff(HttpMethod.POST, "/api/reminders/subscriptions", null, subscription()).statusCode()).isEqualTo(401);
    assertThat(node.asStaff(HttpMethod.GET, "/api/appointments/slots?caseType=" + CASE + "&lang=en", null, null).statusCode())
        .isEqualTo(401);
    assertThat(node.sql("SELECT count(*) FROM proactive.appointment")).isEqualTo("0");
    assertThat(node.sql("SELECT count(*) FROM proactive.clerk_shift")).isEqualTo("1");
    assertThat(node.sql("SELECT count(*) FROM proactive.subscription")).isEqualTo("0");
  }

  @Test
  void badBookingsAndShiftsAreRefusedAndChangeNothing() {
    JsonObject shift = node.shift(CASE, "en", tomorrow, 10);
    long slot = slots(CASE, "en").getJsonObject(0).getLong("id");
    String before = node.sql("SELECT string_agg(capacity || '/' || booked, ',' ORDER BY starts_at) FROM proactive.slot");

    assertError(node.asCitizen(HttpMethod.POST, "/api/appointments", booking(slot, "id-card-replacement", "en")), 400, "invalid_message");
    assertError(node.asCitizen(HttpMethod.POST, "/api/appointments", booking(slot, CASE, "hu")), 400, "invalid_message");
    assertError(node.asCitizen(HttpMethod.POST, "/api/appointments", booking(slot, CASE, "en").put("email", "not an address")), 400,
        "invalid_message");
    assertError(node.asCitizen(HttpMethod.POST, "/api/appointments", booking(slot, CASE, "en").put("name", " ")), 400, "invalid_message");
    assertError(node.asCitizen(HttpMethod.POST, "/api/appointments", booking(slot, CASE, "en").put("slotId", "first")), 400,
        "invalid_message");
    assertError(node.asCitizen(HttpMethod.POST, "/api/appointments", booking(999_999, CASE, "en")), 404, "slot_not_found");
    assertError(node.asStaff(HttpMethod.POST, "/api/appointments/shifts", node.supervisor,
        shiftBody(node.clerkId, CASE, "en", tomorrow.atTime(10, 7))), 400, "invalid_message");
    assertError(node.asStaff(HttpMethod.POST, "/api/appointments/shifts", node.supervisor,
        shiftBody(node.clerkId, "no-such-case", "en", tomorrow.atTime(12, 0))), 400, "invalid_message");
    assertError(node.asStaff(HttpMethod.POST, "/api/appointments/shifts", node.supervisor,
        shiftBody("not-a-clerk", CASE, "en", tomorrow.atTime(12, 0))), 400, "invalid_message");
    assertError(node.asStaff(HttpMethod.POST, "/api/appointments/shifts", node.supervisor,
        shiftBody(node.clerkId, CASE, "de", tomorrow.atTime(12, 0))), 400, "invalid_message");
    assertError(node.asStaff(HttpMethod.GET, "/api/appointments/shifts?from=" + tomorrow + "&to=" + tomorrow.plusDays(90),
        node.supervisor, null), 400, "invalid_message");
    assertError(node.asStaff(HttpMethod.DELETE, "/api/appointments/shifts/999999", node.supervisor, null), 404, "shift_not_found");

    assertThat(node.sql("SELECT string_agg(capacity || '/' || booked, ',' ORDER BY starts_at) FROM proactive.slot")).isEqualTo(before);
    assertThat(node.sql("SELECT count(*) FROM proactive.clerk_shift")).isEqualTo("1");
    assertThat(node.sql("SELECT count(*) FROM proactive.appointment")).isEqualTo("0");

    // A full slot, and a shift whose slots are booked, refuse too.
    assertThat(node.asCitizen(HttpMethod.POST, "/api/appointments", booking(slot, CASE, "en")).statusCode()).isEqualTo(201);
    assertError(node.asCitizen(HttpMethod.POST, "/api/appointments", booking(slot, CASE, "en")), 409, "slot_full");
    assertError(node.asStaff(HttpMethod.DELETE, "/api/appointments/shifts/" + shift.getLong("id"), node.supervisor, null), 409,
        "shift_has_bookings");
    assertThat(node.sql("SELECT count(*) FROM proactive.clerk_shift")).isEqualTo("1");
    assertThat(node.sql("SELECT capacity || '/' || booked FROM proactive.slot WHERE id = " + slot)).isEqualTo("1/1");
  }

  @Test
  void shiftsAreListedAndRemovedAndAddingOneTwiceChangesNothing() {
    JsonObject shift = node.shift(CASE, "hu", tomorrow, 14);
    HttpResponse<Buffer> twice = node.asStaff(HttpMethod.POST, "/api/appointments/shifts", node.admin,
        shiftBody(node.clerkId, CASE, "hu", tomorrow.atTime(14, 0)));

    assertThat(twice.statusCode()).isEqualTo(200);
    assertThat(twice.bodyAsJsonObject().getLong("id")).isEqualTo(shift.getLong("id"));
    JsonArray listed = node.asStaff(HttpMethod.GET, "/api/appointments/shifts?from=" + tomorrow + "&to=" + tomorrow, node.supervisor, null)
        .bodyAsJsonArray();
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getString("clerkId")).isEqualTo(node.clerkId);
    assertThat(slots(CASE, "hu").getJsonObject(0).getInteger("free")).isEqualTo(1);

    assertThat(node.asStaff(HttpMethod.DELETE, "/api/appointments/shifts/" + shift.getLong("id"), node.supervisor, null).statusCode())
        .isEqualTo(204);
    assertThat(slots(CASE, "hu")).isEmpty();
  }

  @Test
  void theRegistryImportReportsBadRowsAndStoresTheGoodOnes() {
    String csv = """
        citizen_id,name,birth_date,email,document_type,document_number,expiry_date
        C1,Kiss Anna,1980-03-04,anna@example.hu,identity_card,AB123456,2030-06-15
        C2,"Nagy, Béla",1975-11-30,bela@example.hu,passport,BA7654321,2030-13-45
        """;
    HttpResponse<Buffer> imported = importRegistry("text/csv; charset=utf-8", csv);
    JsonObject report = imported.bodyAsJsonObject();

    assertThat(imported.statusCode()).isEqualTo(200);
    assertThat(report.getInteger("rows")).isEqualTo(2);
    assertThat(report.getInteger("added")).isEqualTo(1);
    assertThat(report.getJsonArray("errors")).hasSize(1);
    assertThat(report.getJsonArray("errors").getJsonObject(0).getInteger("row")).isEqualTo(2);
    assertThat(report.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("expiry_date");

    JsonArray json = new JsonArray().add(new JsonObject().put("citizen_id", "C3").put("name", "Szabó Éva").put("birth_date", "1990-01-02")
        .put("email", "eva@example.hu").put("document_type", "driving_licence").put("document_number", "DL123456")
        .put("expiry_date", "2031-01-01"));
    assertThat(importRegistry("application/json", json.encode()).bodyAsJsonObject().getInteger("added")).isEqualTo(1);
    assertThat(node.sql("SELECT count(*) FROM proactive.document")).isEqualTo("2");

    assertError(importRegistry("text/csv", "who,what\nx,y\n"), 400, "invalid_message");
    assertError(importRegistry("application/json", "{\"not\": \"an array\"}"), 400, "invalid_message");
    assertError(importRegistry("application/xml", "<rows/>"), 415, "unsupported_media_type");
    assertThat(node.sql("SELECT count(*) FROM proactive.document")).isEqualTo("2");
  }

  @Test
  void aCitizenSubscribesOptsOutWithTheSameDataAndOptsInAgain() {
    HttpResponse<Buffer> subscribed = node.asCitizen(HttpMethod.POST, "/api/reminders/subscriptions", subscription());
    assertThat(subscribed.statusCode()).as(subscribed.bodyAsString()).isEqualTo(200);
    assertThat(subscribed.bodyAsJsonObject().getBoolean("optedIn")).isTrue();

    JsonObject stranger = subscription().put("birthDate", "1981-03-04");
    assertError(node.asCitizen(HttpMethod.POST, "/api/reminders/subscriptions/opt-out", stranger), 404, "subscription_not_found");
    assertThat(node.sql("SELECT opted_in FROM proactive.subscription WHERE citizen_id = 'C1'")).isEqualTo("t");

    HttpResponse<Buffer> out = node.asCitizen(HttpMethod.POST, "/api/reminders/subscriptions/opt-out",
        subscription().put("name", "KISS  anna").put("email", "ANNA@example.hu"));
    assertThat(out.bodyAsJsonObject().getBoolean("optedIn")).isFalse();
    assertThat(node.sql("SELECT opted_in FROM proactive.subscription WHERE citizen_id = 'C1'")).isEqualTo("f");

    assertThat(node.asCitizen(HttpMethod.POST, "/api/reminders/subscriptions", subscription()).statusCode()).isEqualTo(200);
    assertThat(node.sql("SELECT opted_in FROM proactive.subscription WHERE citizen_id = 'C1'")).isEqualTo("t");
  }

  @Test
  void badSubscriptionsAreRefusedAndStoreNothing() {
    assertError(node.asCitizen(HttpMethod.POST, "/api/reminders/subscriptions", subscription().put("birthDate", "04/03/1980")), 400,
        "invalid_message");
    assertError(node.asCitizen(HttpMethod.POST, "/api/reminders/subscriptions", subscription().put("language", "de")), 400,
        "invalid_message");
    assertError(node.asCitizen(HttpMethod.POST, "/api/reminders/subscriptions", subscription().put("citizenId", "C 1; drop")), 400,
        "invalid_message");
    assertError(node.asCitizen(HttpMethod.POST, "/api/reminders/subscriptions", subscription().put("email", "anna")), 400,
        "invalid_message");
    assertThat(node.sql("SELECT count(*) FROM proactive.subscription")).isEqualTo("0");
  }

  @Test
  void theSchedulerRecordsNoShowsForTheSupervisor() {
    // An appointment whose slot began an hour ago and nobody joined: written as it would stand after booking.
    node.update("INSERT INTO proactive.slot (id, case_type, language, starts_at, ends_at, capacity, booked) "
        + "VALUES (900, '" + CASE + "', 'hu', now() - interval '1 hour', now() - interval '40 minutes', 1, 1)");
    node.update("INSERT INTO proactive.appointment (id, slot_id, citizen_id, name, email, language, status, sequence, created_at, updated_at) "
        + "VALUES ('00000000-0000-0000-0000-000000000900', 900, 'visit:x', 'Kiss Anna', 'anna@example.hu', 'hu', 'booked', 0, now(), now())");

    Await.until(() -> node.asStaff(HttpMethod.GET, "/api/appointments/no-shows", node.supervisor, null).bodyAsJsonArray().size() == 1,
        "the node's scheduler marks the no-show");
    JsonArray all = node.asStaff(HttpMethod.GET, "/api/appointments?from=" + LocalDate.now(ProactiveNode.ZONE).minusDays(1) + "&to=" + LocalDate.now(ProactiveNode.ZONE),
        node.supervisor, null).bodyAsJsonArray();
    assertThat(all).hasSize(1);
    assertThat(all.getJsonObject(0).getString("status")).isEqualTo("no_show");
    assertError(node.asStaff(HttpMethod.GET, "/api/appointments?status=lost", node.supervisor, null), 400, "invalid_message");
  }

  @Test
  void aCitizenWhoComesForTheirAppointmentGoesAheadOfWalkInsAndTheAppointmentIsJoined() {
    // A shift from the next full hour, so its first slot is bookable now and joinable (join early: 120 minutes).
    java.time.ZonedDateTime nextHour = java.time.ZonedDateTime.now(ProactiveNode.ZONE).truncatedTo(java.time.temporal.ChronoUnit.HOURS).plusHours(1);
    node.shift(CASE, "en", nextHour.toLocalDate(), nextHour.getHour());
    HttpResponse<Buffer> open = node.asCitizen(HttpMethod.GET, "/api/appointments/slots?caseType=" + CASE + "&lang=en&from="
        + nextHour.toLocalDate() + "&to=" + nextHour.toLocalDate(), null);
    JsonObject booked = node.asCitizen(HttpMethod.POST, "/api/appointments",
        booking(open.bodyAsJsonArray().getJsonObject(0).getLong("id"), CASE, "en")).bodyAsJsonObject();
    String appointmentId = booked.getJsonObject("appointment").getString("id");
    String token = booked.getString("manageToken");

    Citizen walkInVisit = citizen();
    WsClient walkIn = walkInVisit.ws();
    assertThat(walkIn.request("queue.join", draftToJoin(walkInVisit)).getInteger("position")).isEqualTo(1);

    Citizen appointmentVisit = citizen();
    WsClient withAppointment = appointmentVisit.ws();
    JsonObject join = draftToJoin(appointmentVisit).put("appointmentId", appointmentId);
    assertThat(withAppointment.request("queue.join", join).getString("code")).as("no token").isEqualTo("unknown_appointment");
    assertThat(withAppointment.request("queue.join", join.copy().put("appointmentToken", "forged")).getString("code"))
        .isEqualTo("unknown_appointment");
    assertThat(node.withToken(HttpMethod.GET, "/api/appointments/" + appointmentId, token, null).bodyAsJsonObject().getString("status"))
        .as("refused joins leave the appointment as it was").isEqualTo("booked");

    JsonObject joined = withAppointment.request("queue.join", join.copy().put("appointmentToken", token));
    assertThat(joined.getString("type")).as(joined.encode()).isEqualTo("queue.joined");
    assertThat(joined.getInteger("position")).as("the appointment goes ahead of the walk-in who came first").isEqualTo(1);
    assertThat(node.withToken(HttpMethod.GET, "/api/appointments/" + appointmentId, token, null).bodyAsJsonObject().getString("status"))
        .isEqualTo("joined");
    assertThat(walkIn.push("queue.position", p -> p.getInteger("position") == 2)).as("the walk-in is told they are now second").isNotNull();
    walkIn.close();
    withAppointment.close();
  }

  /** A citizen's visit connected over the control protocol. */
  private record Citizen(WsClient ws, String visitToken) {}

  private Citizen citizen() {
    Citizen citizen = new Citizen(WsClient.connect(node.vertx, node.server.baseUrl(), null), node.api.visitToken());
    citizen.ws().request("hello", new JsonObject().put("token", citizen.visitToken()));
    return citizen;
  }

  /** A draft of a passport renewal opened by this citizen's visit, as the join that carries it. */
  private JsonObject draftToJoin(Citizen citizen) {
    HttpResponse<Buffer> created = node.api.postAuthorized("/api/cases", "Bearer " + citizen.visitToken(),
        new JsonObject().put("caseType", CASE).put("language", "en").put("answers", new JsonObject()));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return new JsonObject().put("caseTypeId", CASE).put("language", "en")
        .put("caseId", created.bodyAsJsonObject().getJsonObject("caseView").getString("id"))
        .put("caseToken", created.bodyAsJsonObject().getString("citizenToken"));
  }

  private JsonArray slots(String caseType, String language) {
    HttpResponse<Buffer> response = node.asCitizen(HttpMethod.GET,
        "/api/appointments/slots?caseType=" + caseType + "&lang=" + language + "&from=" + tomorrow + "&to=" + tomorrow, null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonArray();
  }

  private HttpResponse<Buffer> importRegistry(String contentType, String body) {
    return Await.result(node.web.postAbs(node.server.baseUrl() + "/api/registry/imports").putHeader("Cookie", node.admin)
        .putHeader("Content-Type", contentType).sendBuffer(Buffer.buffer(body)));
  }

  /** The first e-mail whose calendar entry is this appointment's, or null. */
  /** The calendar parts of every e-mail about this appointment received so far. */
  private static java.util.List<String> calendarsOf(String appointmentId) {
    java.util.List<String> calendars = new java.util.ArrayList<>();
    for (MimeMessage message : node.mail.getReceivedMessages()) {
      try {
        String calendar = ProactiveNode.calendarOf(message);
        if (calendar.contains("UID:" + appointmentId + "@ablak\r\n")) {
          calendars.add(calendar);
        }
      } catch (Exception | AssertionError notACalendar) {
        // another kind of e-mail
      }
    }
    return calendars;
  }

  private static MimeMessage confirmationOf(String appointmentId) {
    for (MimeMessage message : node.mail.getReceivedMessages()) {
      try {
        if (ProactiveNode.calendarOf(message).contains("UID:" + appointmentId + "@ablak\r\n")) {
          return message;
        }
      } catch (Exception | AssertionError notACalendar) {
        // another kind of e-mail: not the confirmation
      }
    }
    return null;
  }

  private static JsonObject booking(long slotId, String caseType, String language) {
    return new JsonObject().put("slotId", slotId).put("caseType", caseType).put("language", language)
        .put("name", "Kiss Anna").put("email", "anna@example.hu");
  }

  private static JsonObject subscription() {
    return new JsonObject().put("citizenId", "C1").put("name", "Kiss Anna").put("birthDate", "1980-03-04")
        .put("email", "anna@example.hu").put("language", "hu");
  }

  private static JsonObject shiftBody(String clerkId, String caseType, String language, java.time.LocalDateTime start) {
    java.time.Instant at = start.atZone(ProactiveNode.ZONE).toInstant();
    return new JsonObject().put("clerkId", clerkId).put("caseType", caseType).put("language", language)
        .put("startsAt", at.toString()).put("endsAt", at.plusSeconds(3600).toString());
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo(code);
  }
}
