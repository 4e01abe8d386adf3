package ablak.proactive.appointment;

import ablak.proactive.ProactiveError;
import ablak.proactive.ProactiveError.Code;
import ablak.proactive.ProactiveSettings;
import ablak.proactive.delivery.Templates;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Video appointments: slots derived from clerk shifts, booking, rescheduling, cancelling, the
 * citizen's join at the booked time, and no-shows. A slot's capacity is enforced by PostgreSQL: a
 * place is taken with a conditional UPDATE ({@code booked < capacity}) that row-locks the slot,
 * backed by a CHECK constraint, so concurrent bookings on any number of nodes never overfill it.
 * Confirmations go through the delivery ledger, so they are retried like reminders.
 */
public final class Appointments {

  private static final Set<String> LANGUAGES = Set.of("hu", "en");

  private static final String ADD_SHIFT = """
      INSERT INTO proactive.clerk_shift (clerk_id, case_type, language, starts_at, ends_at)
      VALUES ($1, $2, $3, $4, $5) ON CONFLICT (clerk_id, case_type, language, starts_at) DO NOTHING RETURNING id""";

  private static final String ADD_CAPACITY = """
      INSERT INTO proactive.slot AS s (case_type, language, starts_at, ends_at, capacity, booked)
      VALUES ($1, $2, $3, $4, 1, 0)
      ON CONFLICT (case_type, language, starts_at) DO UPDATE SET capacity = s.capacity + 1""";

  private static final String OPEN_SLOTS = """
      SELECT id, case_type, language, starts_at, ends_at, capacity, booked FROM proactive.slot
       WHERE case_type = $1 AND language = $2 AND starts_at > $3 AND starts_at >= $4 AND starts_at < $5
         AND booked < capacity
       ORDER BY starts_at""";

  private static final String TAKE_PLACE = """
      UPDATE proactive.slot SET booked = booked + 1
       WHERE id = $1 AND booked < capacity AND starts_at > $2
      RETURNING id, case_type, language, starts_at, ends_at, capacity, booked""";

  private static final String SLOT_EXISTS = "SELECT 1 FROM proactive.slot WHERE id = $1";

  private static final String RELEASE_PLACE = "UPDATE proactive.slot SET booked = booked - 1 WHERE id = $1";

  private static final String INSERT = """
      INSERT INTO proactive.appointment (id, slot_id, citizen_id, name, email, language, status, sequence, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, 'booked', 0, $7, $7)""";

  private static final String SELECT = """
      SELECT a.id, a.slot_id, a.citizen_id, a.name, a.email, a.language, s.case_type, s.starts_at, s.ends_at,
             a.status, a.sequence
        FROM proactive.appointment a JOIN proactive.slot s ON s.id = a.slot_id
       WHERE a.id = $1""";

  private static final String UPDATE = """
      UPDATE proactive.appointment SET slot_id = $2, language = $3, status = $4, sequence = $5, updated_at = $6,
             joined_at = CASE WHEN $4 = 'joined' THEN COALESCE(joined_at, $6) ELSE joined_at END
       WHERE id = $1""";

  private static final String NO_SHOWS = """
      UPDATE proactive.appointment a SET status = 'no_show', updated_at = $1
        FROM proactive.slot s
       WHERE a.slot_id = s.id AND a.status = 'booked' AND s.starts_at <= $2
      RETURNING a.id""";

  private static final String SLOT = "SELECT id, case_type, language, starts_at, ends_at, capacity, booked FROM proactive.slot WHERE id = $1";

  private static final String LIST = """
      SELECT a.id, a.slot_id, a.citizen_id, a.name, a.email, a.language, s.case_type, s.starts_at, s.ends_at,
             a.status, a.sequence
        FROM proactive.appointment a JOIN proactive.slot s ON s.id = a.slot_id
       WHERE s.starts_at >= $1 AND s.starts_at < $2 AND ($3::text IS NULL OR a.status = $3)
       ORDER BY s.starts_at, a.created_at""";

  private static final String SHIFT_COLUMNS = "id, clerk_id, case_type, language, starts_at, ends_at";

  private static final String SHIFTS = "SELECT " + SHIFT_COLUMNS + " FROM proactive.clerk_shift"
      + " WHERE starts_at >= $1 AND starts_at < $2 ORDER BY starts_at, clerk_id, case_type, language";

  private static final String FIND_SHIFT = "SELECT " + SHIFT_COLUMNS + " FROM proactive.clerk_shift"
      + " WHERE clerk_id = $1 AND case_type = $2 AND language = $3 AND starts_at = $4";

  private static final String LOCK_SHIFT = "SELECT " + SHIFT_COLUMNS + " FROM proactive.clerk_shift WHERE id = $1 FOR UPDATE";

  private static final String LOCK_COVERED_SLOTS = """
      SELECT id, booked, capacity FROM proactive.slot
       WHERE case_type = $1 AND language = $2 AND starts_at >= $3 AND starts_at < $4
         FOR UPDATE""";

  private static final String REMOVE_CAPACITY = """
      UPDATE proactive.slot SET capacity = capacity - 1
       WHERE case_type = $1 AND language = $2 AND starts_at >= $3 AND starts_at < $4""";

  private static final String DELETE_SHIFT = "DELETE FROM proactive.clerk_shift WHERE id = $1";

  private static final String CONFIRMATION = """
      INSERT INTO proactive.delivery (kind, citizen_id, recipient, language, subject, body, calendar, status,
                                      next_attempt_at, created_at, updated_at)
      VALUES ('appointment', $1, $2, $3, $4, $5, $6, 'created', $7, $7, $7)""";

  private final Pool pool;
  private final Templates templates;
  private final ProactiveSettings settings;
  private final String organizer;
  private final Clock clock;
  private final ZoneId zone;
  private final ManageTokens tokens;

  /** @param organizer the calendar ORGANIZER of the invitations: the address the confirmations come from */
  public Appointments(Pool pool, Templates templates, ProactiveSettings settings, String organizer, Clock clock, ManageTokens tokens) {
    this.pool = pool;
    this.templates = templates;
    this.settings = settings;
    this.organizer = organizer;
    this.clock = clock;
    this.zone = settings.zoneId();
    this.tokens = tokens;
  }

  /**
   * Adds a clerk's shift: each slot it covers gains one place. Adding the same shift again changes
   * nothing. Shift bounds must fall on slot boundaries ({@code slotMinutes}) so slots never overlap.
   */
  public Future<Integer> addShift(ClerkShift shift) {
    long slotSeconds = settings.slotMinutes() * 60L;
    if (blank(shift.clerkId()) || blank(shift.caseType()) || !LANGUAGES.contains(shift.language())
        || shift.startsAt() == null || shift.endsAt() == null || !shift.endsAt().isAfter(shift.startsAt())
        || shift.startsAt().getEpochSecond() % slotSeconds != 0 || shift.endsAt().getEpochSecond() % slotSeconds != 0
        || shift.startsAt().getNano() != 0 || shift.endsAt().getNano() != 0) {
      return Future.failedFuture(invalid("a shift needs a clerk, a case type, a language (hu or en) and a start "
          + "before its end, both on " + settings.slotMinutes() + "-minute boundaries"));
    }
    return pool.withTransaction(connection -> connection.preparedQuery(ADD_SHIFT)
        .execute(Tuple.of(shift.clerkId(), shift.caseType(), shift.language(), utc(shift.startsAt()), utc(shift.endsAt())))
        .compose(inserted -> {
          if (inserted.size() == 0) {
            return Future.succeededFuture(0);
          }
          List<Tuple> slots = new ArrayList<>();
          for (Instant start = shift.startsAt(); start.isBefore(shift.endsAt()); start = start.plusSeconds(slotSeconds)) {
            slots.add(Tuple.of(shift.caseType(), shift.language(), utc(start), utc(start.plusSeconds(slotSeconds))));
          }
          return connection.preparedQuery(ADD_CAPACITY).executeBatch(slots).map(slots.size());
        }));
  }

  /** The stored shift with this clerk, case type, language and start, if any. */
  public Future<Optional<Shift>> findShift(ClerkShift shift) {
    return pool.preparedQuery(FIND_SHIFT)
        .execute(Tuple.of(shift.clerkId(), shift.caseType(), shift.language(), utc(shift.startsAt())))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(shift(rows.iterator().next())));
  }

  /** Shifts starting within [from, to). */
  public Future<List<Shift>> shifts(Instant from, Instant to) {
    return pool.preparedQuery(SHIFTS).execute(Tuple.of(utc(from), utc(to))).map(rows -> {
      List<Shift> shifts = new ArrayList<>();
      rows.forEach(row -> shifts.add(shift(row)));
      return shifts;
    });
  }

  /**
   * Removes a shift: each slot it covers loses one place. Refused with SHIFT_HAS_BOOKINGS, changing
   * nothing, when a covered slot has no free place to give up (its bookings must be moved first).
   * The covered slots are row-locked first, so a booking racing the removal either lands before it
   * (and the removal is refused) or sees the smaller capacity.
   */
  public Future<Void> removeShift(long id) {
    return pool.withTransaction(connection -> connection.preparedQuery(LOCK_SHIFT).execute(Tuple.of(id)).compose(found -> {
      if (found.size() == 0) {
        return Future.failedFuture(new ProactiveError(Code.SHIFT_NOT_FOUND, "no shift " + id));
      }
      Shift shift = shift(found.iterator().next());
      Tuple covered = Tuple.of(shift.caseType(), shift.language(), utc(shift.startsAt()), utc(shift.endsAt()));
      return connection.preparedQuery(LOCK_COVERED_SLOTS).execute(covered).compose(slots -> {
        for (Row slot : slots) {
          if (slot.getInteger("booked") >= slot.getInteger("capacity")) {
            return Future.failedFuture(new ProactiveError(Code.SHIFT_HAS_BOOKINGS,
                "a slot of this shift is fully booked; move or cancel its appointments first"));
          }
        }
        return connection.preparedQuery(REMOVE_CAPACITY).execute(covered)
            .compose(removed -> connection.preparedQuery(DELETE_SHIFT).execute(Tuple.of(id)))
            .mapEmpty();
      });
    }));
  }

  public Future<Optional<Slot>> slot(long id) {
    return pool.preparedQuery(SLOT).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(slot(rows.iterator().next())));
  }

  /** Appointments whose slot starts within [from, to), of one status or (null) all. */
  public Future<List<Appointment>> list(Instant from, Instant to, String status) {
    return pool.preparedQuery(LIST).execute(Tuple.of(utc(from), utc(to), status)).map(rows -> {
      List<Appointment> appointments = new ArrayList<>();
      rows.forEach(row -> appointments.add(appointment(row)));
      return appointments;
    });
  }

  /**
   * The appointment, if the token is the one from its confirmation; else APPOINTMENT_NOT_FOUND, the
   * same answer as for an unknown id, so a wrong token tells nothing about which ids exist.
   */
  public Future<Appointment> authorize(UUID id, String token) {
    if (!tokens.matches(id, token)) {
      return Future.failedFuture(new ProactiveError(Code.APPOINTMENT_NOT_FOUND, "no such appointment for this link"));
    }
    return find(id).map(found -> found.orElseThrow(
        () -> new ProactiveError(Code.APPOINTMENT_NOT_FOUND, "no such appointment for this link")));
  }

  /** The booking page's link to read, move or cancel this appointment; also in every e-mail about it. */
  public String manageUrl(UUID id) {
    return settings.bookingUrl() + "?appointment=" + id + "&token=" + tokens.token(id);
  }

  public String manageToken(UUID id) {
    return tokens.token(id);
  }

  /** Slots with a free place, starting after now, within [from, to). */
  public Future<List<Slot>> openSlots(String caseType, String language, Instant from, Instant to) {
    return pool.preparedQuery(OPEN_SLOTS)
        .execute(Tuple.of(caseType, language, OffsetDateTime.now(clock), utc(from), utc(to)))
        .map(rows -> {
          List<Slot> slots = new ArrayList<>();
          rows.forEach(row -> slots.add(slot(row)));
          return slots;
        });
  }

  /** Books a place; fails with SLOT_NOT_FOUND, SLOT_FULL (also for a slot already begun) or INVALID_INPUT. */
  public Future<Appointment> book(Booking booking) {
    if (blank(booking.citizenId()) || blank(booking.name()) || blank(booking.email()) || !booking.email().contains("@")) {
      return Future.failedFuture(invalid("booking needs a citizen id, a name and an e-mail address"));
    }
    UUID id = UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now(clock);
    return pool.withTransaction(connection -> takePlace(connection, booking.slotId(), null).compose(slot -> {
      Appointment appointment = new Appointment(id, slot.id(), booking.citizenId().trim(), booking.name().trim(),
          booking.email().trim(), slot.language(), slot.caseType(), slot.startsAt(), slot.endsAt(), "booked", 0);
      return connection.preparedQuery(INSERT)
          .execute(Tuple.of(id, slot.id(), appointment.citizenId(), appointment.name(), appointment.email(),
              appointment.language(), now))
          .compose(inserted -> confirm(connection, appointment, "REQUEST"))
          .map(appointment);
    }));
  }

  /** Moves a booked appointment to another slot of the same case type; the old place is freed. */
  public Future<Appointment> reschedule(UUID id, long slotId) {
    return pool.withTransaction(connection -> lockBooked(connection, id).compose(current ->
        takePlace(connection, slotId, current.caseType()).compose(slot -> {
          Appointment moved = new Appointment(id, slot.id(), current.citizenId(), current.name(), current.email(),
              slot.language(), slot.caseType(), slot.startsAt(), slot.endsAt(), "booked", current.sequence() + 1);
          return connection.preparedQuery(RELEASE_PLACE).execute(Tuple.of(current.slotId()))
              .compose(released -> save(connection, moved))
              .compose(saved -> confirm(connection, moved, "REQUEST"))
              .map(moved);
        })));
  }

  public Future<Appointment> cancel(UUID id) {
    return pool.withTransaction(connection -> lockBooked(connection, id).compose(current -> {
      Appointment cancelled = with(current, "cancelled", current.sequence() + 1);
      return connection.preparedQuery(RELEASE_PLACE).execute(Tuple.of(current.slotId()))
          .compose(released -> save(connection, cancelled))
          .compose(saved -> confirm(connection, cancelled, "CANCEL"))
          .map(cancelled);
    }));
  }

  /**
   * The citizen joins for their appointment: from {@code joinEarlyMinutes} before the slot until its
   * end. The result, with status {@code joined}, is what the queue gives appointment priority to.
   * Joining again (after a dropped connection) is allowed within the same window.
   * Fails with APPOINTMENT_NOT_FOUND (also for another citizen's appointment), APPOINTMENT_CLOSED
   * or OUTSIDE_APPOINTMENT_TIME.
   */
  public Future<Appointment> join(UUID id, String citizenId) {
    Instant now = clock.instant();
    return pool.withTransaction(connection -> lock(connection, id).compose(found -> {
      Appointment current = found.filter(a -> a.citizenId().equals(citizenId))
          .orElseThrow(() -> new ProactiveError(Code.APPOINTMENT_NOT_FOUND, "no such appointment for this citizen"));
      if (!Set.of("booked", "joined").contains(current.status())) {
        throw new ProactiveError(Code.APPOINTMENT_CLOSED, "the appointment is " + current.status());
      }
      if (now.isBefore(current.startsAt().minusSeconds(settings.joinEarlyMinutes() * 60L)) || !now.isBefore(current.endsAt())) {
        throw new ProactiveError(Code.OUTSIDE_APPOINTMENT_TIME,
            "the appointment is from " + current.startsAt() + " to " + current.endsAt());
      }
      Appointment joined = with(current, "joined", current.sequence());
      return save(connection, joined).map(joined);
    }));
  }

  /** Marks booked appointments nobody joined by the slot's start plus the grace period; returns how many. */
  public Future<Integer> recordNoShows() {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return pool.preparedQuery(NO_SHOWS).execute(Tuple.of(now, now.minusMinutes(settings.noShowGraceMinutes())))
        .map(RowSet::rowCount);
  }

  public Future<Optional<Appointment>> find(UUID id) {
    return pool.preparedQuery(SELECT).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(appointment(rows.iterator().next())));
  }

  private Future<Slot> takePlace(SqlConnection connection, long slotId, String requiredCaseType) {
    return connection.preparedQuery(TAKE_PLACE).execute(Tuple.of(slotId, OffsetDateTime.now(clock))).compose(rows -> {
      if (rows.size() == 1) {
        Slot slot = slot(rows.iterator().next());
        if (requiredCaseType != null && !requiredCaseType.equals(slot.caseType())) {
          return Future.failedFuture(invalid("an appointment moves only to a slot of its own case type"));
        }
        return Future.succeededFuture(slot);
      }
      return connection.preparedQuery(SLOT_EXISTS).execute(Tuple.of(slotId)).compose(exists -> Future.failedFuture(
          exists.size() == 0
              ? new ProactiveError(Code.SLOT_NOT_FOUND, "no slot " + slotId)
              : new ProactiveError(Code.SLOT_FULL, "slot " + slotId + " is full or has begun")));
    });
  }

  private Future<Optional<Appointment>> lock(SqlConnection connection, UUID id) {
    return connection.preparedQuery(SELECT + " FOR UPDATE OF a").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(appointment(rows.iterator().next())));
  }

  private Future<Appointment> lockBooked(SqlConnection connection, UUID id) {
    return lock(connection, id).map(found -> {
      Appointment current = found.orElseThrow(() -> new ProactiveError(Code.APPOINTMENT_NOT_FOUND, "no appointment " + id));
      if (!"booked".equals(current.status())) {
        throw new ProactiveError(Code.APPOINTMENT_CLOSED, "the appointment is " + current.status());
      }
      return current;
    });
  }

  private Future<Void> save(SqlConnection connection, Appointment appointment) {
    return connection.preparedQuery(UPDATE).execute(Tuple.of(appointment.id(), appointment.slotId(),
        appointment.language(), appointment.status(), appointment.sequence(), OffsetDateTime.now(clock))).mapEmpty();
  }

  /** Puts the confirmation (or cancellation) with its calendar entry into the delivery ledger, in the same transaction. */
  private Future<Void> confirm(SqlConnection connection, Appointment appointment, String method) {
    String language = appointment.language();
    DateTimeFormatter when = DateTimeFormatter.ofPattern("hu".equals(language) ? "yyyy. MM. dd. HH:mm" : "d MMMM yyyy, HH:mm",
        "hu".equals(language) ? Locale.forLanguageTag("hu") : Locale.UK).withZone(zone);
    String link = manageUrl(appointment.id());
    Templates.Rendered rendered = templates.render("CANCEL".equals(method) ? "appointment_cancelled" : "appointment_booked",
        language, Map.of(
            "name", appointment.name(),
            "starts_at", when.format(appointment.startsAt()),
            "ends_at", DateTimeFormatter.ofPattern("HH:mm").withZone(zone).format(appointment.endsAt()),
            "case_type", appointment.caseType(),
            "appointment_id", appointment.id().toString(),
            "join_early_minutes", String.valueOf(settings.joinEarlyMinutes()),
            "join_link", link));
    String calendar = Calendar.render(method, appointment, organizer, rendered.subject(), rendered.body(), link,
        clock.instant());
    return connection.preparedQuery(CONFIRMATION).execute(Tuple.from(new Object[] {
        appointment.citizenId(), appointment.email(), language, rendered.subject(), rendered.body(), calendar,
        OffsetDateTime.now(clock)})).mapEmpty();
  }

  private static Appointment with(Appointment a, String status, int sequence) {
    return new Appointment(a.id(), a.slotId(), a.citizenId(), a.name(), a.email(), a.language(), a.caseType(),
        a.startsAt(), a.endsAt(), status, sequence);
  }

  private static Slot slot(Row row) {
    return new Slot(row.getLong("id"), row.getString("case_type"), row.getString("language"),
        row.getOffsetDateTime("starts_at").toInstant(), row.getOffsetDateTime("ends_at").toInstant(),
        row.getInteger("capacity"), row.getInteger("booked"));
  }

  private static Shift shift(Row row) {
    return new Shift(row.getLong("id"), row.getString("clerk_id"), row.getString("case_type"), row.getString("language"),
        row.getOffsetDateTime("starts_at").toInstant(), row.getOffsetDateTime("ends_at").toInstant());
  }

  private static Appointment appointment(Row row) {
    return new Appointment(row.getUUID("id"), row.getLong("slot_id"), row.getString("citizen_id"), row.getString("name"),
        row.getString("email"), row.getString("language"), row.getString("case_type"),
        row.getOffsetDateTime("starts_at").toInstant(), row.getOffsetDateTime("ends_at").toInstant(),
        row.getString("status"), row.getInteger("sequence"));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static ProactiveError invalid(String message) {
    return new ProactiveError(Code.INVALID_INPUT, message);
  }
}
