package ablak.signaling.queue;

import ablak.cases.Cases;
import ablak.cases.CasesException;
import ablak.cases.audit.AuditEntry;
import ablak.cases.catalogue.CatalogueTexts;
import ablak.proactive.ProactiveError;
import ablak.proactive.callback.Callbacks;
import ablak.proactive.callback.NewCallback;
import ablak.queue.QueueError;
import ablak.queue.QueueException;
import ablak.queue.events.PositionTracker;
import ablak.queue.events.QueueEvent;
import ablak.queue.routing.ClerkState;
import ablak.queue.routing.ClerkStatus;
import ablak.queue.routing.ContactRequest;
import ablak.queue.routing.QueueDefinition;
import ablak.queue.routing.RoutingEngine;
import ablak.queue.routing.WaitEstimator;
import ablak.signaling.ClientError;
import ablak.signaling.auth.Principal;
import ablak.signaling.auth.Role;
import ablak.signaling.auth.StaffAccounts;
import ablak.signaling.call.CallStore.WrapUp;
import ablak.signaling.call.Calls;
import ablak.signaling.protocol.ClusterPush;
import ablak.signaling.protocol.Connection;
import ablak.signaling.protocol.ConnectionListener;
import ablak.signaling.protocol.Connections;
import ablak.signaling.protocol.MessageContext;
import ablak.signaling.protocol.MessageGroup;
import ablak.signaling.protocol.MessageRegistry;
import ablak.signaling.protocol.MessageType;
import ablak.signaling.protocol.Outbound;
import ablak.signaling.queue.Contacts.Contact;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue over the WebSocket (docs/protocol.md, "Queue" and "Clerk"): citizens join and leave,
 * clerks set their state, take or turn down offers and finish wrap-up. Routing decides everything
 * in Redis ({@link RoutingEngine}); this node reads every routing event from the shared stream and
 * pushes those that concern users connected here: offers and their revocation to clerks, clerk
 * state changes, and (through the {@link PositionTracker}) places in the queue to citizens.
 * A citizen or clerk whose connection stays lost past the resume TTL is taken out: a waiting
 * citizen is abandoned, a call in progress ends, a clerk is signed out. That includes the users of
 * a node that died without closing their sockets ({@link SignalingNodes}).
 */
public final class QueueMessages implements MessageGroup, ConnectionListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QueueMessages.class);
  private static final Set<Role> CITIZEN = EnumSet.of(Role.CITIZEN);
  private static final Set<Role> CLERK = EnumSet.of(Role.CLERK);
  private static final int MAX_REASON = 64;
  private static final long AWAY_SWEEP_MILLIS = 500;
  /**
   * Due users (score = due time) whose away mark is still there, as {userId, role, ...}; every due entry
   * is removed, so a user is claimed once. A user who came back has no mark: dropped without a claim.
   */
  private static final String CLAIM_AWAY = "local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)"
      + " local claimed = {}"
      + " for _, user in ipairs(due) do"
      + "   redis.call('ZREM', KEYS[1], user)"
      + "   local role = redis.call('GET', ARGV[2] .. user)"
      + "   if role then redis.call('DEL', ARGV[2] .. user) table.insert(claimed, user) table.insert(claimed, role) end"
      + " end return claimed";
  /** How a call ended from the clerk's side (docs/protocol.md, {@code wrapup.done}); the clerk desktop offers these. */
  static final List<String> DISPOSITIONS = List.of("resolved", "follow-up", "referred", "no-show", "technical");

  /** An offer ringing at a clerk connected to this node. */
  private record Ringing(String clerkId, String offerId, String queue) {}

  /**
   * {@code queue.join}; {@code kiosk}, {@code consent} and {@code appointmentId} with its {@code appointmentToken} are optional.
   * With {@code callbackId} and {@code callbackToken} (the e-mailed link) the case and the place come from the call-back.
   */
  public record Join(String caseTypeId, String language, String caseId, String caseToken, Boolean kiosk, Consent consent,
      String appointmentId, String appointmentToken, String callbackId, String callbackToken) {}

  public record Consent(Boolean recording) {}

  /** {@code queue.leave}. */
  public record Leave(Callback callback) {}

  public record Callback(String email) {}

  /** {@code clerk.state}: available, break (with a reason code) or offline. */
  public record StateChange(String state, String reason) {}

  /** {@code queue.offer.accept} and {@code queue.offer.decline}. */
  public record OfferAnswer(String offerId) {}

  /** {@code wrapup.done}. */
  public record WrapUpDone(String disposition) {}

  private final Vertx vertx;
  private final Context context;
  private final RoutingEngine engine;
  private final PositionTracker positions;
  private final Cases cases;
  private final ClusterPush push;
  private final Connections connections;
  private final Contacts contacts;
  private final Calls calls;
  private final StaffAccounts accounts;
  private final AppointmentCheck appointments;
  private final Callbacks callbacks;
  private final RedisAsyncCommands<String, String> redis;
  private final SignalingNodes nodes;
  private final String awayPrefix;
  private final String awayDueKey;
  private final long sweepTimer;
  private boolean sweeping;
  private final Clock clock;
  private final Runnable changed;
  private final WaitEstimator estimator;
  private final Map<String, Ringing> ringing = new ConcurrentHashMap<>();

  /**
   * Must be created on {@code context} (the context the position tracker and event subscription
   * belong to). {@code changed} is told of every routing event (the wallboard's cue).
   */
  public QueueMessages(Vertx vertx, Context context, RoutingEngine engine, ablak.queue.events.QueueEvents events, PositionTracker positions,
      Cases cases, ClusterPush push, Connections connections, Contacts contacts, Calls calls, StaffAccounts accounts,
      AppointmentCheck appointments, Callbacks callbacks, RedisAsyncCommands<String, String> redis, SignalingNodes nodes, String keyPrefix,
      Clock clock, Runnable changed) {
    this.vertx = vertx;
    this.context = context;
    this.engine = engine;
    this.positions = positions;
    this.cases = cases;
    this.push = push;
    this.connections = connections;
    this.contacts = contacts;
    this.calls = calls;
    this.accounts = accounts;
    this.appointments = appointments;
    this.callbacks = callbacks;
    this.redis = redis;
    this.nodes = nodes;
    this.awayPrefix = keyPrefix + SignalingNodes.AWAY;
    this.awayDueKey = keyPrefix + SignalingNodes.AWAY_DUE;
    this.clock = clock;
    this.changed = changed;
    this.estimator = new WaitEstimator(engine.settings().defaultHandleTime());
    events.subscribe(vertx, this::onEvent);
    connections.addListener(this);
    this.sweepTimer = vertx.setPeriodic(AWAY_SWEEP_MILLIS, id -> sweepAway());
  }

  @Override
  public void register(MessageRegistry registry) {
    registry.mapError(QueueException.class, QueueMessages::clientError);
    registry.register(MessageType.of("queue.join", CITIZEN, Join.class, this::join));
    registry.register(MessageType.of("queue.leave", CITIZEN, Leave.class, this::leave));
    registry.register(MessageType.of("clerk.state", CLERK, StateChange.class, this::setState));
    registry.register(MessageType.of("queue.offer.accept", CLERK, OfferAnswer.class, this::accept));
    registry.register(MessageType.of("queue.offer.decline", CLERK, OfferAnswer.class, this::decline));
    registry.register(MessageType.of("wrapup.done", CLERK, WrapUpDone.class, this::wrapUpDone));
  }

  // Citizens.

  private Future<Outbound> join(MessageContext context, Join m) {
    if (m.callbackId() != null || m.callbackToken() != null) {
      return rejoin(context, m);
    }
    String citizenId = context.principal().userId();
    required(m.caseTypeId(), "caseTypeId");
    required(m.language(), "language");
    required(m.caseToken(), "caseToken");
    UUID caseId = uuid(m.caseId(), "caseId");
    QueueDefinition queue = queueOf(m.caseTypeId());
    if (!cases.catalogue().caseType(queue.name()).languages().contains(m.language())) {
      throw ClientError.invalid(m.caseTypeId() + " is not served in language " + m.language());
    }
    boolean recordingConsent = m.consent() != null && Boolean.TRUE.equals(m.consent().recording());
    // Joined only once the case opens: a refused join leaves the appointment as it was.
    java.util.function.Supplier<Future<Instant>> appointmentAt = () -> m.appointmentId() == null ? Future.succeededFuture(null)
        : appointments.join(m.appointmentId(), m.appointmentToken(), queue.name());
    Future<Void> caseOpens = cases.cases().get(ablak.cases.access.Principal.citizen(m.caseToken(), m.language()), caseId, null)
        .recover(e -> Future.failedFuture(e instanceof CasesException ? ClientError.forbidden("the case token does not open this case") : e))
        .compose(view -> view.caseType().equals(queue.name()) ? Future.<Void>succeededFuture()
            : Future.failedFuture(ClientError.invalid("case " + caseId + " is a " + view.caseType() + ", not a " + queue.name())));
    String contactId = UUID.randomUUID().toString();
    return caseOpens.compose(ok -> appointmentAt.get()).compose(at -> {
      Contact contact = new Contact(contactId, citizenId, caseId, queue.name(), m.language(), Boolean.TRUE.equals(m.kiosk()),
          recordingConsent, m.caseToken(), at != null ? at : clock.instant());
      return enqueue(contact, new ContactRequest(contactId, queue.name(), m.language(), 0, at, null, null));
    });
  }

  /**
   * {@code queue.join} from a call-back link: the link is used up, and the citizen waits again at the
   * place they left, for the case they left with. A refused join leaves the link usable.
   */
  private Future<Outbound> rejoin(MessageContext context, Join m) {
    UUID callbackId = uuid(m.callbackId(), "callbackId");
    required(m.callbackToken(), "callbackToken");
    boolean recordingConsent = m.consent() != null && Boolean.TRUE.equals(m.consent().recording());
    String contactId = UUID.randomUUID().toString();
    return callbacks.rejoin(callbackId, m.callbackToken())
        .recover(e -> Future.failedFuture(e instanceof ProactiveError error ? callbackError(error) : e))
        .compose(callback -> {
          Contact contact = new Contact(contactId, context.principal().userId(), callback.caseId(), callback.queue(), callback.language(),
              Boolean.TRUE.equals(m.kiosk()), recordingConsent, callback.caseToken(), callback.originalArrival());
          return enqueue(contact, new ContactRequest(contactId, callback.queue(), callback.language(), 0, null, callback.originalArrival(), null))
              .map(joined -> {
                LOG.atInfo().addKeyValue("callbackId", callbackId).addKeyValue("contactId", contactId).log("citizen came back from a call-back");
                ((JsonObject) joined.body()).put("caseTypeId", callback.queue()).put("language", callback.language())
                    .put("caseId", callback.caseId().toString()).put("caseToken", callback.caseToken());
                return joined;
              })
              .recover(e -> callbacks.reopen(callbackId).transform(reopened -> Future.failedFuture(e)));
        });
  }

  /** Takes the citizen's one place and puts the contact in routing; undone if routing refuses it. */
  private Future<Outbound> enqueue(Contact contact, ContactRequest request) {
    String contactId = contact.contactId();
    String citizenId = contact.citizenId();
    return contacts.claim(citizenId, contactId).compose(claimed -> {
      if (!claimed) {
        return Future.failedFuture(new ClientError("already_queued", 409, "this visit is already in a queue or a call"));
      }
      return contacts.save(contact)
          .compose(saved -> engine.enqueue(request))
          .recover(e -> contacts.remove(contactId, citizenId).compose(removed -> Future.failedFuture(e)));
    }).compose(enqueued -> engine.positions(request.queue(), List.of(contactId)).map(placed -> {
      Duration wait = estimator.estimate(Math.max(1, enqueued.position()), placed.getValue());
      track(contactId, request.queue(), citizenId);
      LOG.atInfo().addKeyValue("contactId", contactId).addKeyValue("queue", request.queue()).log("citizen joined the queue");
      return Outbound.of("queue.joined", new JsonObject().put("contactId", contactId).put("queueId", request.queue())
          .put("position", enqueued.position()).put("estimatedWaitSeconds", wait == null ? null : wait.toSeconds())
          .put("callbackAvailable", callbacks.available()));
    }));
  }

  private static ClientError callbackError(ProactiveError error) {
    return switch (error.code()) {
      case CALLBACK_CLOSED -> new ClientError("callback_closed", 409, error.getMessage());
      case CALLBACK_UNAVAILABLE -> new ClientError("callback_unavailable", 501, error.getMessage());
      case INVALID_INPUT -> ClientError.invalid("callback.email: " + error.getMessage());
      default -> new ClientError("unknown_callback", 404, error.getMessage());
    };
  }

  private Future<Outbound> leave(MessageContext context, Leave m) {
    String citizenId = context.principal().userId();
    if (m.callback() != null) {
      if (!callbacks.available()) {
        // Nobody could be told when their turn comes: leaving must not pretend to have booked a call-back.
        throw new ClientError("callback_unavailable", 501, "call-backs cannot be booked on this installation; leave without one");
      }
      required(m.callback().email(), "callback.email");
      return leaveForCallback(citizenId, m.callback().email());
    }
    return contacts.contactOf(citizenId).compose(contactId -> {
      if (contactId == null) {
        return Future.failedFuture(new ClientError(ClientError.INVALID_STATE, 409, "this visit is not in a queue"));
      }
      return engine.abandon(contactId)
          .recover(e -> Future.failedFuture(e instanceof QueueException q && q.error() == QueueError.NOT_WAITING
              ? new ClientError(ClientError.INVALID_STATE, 409, "the call has started; end it with call.end") : e))
          .compose(left -> contacts.remove(contactId, citizenId))
          .map(removed -> {
            this.context.runOnContext(v -> positions.untrack(contactId));
            return Outbound.of("queue.left", new JsonObject().put("contactId", contactId));
          });
    });
  }

  /**
   * Keeps the waiting citizen's place in PostgreSQL and takes the contact out of routing ({@code
   * CANCEL}: not an abandon). Refused unless the citizen is waiting (not ringing, not in a call).
   */
  private Future<Outbound> leaveForCallback(String citizenId, String email) {
    return contacts.contactOf(citizenId).compose(contactId -> contactId == null ? Future.succeededFuture(null) : contacts.get(contactId))
        .compose(contact -> {
          if (contact == null) {
            return Future.failedFuture(new ClientError(ClientError.INVALID_STATE, 409, "this visit is not in a queue"));
          }
          return engine.positions(contact.caseTypeId(), List.of(contact.contactId())).compose(placed -> {
            if (placed.getKey().get(0) < 1) {
              return Future.failedFuture(new ClientError(ClientError.INVALID_STATE, 409, "only a citizen still waiting can be called back"));
            }
            // A contact saved before places were recorded has none: it keeps the place it would get now.
            Instant place = contact.orderedAt().equals(Instant.EPOCH) ? clock.instant() : contact.orderedAt();
            return callbacks.create(new NewCallback(contact.caseTypeId(), contact.language(), contact.caseId(), contact.caseToken(),
                    place, email))
                .recover(e -> Future.failedFuture(e instanceof ProactiveError error ? callbackError(error) : e))
                .compose(callback -> engine.cancel(contact.contactId())
                    .recover(e -> callbacks.discard(callback.id()).transform(gone -> Future.failedFuture(
                        e instanceof QueueException q && q.error() == QueueError.NOT_WAITING
                            ? new ClientError(ClientError.INVALID_STATE, 409, "the call has started; end it with call.end") : e)))
                    .compose(cancelled -> contacts.remove(contact.contactId(), citizenId))
                    .map(removed -> {
                      this.context.runOnContext(v -> positions.untrack(contact.contactId()));
                      LOG.atInfo().addKeyValue("contactId", contact.contactId()).addKeyValue("callbackId", callback.id())
                          .log("citizen left to be called back");
                      return Outbound.of("queue.left", new JsonObject().put("contactId", contact.contactId())
                          .put("callback", new JsonObject().put("callbackId", callback.id().toString()).put("email", callback.email())));
                    }));
          });
        });
  }

  /** Places go to the citizen's connections on this node; after a resume elsewhere, that node tracks them. */
  private void track(String contactId, String queue, String citizenId) {
    context.runOnContext(v -> positions.track(contactId, queue, place -> pushPlace(contactId, citizenId, place)));
  }

  /** {@code queue.position} to the citizen's connections here; with none left, this node stops tracking them. */
  private void pushPlace(String contactId, String citizenId, PositionTracker.WaitingPosition place) {
    JsonObject body = new JsonObject().put("contactId", contactId).put("position", place.position())
        .put("estimatedWaitSeconds", place.estimatedWait() == null ? null : place.estimatedWait().toSeconds());
    if (connections.toUser(citizenId, Outbound.of("queue.position", body)) == 0) {
      positions.untrack(contactId);
    }
  }

  // Clerks.

  private Future<Outbound> setState(MessageContext context, StateChange m) {
    String clerkId = context.principal().userId();
    required(m.state(), "state");
    ClerkStatus status = switch (m.state()) {
      case "available" -> ClerkStatus.READY;
      case "break" -> ClerkStatus.BREAK;
      case "offline" -> ClerkStatus.OFFLINE;
      default -> throw ClientError.invalid("state must be available, break or offline");
    };
    String reason = m.reason() == null ? "" : m.reason();
    if (reason.length() > MAX_REASON || !reason.matches("[A-Za-z0-9 _.-]*")) {
      throw ClientError.invalid("reason must be a code of at most " + MAX_REASON + " letters, digits, spaces, '_', '.' or '-'");
    }
    return register(clerkId)
        .compose(registered -> engine.setStatus(clerkId, status, reason))
        .compose(set -> stateReply(clerkId));
  }

  /** Gives routing the clerk's current profile from their account; a clerk holding contacts keeps the one routing has. */
  private Future<Void> register(String clerkId) {
    return accounts.clerkProfile(clerkId).compose(engine::registerClerk)
        .recover(e -> e instanceof QueueException q && q.error() == QueueError.CLERK_BUSY ? Future.succeededFuture() : Future.failedFuture(e));
  }

  private Future<Outbound> stateReply(String clerkId) {
    return engine.clerkStates(List.of(clerkId)).map(states -> Outbound.of("clerk.state", stateBody(states.get(0))));
  }

  /** The clerk's visible state; in wrap-up also the wrap-up time of the last call's queue, for the desktop's clock. */
  private JsonObject stateBody(ClerkState state) {
    JsonObject body = new JsonObject().put("state", wireState(state.state())).put("reason", state.reason()).put("since", state.since().toEpochMilli());
    if ("wrapup".equals(state.state()) && state.lastQueue() != null) {
      try {
        body.put("wrapUpSeconds", engine.definitions().queue(state.lastQueue()).wrapUp().toSeconds());
      } catch (QueueException unknownQueue) {
        // A queue no longer defined: the desktop's clock counts without a limit.
      }
    }
    return body;
  }

  /** Routing's {@code not_responding} is {@code notresponding} on the wire; the other names are the same. */
  public static String wireState(String routingState) {
    return routingState.replace("_", "");
  }

  private Future<Outbound> accept(MessageContext context, OfferAnswer m) {
    Principal clerk = context.principal();
    OfferId offer = OfferId.parse(m.offerId());
    return engine.accept(clerk.userId(), offer.contactId(), offer.seq())
        .compose(accepted -> calls.store().callOfInvite(offer.contactId()))
        .compose(invitedTo -> {
          if (invitedTo != null) {
            ringing.remove(offer.contactId());
            return calls.interpreterAccepted(offer.contactId(), clerk);
          }
          return acceptCitizen(clerk, offer);
        })
        .map(call -> Outbound.of("queue.offer.accepted", new JsonObject().put("offerId", m.offerId()).put("callId", call.callId())));
  }

  private Future<ablak.signaling.call.CallStore.Call> acceptCitizen(Principal clerk, OfferId offer) {
    return contacts.get(offer.contactId())
        .compose(contact -> contact == null ? Future.succeededFuture(null) : endCallOfLostClerk(contact, null).map(contact))
        .compose(contact -> {
          Ringing rang = ringing.remove(offer.contactId());
          String queue = rang != null ? rang.queue() : contact.caseTypeId();
          return calls.start(contact, queue, clerk).recover(e -> {
            // The case could not be assigned: the contact must not stay connected to a call that never began.
            LOG.atError().addKeyValue("contactId", contact.contactId()).setCause(e).log("a call could not start");
            return engine.complete(clerk.userId(), contact.contactId())
                .eventually(() -> contacts.remove(contact.contactId(), contact.citizenId()))
                .compose(x -> Future.failedFuture(e));
          });
        });
  }

  private Future<Outbound> decline(MessageContext context, OfferAnswer m) {
    OfferId offer = OfferId.parse(m.offerId());
    return engine.decline(context.principal().userId(), offer.contactId(), offer.seq())
        .map(declined -> Outbound.of("queue.offer.declined", new JsonObject().put("offerId", m.offerId())));
  }

  private Future<Outbound> wrapUpDone(MessageContext context, WrapUpDone m) {
    String clerkId = context.principal().userId();
    required(m.disposition(), "disposition");
    if (!DISPOSITIONS.contains(m.disposition())) {
      throw ClientError.invalid("disposition must be one of " + DISPOSITIONS);
    }
    return engine.clerkStates(List.of(clerkId)).compose(states -> {
      if (!states.get(0).state().equals("wrapup")) {
        return Future.failedFuture(new ClientError(ClientError.INVALID_STATE, 409, "not in wrap-up"));
      }
      // The disposition is on record before the clerk is free again: a failure leaves them in wrap-up to try again.
      return calls.store().wrapUp(clerkId)
          .compose(wrapUp -> cases.audit().append(dispositionEntry(clerkId, wrapUp, m.disposition())))
          .compose(recorded -> engine.setStatus(clerkId, ClerkStatus.READY, ""))
          .compose(ready -> calls.store().wrapUpDone(clerkId))
          .compose(done -> stateReply(clerkId));
    });
  }

  /** The disposition goes on the call's case; on the clerk's own record when the call is no longer known. */
  private static AuditEntry dispositionEntry(String clerkId, WrapUp wrapUp, String disposition) {
    if (wrapUp == null) {
      return new AuditEntry(clerkId, "CLERK", "call.wrapup", "staff", clerkId, disposition, "call=unknown");
    }
    return new AuditEntry(clerkId, "CLERK", "call.wrapup", "case", wrapUp.caseId().toString(), disposition,
        "call=" + wrapUp.callId() + " queue=" + wrapUp.queue() + " ended=" + wrapUp.endReason());
  }

  // Routing events, on this node's queue context.

  private void onEvent(QueueEvent event) {
    changed.run();
    switch (event.event()) {
      case "OFFER" -> offered(event);
      case "RINGNOANSWER" -> revoke(event, "timeout");
      case "RINGCANCELED" -> revoke(event, "taken");
      case "ABANDON", "CANCEL" -> revoke(event, "abandoned");
      case "CONNECT", "DECLINE" -> { }
      case "CLERKSTATE" -> {
        if (push.isLocal(event.clerkId())) {
          connections.toUser(event.clerkId(), Outbound.of("clerk.state", new JsonObject().put("state", wireState(event.data1()))
              .put("reason", event.data2().isEmpty() ? null : event.data2()).put("since", event.at().toEpochMilli())));
        }
      }
      case "CLERKLOST" -> clerkLost(event);
      case "TRANSFER" -> contacts.get(event.contactId()).onSuccess(contact -> {
        if (contact != null && push.isLocal(contact.citizenId())) {
          track(contact.contactId(), event.data1(), contact.citizenId());
        }
      });
      default -> { }
    }
  }

  /**
   * Routing signed out a clerk whose node died and put their contact back in the queue at its place:
   * the call ends for both ({@code clerk_lost}) and the citizen waits for the next clerk. Every node
   * tries, so that it happens whoever is still up; the call ends once. The citizen's node follows
   * their place again.
   */
  private void clerkLost(QueueEvent event) {
    contacts.get(event.contactId()).compose(contact -> contact == null ? Future.succeededFuture()
            : endCallOfLostClerk(contact, event.clerkId()).onComplete(ended -> {
              if (push.isLocal(contact.citizenId())) {
                track(contact.contactId(), event.queue(), contact.citizenId());
              }
            }))
        .onFailure(e -> LOG.atWarn().addKeyValue("contactId", event.contactId()).log("the lost clerk's call did not end: {}", e.toString()));
  }

  /**
   * Ends the call that still connects this contact to a clerk routing has let go of (that clerk, or any
   * when {@code clerkId} is null): its contact waits again, or is already offered to the next clerk.
   */
  private Future<Void> endCallOfLostClerk(Contact contact, String clerkId) {
    return calls.store().callOf(contact.citizenId())
        .compose(callId -> callId == null ? Future.succeededFuture(null) : calls.store().get(callId))
        .compose(call -> call == null || !call.contactId().equals(contact.contactId()) || clerkId != null && !call.clerkId().equals(clerkId)
            ? Future.succeededFuture() : calls.end(call, "clerk_lost").mapEmpty());
  }

  private void offered(QueueEvent event) {
    if (!push.isLocal(event.clerkId())) {
      return;
    }
    String offerId = new OfferId(event.contactId(), Long.parseLong(event.data1())).wire();
    ringing.put(event.contactId(), new Ringing(event.clerkId(), offerId, event.queue()));
    long ringMillis = Math.max(0, Long.parseLong(event.data2()) - clock.millis());
    if (Calls.INTERPRETER_KINDS.contains(event.queue())) {
      offerInterpreter(event, offerId, ringMillis);
      return;
    }
    contacts.get(event.contactId()).onSuccess(contact -> {
      if (contact == null) {
        return;
      }
      connections.toUser(event.clerkId(), Outbound.of("queue.offer", new JsonObject()
          .put("offerId", offerId)
          .put("kind", "citizen")
          .put("contactId", contact.contactId())
          .put("caseTypeId", contact.caseTypeId())
          .put("caseTypeName", caseTypeName(contact.caseTypeId(), contact.language()))
          .put("language", contact.language())
          .put("waitedSeconds", Long.parseLong(event.data3()) / 1000)
          .put("ringSeconds", (ringMillis + 999) / 1000)));
    });
  }

  /** An interpreter request rings: the offer names the kind, the language to interpret and the call. */
  private void offerInterpreter(QueueEvent event, String offerId, long ringMillis) {
    calls.store().callOfInvite(event.contactId()).compose(callId -> callId == null ? Future.succeededFuture(null) : calls.store().get(callId))
        .onSuccess(call -> {
          if (call == null) {
            return;
          }
          connections.toUser(event.clerkId(), Outbound.of("queue.offer", new JsonObject()
              .put("offerId", offerId)
              .put("kind", event.queue())
              .put("callId", call.callId())
              .put("contactId", event.contactId())
              .put("caseTypeId", call.caseTypeId())
              .put("caseTypeName", caseTypeName(call.caseTypeId(), call.language()))
              .put("language", call.invite() != null ? call.invite().language() : call.language())
              .put("waitedSeconds", Long.parseLong(event.data3()) / 1000)
              .put("ringSeconds", (ringMillis + 999) / 1000)));
        });
  }

  private void revoke(QueueEvent event, String reason) {
    Ringing rang = ringing.get(event.contactId());
    if (rang != null && rang.clerkId().equals(event.clerkId()) && ringing.remove(event.contactId(), rang)) {
      connections.toUser(rang.clerkId(), Outbound.of("queue.offer.revoked",
          new JsonObject().put("offerId", rang.offerId()).put("reason", reason)));
    }
  }

  private String caseTypeName(String caseTypeId, String language) {
    CatalogueTexts texts = cases.catalogue().texts().getOrDefault(language, cases.catalogue().texts().get("hu"));
    CatalogueTexts.Text text = texts == null ? null : texts.caseTypes().get(caseTypeId);
    return text == null ? caseTypeId : text.name();
  }

  // Lost connections.

  @Override
  public void connected(Connection connection, boolean resumed) {
    Principal user = connection.principal();
    if (user.role() != Role.CITIZEN && user.role() != Role.CLERK) {
      return;
    }
    nodes.arrived(user.userId(), user.role());
    if (user.role() == Role.CLERK) {
      // A clerk back here after their node died keeps their routing presence through this node.
      engine.heartbeatHere(user.userId())
          .onFailure(e -> LOG.atWarn().addKeyValue("userId", user.userId()).log("the clerk's presence was not renewed: {}", e.toString()));
      // Pushes are not replayed: a clerk who was away (or reloaded the page) learns their state now. The
      // read may overtake a change pushed meanwhile; the desktop keeps the state with the latest since.
      engine.clerkStates(List.of(user.userId()))
          .onSuccess(states -> connection.send(Outbound.of("clerk.state", stateBody(states.get(0)))))
          .onFailure(e -> LOG.atWarn().addKeyValue("userId", user.userId()).log("the clerk's state was not sent: {}", e.toString()));
    }
    // A participant who reloaded the page (hello), or whose next call started while they were away (a citizen
    // whose clerk was lost), would otherwise never hear of the call they are in: call.started again.
    calls.startedAgain(user.userId())
        .onSuccess(started -> {
          if (started != null) {
            connection.send(started);
          }
        })
        .onFailure(e -> LOG.atWarn().addKeyValue("userId", user.userId()).log("the user's call was not sent again: {}", e.toString()));
    if (user.role() == Role.CITIZEN) {
      // A waiting citizen is told their place at once, hello as well as resume: a reloaded page knows nothing
      // of the queue, and a resumed one may have missed pushes. Routing's queue, not the one the contact
      // joined: a transfer while the citizen was away moved it.
      contacts.contactOf(user.userId()).compose(id -> id == null ? Future.succeededFuture() : engine.contactQueue(id)
          .onSuccess(queue -> {
            if (queue != null) {
              context.runOnContext(v -> positions.trackNow(id, queue, place -> pushPlace(id, user.userId(), place)));
            }
          }).mapEmpty())
          .onFailure(e -> LOG.atWarn().addKeyValue("userId", user.userId()).log("the citizen's place was not sent: {}", e.toString()));
    }
  }

  @Override
  public void disconnected(Connection connection) {
    Principal user = connection.principal();
    if (user.role() != Role.CITIZEN && user.role() != Role.CLERK || push.isLocal(user.userId())) {
      return;
    }
    // Marked in Redis, so that a resume on any node (which deletes the mark) keeps the user in, and
    // due in a sorted set that every node sweeps, so that the check outlives this node. A node that
    // dies without closing its sockets gets the same marks from the others (SignalingNodes).
    nodes.away(user.userId(), user.role());
  }

  /**
   * Takes the users whose resume time ran out and who did not come back: each is claimed by exactly one
   * node (the script removes what it returns), whichever node noted the loss, or marked the users of a
   * node that died.
   */
  private void sweepAway() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    Future.fromCompletionStage(redis.<java.util.List<String>>eval(CLAIM_AWAY, io.lettuce.core.ScriptOutputType.MULTI,
            new String[] {awayDueKey}, String.valueOf(clock.millis()), awayPrefix), context)
        .onSuccess(claimed -> {
          for (int i = 0; i + 1 < claimed.size(); i += 2) {
            lost(claimed.get(i), Role.fromWireName(claimed.get(i + 1)));
          }
        })
        .onFailure(e -> LOG.warn("lost connections were not swept; the next sweep retries: {}", e.toString()))
        .onComplete(done -> sweeping = false);
  }

  private void lost(String userId, Role role) {
    LOG.atInfo().addKeyValue("userId", userId).addKeyValue("role", role.wireName()).log("connection lost past the resume time");
    Future<Void> callEnded = calls.store().callOf(userId)
        .compose(callId -> callId == null ? Future.succeededFuture(null) : calls.store().get(callId))
        .compose(call -> call == null ? Future.succeededFuture()
            : call.isInterpreter(userId) ? calls.releaseThirdParty(call, "interpreter_lost").mapEmpty()
            : calls.end(call, role == Role.CITIZEN ? "citizen_lost" : "clerk_lost").mapEmpty());
    if (role == Role.CITIZEN) {
      callEnded.compose(v -> contacts.contactOf(userId)).compose(contactId -> contactId == null ? Future.succeededFuture()
              : engine.abandon(contactId).compose(left -> contacts.remove(contactId, userId)))
          .onFailure(e -> LOG.atWarn().addKeyValue("userId", userId).log("could not abandon: {}", e.toString()));
    } else {
      callEnded.compose(v -> engine.setStatus(userId, ClerkStatus.OFFLINE, "connection lost"))
          .onFailure(e -> LOG.atWarn().addKeyValue("userId", userId).log("could not sign the clerk out: {}", e.toString()));
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(sweepTimer);
  }

  // Helpers.

  private QueueDefinition queueOf(String caseTypeId) {
    try {
      return engine.definitions().queue(caseTypeId);
    } catch (QueueException e) {
      throw new ClientError("unknown_case_type", 404, "no queue for case type " + caseTypeId);
    }
  }

  static void required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ClientError.invalid("field " + field + " is required");
    }
  }

  static UUID uuid(String value, String field) {
    required(value, field);
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ClientError.invalid("field " + field + " must be a UUID");
    }
  }

  /** A routing refusal as a protocol error: the code is the refusal's name in lower case. */
  static ClientError clientError(QueueException refused) {
    QueueError error = refused.error();
    int status = switch (error) {
      case UNKNOWN_QUEUE, UNKNOWN_SKILL, UNKNOWN_LANGUAGE, UNKNOWN_CLERK, UNKNOWN_CONTACT -> 404;
      case NOT_YOUR_OFFER, NOT_YOUR_CONTACT -> 403;
      case INVALID_INPUT -> 400;
      default -> 409;
    };
    String code = error == QueueError.INVALID_INPUT ? ClientError.INVALID_MESSAGE : error.name().toLowerCase(Locale.ROOT);
    ClientError client = new ClientError(code, status, refused.getMessage());
    if (error == QueueError.QUEUE_CLOSED) {
      String detail = refused.getMessage();
      String next = detail.substring(detail.lastIndexOf(' ') + 1);
      client = client.with("nextOpening", next.equals("never") ? null : next);
    }
    return client;
  }

  /** An offer as clerks see it: {@code <contactId>.<offer seq>}, so that accept and decline name the very offer. */
  record OfferId(String contactId, long seq) {
    static OfferId parse(String wire) {
      required(wire, "offerId");
      int dot = wire.lastIndexOf('.');
      try {
        return new OfferId(UUID.fromString(wire.substring(0, Math.max(0, dot))).toString(), Long.parseLong(wire.substring(dot + 1)));
      } catch (IllegalArgumentException e) {
        throw ClientError.invalid("offerId is not one this server sent");
      }
    }

    String wire() {
      return contactId + "." + seq;
    }
  }
}
