package ablak.signaling.proactive;

import ablak.cases.catalogue.CaseType;
import ablak.cases.catalogue.Catalogue;
import ablak.proactive.Proactive;
import ablak.proactive.ProactiveError;
import ablak.proactive.appointment.Appointment;
import ablak.proactive.appointment.Booking;
import ablak.proactive.appointment.ClerkShift;
import ablak.proactive.appointment.Shift;
import ablak.proactive.appointment.Slot;
import ablak.proactive.subscription.Subscription;
import ablak.proactive.subscription.Subscriptions;
import ablak.signaling.ClientError;
import ablak.signaling.Json;
import ablak.signaling.auth.Role;
import ablak.signaling.auth.StaffAccounts;
import ablak.signaling.http.RoleGuard;
import ablak.signaling.http.RouteGroup;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The proactive service's REST API (docs/openapi.yaml, tag proactive): reminder subscriptions,
 * bookable slots, booking and managing an appointment, clerk shifts, the registry import and the
 * supervisor's lists. A citizen manages a booked appointment with the {@code Appointment-Token}
 * header, the token the booking returned and the confirmation e-mail's link carries. Everything is
 * checked here before the service is called, so a refused request changes nothing.
 */
public final class ProactiveRoutes implements RouteGroup {

  static final String TOKEN_HEADER = "Appointment-Token";
  private static final Pattern CITIZEN_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final Set<String> LANGUAGES = Subscriptions.LANGUAGES;
  private static final Set<String> STATUSES = Set.of("booked", "joined", "cancelled", "no_show");
  private static final int MAX_DAYS = 62;

  private final Proactive proactive;
  private final Catalogue catalogue;
  private final StaffAccounts accounts;
  private final RoleGuard guard;
  private final ZoneId zone;
  private final boolean mailEnabled;
  private final Clock clock;

  public ProactiveRoutes(Proactive proactive, Catalogue catalogue, StaffAccounts accounts, RoleGuard guard, ZoneId zone,
      boolean mailEnabled, Clock clock) {
    this.proactive = proactive;
    this.catalogue = catalogue;
    this.accounts = accounts;
    this.guard = guard;
    this.zone = zone;
    this.mailEnabled = mailEnabled;
    this.clock = clock;
  }

  record SubscriptionBody(String citizenId, String name, String birthDate, String email, String language) {}

  record SubscriptionState(String citizenId, String language, boolean optedIn) {}

  record BookingBody(Long slotId, String caseType, String language, String name, String email) {}

  record RescheduleBody(Long slotId) {}

  record ShiftBody(String clerkId, String caseType, String language, String startsAt, String endsAt) {}

  record SlotView(long id, String caseType, String language, String startsAt, String endsAt, int free) {
    static SlotView of(Slot slot) {
      return new SlotView(slot.id(), slot.caseType(), slot.language(), slot.startsAt().toString(), slot.endsAt().toString(),
          slot.free());
    }
  }

  /** {@code joinFrom}: from when the citizen app's join counts as this appointment ({@code joinEarlyMinutes} before the start). */
  record AppointmentView(String id, String caseType, String language, String startsAt, String endsAt, String status,
      String name, String email, String joinFrom) {
    static AppointmentView of(Appointment a, int joinEarlyMinutes) {
      return new AppointmentView(a.id().toString(), a.caseType(), a.language(), a.startsAt().toString(),
          a.endsAt().toString(), a.status(), a.name(), a.email(), a.startsAt().minusSeconds(60L * joinEarlyMinutes).toString());
    }
  }

  private AppointmentView view(Appointment appointment) {
    return AppointmentView.of(appointment, proactive.settings().joinEarlyMinutes());
  }

  record Booked(AppointmentView appointment, String manageToken, String manageUrl, String confirmationEmail) {}

  record ShiftView(long id, String clerkId, String caseType, String language, String startsAt, String endsAt) {
    static ShiftView of(Shift shift) {
      return new ShiftView(shift.id(), shift.clerkId(), shift.caseType(), shift.language(), shift.startsAt().toString(),
          shift.endsAt().toString());
    }
  }

  @Override
  public void mount(Router router) {
    router.post("/api/reminders/subscriptions/opt-out").handler(guard.allow(Role.CITIZEN)).handler(this::optOut);
    router.post("/api/reminders/subscriptions").handler(guard.allow(Role.CITIZEN)).handler(this::optIn);

    // Fixed paths before /api/appointments/:appointmentId, which would otherwise take them.
    router.get("/api/appointments/slots").handler(guard.allow(Role.CITIZEN, Role.CLERK, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN))
        .handler(this::slots);
    router.get("/api/appointments/no-shows").handler(guard.allow(Role.SUPERVISOR)).handler(ctx -> respond(ctx, 200, () -> {
      LocalDate to = date(ctx, "to", today());
      LocalDate from = date(ctx, "from", to.minusDays(6));
      return proactive.appointments().list(start(from), end(from, to), "no_show").map(this::views);
    }));
    router.get("/api/appointments/shifts").handler(guard.allow(Role.SUPERVISOR, Role.ADMIN)).handler(ctx -> respond(ctx, 200, () -> {
      LocalDate from = date(ctx, "from", today());
      LocalDate to = date(ctx, "to", from.plusDays(13));
      return proactive.appointments().shifts(start(from), end(from, to)).map(shifts -> shifts.stream().map(ShiftView::of).toList());
    }));
    router.post("/api/appointments/shifts").handler(guard.allow(Role.SUPERVISOR, Role.ADMIN)).handler(this::addShift);
    router.delete("/api/appointments/shifts/:shiftId").handler(guard.allow(Role.SUPERVISOR, Role.ADMIN)).handler(ctx ->
        respond(ctx, 204, () -> proactive.appointments().removeShift(number(ctx.pathParam("shiftId"), "shiftId"))));
    router.get("/api/appointments").handler(guard.allow(Role.SUPERVISOR)).handler(ctx -> respond(ctx, 200, () -> {
      LocalDate from = date(ctx, "from", today());
      LocalDate to = date(ctx, "to", from);
      String status = ctx.request().getParam("status");
      if (status != null && !STATUSES.contains(status)) {
        throw ClientError.invalid("status must be one of " + STATUSES);
      }
      return proactive.appointments().list(start(from), end(from, to), status).map(this::views);
    }));
    router.post("/api/appointments").handler(guard.allow(Role.CITIZEN)).handler(this::book);
    router.get("/api/appointments/:appointmentId").handler(ctx -> respond(ctx, 200, () ->
        authorized(ctx).map(this::view)));
    router.post("/api/appointments/:appointmentId/rescheduling").handler(ctx -> respond(ctx, 200, () -> {
      RescheduleBody body = Json.parse(ctx.body().asString(), RescheduleBody.class);
      if (body.slotId() == null) {
        throw ClientError.invalid("slotId is required");
      }
      return authorized(ctx).compose(current -> proactive.appointments().reschedule(current.id(), body.slotId()))
          .map(this::view);
    }));
    router.post("/api/appointments/:appointmentId/cancellation").handler(ctx -> respond(ctx, 200, () ->
        authorized(ctx).compose(current -> proactive.appointments().cancel(current.id())).map(this::view)));

    router.post("/api/registry/imports").handler(guard.allow(Role.ADMIN)).handler(this::importRegistry);
  }

  private void optIn(RoutingContext ctx) {
    respond(ctx, 200, () -> {
      SubscriptionBody body = Json.parse(ctx.body().asString(), SubscriptionBody.class);
      Subscription request = identity(body);
      if (!LANGUAGES.contains(body.language())) {
        throw ClientError.invalid("language must be hu or en");
      }
      return proactive.subscriptions().optIn(new Subscription(request.citizenId(), request.name(), request.birthDate(),
              request.email(), body.language(), true))
          .map(saved -> new SubscriptionState(saved.citizenId(), saved.language(), true));
    });
  }

  /** Only someone who knows the subscriber's data may opt them out; a mismatch is a 404 and changes nothing. */
  private void optOut(RoutingContext ctx) {
    respond(ctx, 200, () -> {
      Subscription given = identity(Json.parse(ctx.body().asString(), SubscriptionBody.class));
      return proactive.subscriptions().find(given.citizenId()).compose(found -> {
        if (found.isEmpty() || !Subscriptions.matches(found.get(), given.name(), given.birthDate(), given.email())) {
          return Future.failedFuture(new ClientError("subscription_not_found", 404,
              "no subscription with this citizen id, name, birth date and e-mail address"));
        }
        return proactive.subscriptions().optOut(given.citizenId())
            .map(done -> new SubscriptionState(given.citizenId(), found.get().language(), false));
      });
    });
  }

  private void slots(RoutingContext ctx) {
    respond(ctx, 200, () -> {
      String caseType = ctx.request().getParam("caseType");
      String language = ctx.request().getParam("lang");
      if (caseType == null || caseType.isBlank()) {
        throw ClientError.invalid("caseType is required");
      }
      if (!LANGUAGES.contains(language)) {
        throw ClientError.invalid("lang must be hu or en");
      }
      LocalDate from = date(ctx, "from", today());
      LocalDate to = date(ctx, "to", from.plusDays(13));
      return proactive.appointments().openSlots(caseType, language, start(from), end(from, to))
          .map(slots -> slots.stream().map(SlotView::of).toList());
    });
  }

  /** The appointment's language and case type are the slot's; the request must name them, so a stale page cannot book the wrong thing. */
  private void book(RoutingContext ctx) {
    respond(ctx, 201, () -> {
      BookingBody body = Json.parse(ctx.body().asString(), BookingBody.class);
      if (body.slotId() == null || body.caseType() == null || body.language() == null) {
        throw ClientError.invalid("slotId, caseType and language are required");
      }
      String name = name(body.name());
      String email = email(body.email());
      String citizenId = RoleGuard.principal(ctx).userId();
      return proactive.appointments().slot(body.slotId()).compose(slot -> {
        if (slot.isEmpty()) {
          return Future.failedFuture(new ProactiveError(ProactiveError.Code.SLOT_NOT_FOUND, "no slot " + body.slotId()));
        }
        if (!slot.get().caseType().equals(body.caseType()) || !slot.get().language().equals(body.language())) {
          return Future.failedFuture(ClientError.invalid("the slot is for another case type or language"));
        }
        return proactive.appointments().book(new Booking(body.slotId(), citizenId, name, email));
      }).map(appointment -> new Booked(view(appointment), proactive.appointments().manageToken(appointment.id()),
          proactive.appointments().manageUrl(appointment.id()), mailEnabled ? "queued" : "disabled"));
    });
  }

  private void addShift(RoutingContext ctx) {
    ShiftBody body = Json.parse(ctx.body().asString(), ShiftBody.class);
    if (body.clerkId() == null || body.caseType() == null || body.language() == null) {
      throw ClientError.invalid("clerkId, caseType and language are required");
    }
    CaseType caseType = catalogue.caseTypes().get(body.caseType());
    if (caseType == null) {
      throw ClientError.invalid("no case type '" + body.caseType() + "' in the catalogue");
    }
    if (!caseType.languages().contains(body.language())) {
      throw ClientError.invalid("case type " + body.caseType() + " is not offered in " + body.language());
    }
    ClerkShift shift = new ClerkShift(body.clerkId(), body.caseType(), body.language(), instant(body.startsAt(), "startsAt"),
        instant(body.endsAt(), "endsAt"));
    accounts.list().compose(staff -> {
      if (staff.stream().noneMatch(account -> account.id().equals(shift.clerkId()) && account.role() == Role.CLERK)) {
        return Future.failedFuture(ClientError.invalid("clerkId is not a clerk's account id"));
      }
      return proactive.appointments().addShift(shift);
    }).compose(slots -> proactive.appointments().findShift(shift).map(stored -> {
      int status = slots > 0 ? 201 : 200;
      write(ctx, status, ShiftView.of(stored.orElseThrow()));
      return null;
    })).onFailure(failure -> ctx.fail(translate(failure)));
  }

  private void importRegistry(RoutingContext ctx) {
    String contentType = String.valueOf(ctx.request().getHeader("Content-Type")).toLowerCase(java.util.Locale.ROOT);
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw ClientError.invalid("the body is empty");
    }
    respond(ctx, 200, () -> {
      if (contentType.startsWith("text/csv")) {
        return proactive.registry().importCsv(text);
      }
      if (contentType.startsWith("application/json")) {
        return proactive.registry().importJson(text);
      }
      throw new ClientError("unsupported_media_type", 415, "send text/csv or application/json");
    });
  }

  /** The appointment named in the path, if the request carries its manage token. */
  private Future<Appointment> authorized(RoutingContext ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("appointmentId"));
    } catch (IllegalArgumentException e) {
      throw ClientError.invalid("appointmentId must be a UUID");
    }
    String token = ctx.request().getHeader(TOKEN_HEADER);
    if (token == null || token.isBlank()) {
      throw ClientError.unauthenticated("send the " + TOKEN_HEADER + " header from the confirmation");
    }
    return proactive.appointments().authorize(id, token.trim());
  }

  private static Subscription identity(SubscriptionBody body) {
    if (body.citizenId() == null || !CITIZEN_ID.matcher(body.citizenId()).matches()) {
      throw ClientError.invalid("citizenId: letters, digits and - only, at most 64");
    }
    LocalDate birthDate;
    try {
      birthDate = LocalDate.parse(String.valueOf(body.birthDate()));
    } catch (DateTimeParseException e) {
      throw ClientError.invalid("birthDate must be YYYY-MM-DD");
    }
    return new Subscription(body.citizenId(), name(body.name()), birthDate, email(body.email()), null, true);
  }

  private static String name(String name) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw ClientError.invalid("name is required, at most 200 characters");
    }
    return name.trim();
  }

  private static String email(String email) {
    if (email == null || email.length() > 254 || !EMAIL.matcher(email.trim()).matches()) {
      throw ClientError.invalid("email must be an e-mail address");
    }
    return email.trim();
  }

  private static Instant instant(String value, String field) {
    try {
      return OffsetDateTime.parse(String.valueOf(value)).toInstant();
    } catch (DateTimeParseException e) {
      throw ClientError.invalid(field + " must be an ISO-8601 date-time with an offset, e.g. 2027-03-01T09:00:00+01:00");
    }
  }

  private static long number(String value, String field) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ClientError.invalid(field + " must be a number");
    }
  }

  private LocalDate today() {
    return LocalDate.now(clock.withZone(zone));
  }

  /** A query date; {@code to} must not be before {@code from} nor more than 62 days after it. */
  private static LocalDate date(RoutingContext ctx, String name, LocalDate fallback) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ClientError.invalid(name + " must be YYYY-MM-DD");
    }
  }

  private Instant start(LocalDate from) {
    return from.atStartOfDay(zone).toInstant();
  }

  private Instant end(LocalDate from, LocalDate to) {
    long days = ChronoUnit.DAYS.between(from, to);
    if (days < 0 || days > MAX_DAYS) {
      throw ClientError.invalid("to must be from or later, at most " + MAX_DAYS + " days after it");
    }
    return to.plusDays(1).atStartOfDay(zone).toInstant();
  }

  private List<AppointmentView> views(List<Appointment> appointments) {
    return appointments.stream().map(this::view).toList();
  }

  /** Runs the call and writes its result as JSON (or 204); refusals become typed errors. */
  private static void respond(RoutingContext ctx, int status, Supplier<Future<?>> call) {
    Future<?> result;
    try {
      result = call.get();
    } catch (ProactiveError | ClientError refused) {
      result = Future.failedFuture(refused);
    }
    result.onSuccess(value -> write(ctx, status, value)).onFailure(failure -> ctx.fail(translate(failure)));
  }

  private static void write(RoutingContext ctx, int status, Object value) {
    if (status == 204) {
      ctx.response().setStatusCode(204).end();
      return;
    }
    try {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(Json.MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      ctx.fail(e);
    }
  }

  /** The service's refusals as the API's typed errors; anything else is left to the error handler. */
  static Throwable translate(Throwable failure) {
    if (!(failure instanceof ProactiveError refused)) {
      return failure;
    }
    return switch (refused.code()) {
      case INVALID_INPUT -> ClientError.invalid(refused.getMessage());
      case SLOT_NOT_FOUND -> new ClientError("slot_not_found", 404, refused.getMessage());
      case SLOT_FULL -> new ClientError("slot_full", 409, refused.getMessage());
      case APPOINTMENT_NOT_FOUND -> new ClientError("appointment_not_found", 404, refused.getMessage());
      case APPOINTMENT_CLOSED -> new ClientError("appointment_closed", 409, refused.getMessage());
      case OUTSIDE_APPOINTMENT_TIME -> new ClientError("outside_appointment_time", 409, refused.getMessage());
      case SHIFT_NOT_FOUND -> new ClientError("shift_not_found", 404, refused.getMessage());
      case SHIFT_HAS_BOOKINGS -> new ClientError("shift_has_bookings", 409, refused.getMessage());
      case CALLBACK_NOT_FOUND -> new ClientError("unknown_callback", 404, refused.getMessage());
      case CALLBACK_CLOSED -> new ClientError("callback_closed", 409, refused.getMessage());
      case CALLBACK_UNAVAILABLE -> new ClientError("callback_unavailable", 501, refused.getMessage());
    };
  }
}
