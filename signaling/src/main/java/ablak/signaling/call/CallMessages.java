package ablak.signaling.call;

import ablak.signaling.ClientError;
import ablak.signaling.auth.Principal;
import ablak.signaling.auth.Role;
import ablak.signaling.call.CallStore.Call;
import ablak.signaling.protocol.MessageContext;
import ablak.signaling.protocol.MessageGroup;
import ablak.signaling.protocol.MessageRegistry;
import ablak.signaling.protocol.MessageType;
import ablak.signaling.protocol.Outbound;
import ablak.signaling.protocol.Push;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import ablak.queue.routing.ClerkProfile;
import ablak.queue.routing.RoutingEngine;
import ablak.signaling.auth.StaffAccounts;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The call between a citizen and a clerk over the WebSocket (docs/protocol.md, "The call"): end it,
 * record it, chat in it, ask the citizen to review the case, transfer it to another queue, renew
 * the media token. Every message names its call, and only the call's participants may send it;
 * pushes reach the other participant on whichever node they are connected.
 */
public final class CallMessages implements MessageGroup {

  private static final Set<Role> PARTICIPANTS = EnumSet.of(Role.CITIZEN, Role.CLERK);
  private static final Set<Role> CLERK = EnumSet.of(Role.CLERK);
  private static final int MAX_CHAT = 4000;

  public record End(String callId) {}

  public record Recording(String callId, Boolean recording) {}

  /** {@code final} is a Java keyword, hence the component's other name. */
  public record Chat(String callId, String text, @JsonProperty("final") Boolean fin) {}

  public record Review(String callId, String caseId, Integer version) {}

  public record Transfer(String callId, String queueId) {}

  public record Media(String callId) {}

  /** {@code call.invite}: {@code kind} is {@code interpreter} or {@code sign-language}. */
  public record Invite(String callId, String kind, String language) {}

  /** The interpreters' queues (queues.json) by the kind of interpreter, and the skill each needs. */
  private static final Map<String, String> SKILL_OF_KIND = Map.of("interpreter", "interpreting", "sign-language", "sign-language");
  private static final Set<String> STAFFED = Set.of("available", "offered", "busy", "wrapup");

  private final Calls calls;
  private final Push push;
  private final StaffAccounts accounts;
  private final RoutingEngine engine;

  public CallMessages(Calls calls, Push push, StaffAccounts accounts, RoutingEngine engine) {
    this.calls = calls;
    this.push = push;
    this.accounts = accounts;
    this.engine = engine;
  }

  @Override
  public void register(MessageRegistry registry) {
    registry.register(MessageType.of("call.end", PARTICIPANTS, End.class, this::end));
    registry.register(MessageType.of("call.invite", CLERK, Invite.class, this::invite));
    registry.register(MessageType.of("call.recording", CLERK, Recording.class, this::recording));
    registry.register(MessageType.of("chat.text", PARTICIPANTS, Chat.class, this::chat));
    registry.register(MessageType.of("case.review", CLERK, Review.class, this::review));
    registry.register(MessageType.of("call.transfer", CLERK, Transfer.class, this::transfer));
    registry.register(MessageType.of("call.media", PARTICIPANTS, Media.class, (context, m) -> participant(context, m.callId())
        .compose(calls::mediaHome)
        .map(call -> Outbound.of("call.media", new JsonObject().put("callId", call.callId())
            .put("media", calls.media(call, context.principal().userId(), context.principal().role()))))));
  }

  /** The citizen or the clerk ends the call for everyone; the interpreter ends only their own part. */
  private Future<Outbound> end(MessageContext context, End m) {
    String userId = context.principal().userId();
    return participant(context, m.callId()).compose(call -> {
      if (call.isInterpreter(userId)) {
        return calls.releaseThirdParty(call, "ended_by_interpreter")
            .map(left -> Outbound.of("call.ended", new JsonObject().put("callId", call.callId()).put("reason", "ended_by_interpreter")));
      }
      String reason = context.principal().role() == Role.CLERK ? "ended_by_clerk" : "ended_by_citizen";
      return calls.end(call, reason).map(ended -> Outbound.of("call.ended", new JsonObject().put("callId", call.callId()).put("reason", reason)));
    });
  }

  /**
   * The clerk asks for an interpreter. Refused with {@code no_interpreter} when no clerk with the
   * kind's skill and the language is signed in (available, ringing, busy or in wrap-up): the request
   * would wait for nobody.
   */
  private Future<Outbound> invite(MessageContext context, Invite m) {
    String skill = m.kind() == null ? null : SKILL_OF_KIND.get(m.kind());
    if (skill == null) {
      throw ClientError.invalid("kind must be interpreter or sign-language");
    }
    if (m.language() == null || !engine.definitions().languages().contains(m.language())) {
      throw ClientError.invalid("language must be one of " + new java.util.TreeSet<>(engine.definitions().languages()));
    }
    return handlingClerk(context, m.callId())
        .compose(call -> staffed(skill, m.language()).compose(anyone -> anyone
            ? calls.invite(call, m.kind(), m.language())
            : Future.failedFuture(new ClientError("no_interpreter", 409, "no " + m.kind() + " for " + m.language() + " is signed in"))))
        .map(invite -> Outbound.of("call.invited", new JsonObject().put("callId", m.callId()).put("kind", invite.kind())
            .put("language", invite.language())));
  }

  /** Whether a clerk with this skill and language is signed in now. */
  private Future<Boolean> staffed(String skill, String language) {
    return accounts.list(Role.CLERK)
        .compose(clerks -> Future.all(clerks.stream().map(clerk -> accounts.clerkProfile(clerk.id())).toList()))
        .compose(profiles -> {
          List<String> able = profiles.<ClerkProfile>list().stream()
              .filter(p -> p.skills().containsKey(skill) && p.languages().contains(language))
              .map(ClerkProfile::clerkId).toList();
          return able.isEmpty() ? Future.succeededFuture(List.<ablak.queue.routing.ClerkState>of()) : engine.clerkStates(able);
        })
        .map(states -> states.stream().anyMatch(state -> STAFFED.contains(state.state())));
  }

  private Future<Outbound> recording(MessageContext context, Recording m) {
    if (m.recording() == null) {
      throw ClientError.invalid("field recording is required");
    }
    boolean on = m.recording();
    return handlingClerk(context, m.callId()).compose(call -> {
      if (on && !call.recordingConsent()) {
        return Future.failedFuture(new ClientError("consent_missing", 409, "the citizen did not consent to recording"));
      }
      if (on == call.recording()) {
        return Future.succeededFuture(call);
      }
      Future<Void> changed = on ? calls.recorder().start(call.callId()) : calls.recorder().stop(call.callId()).mapEmpty();
      return changed.compose(done -> calls.store().setRecording(call.callId(), on)).map(call);
    }).map(call -> {
      JsonObject body = new JsonObject().put("callId", call.callId()).put("recording", on);
      call.participants().forEach(user -> push.toUser(user, Outbound.of("call.recording", body)));
      return Outbound.of("call.recording", body);
    });
  }

  private Future<Outbound> chat(MessageContext context, Chat m) {
    if (m.text() == null || m.text().length() > MAX_CHAT) {
      throw ClientError.invalid("field text is required, at most " + MAX_CHAT + " characters");
    }
    boolean fin = Boolean.TRUE.equals(m.fin());
    Principal sender = context.principal();
    return participant(context, m.callId()).map(call -> {
      JsonObject body = new JsonObject().put("callId", call.callId()).put("text", m.text()).put("final", fin)
          .put("from", call.isInterpreter(sender.userId()) ? "interpreter" : sender.role().wireName());
      call.participants().stream().filter(user -> !user.equals(sender.userId()))
          .forEach(user -> push.toUser(user, Outbound.of("chat.text", body)));
      return Outbound.of("chat.sent", new JsonObject().put("callId", call.callId()));
    });
  }

  private Future<Outbound> review(MessageContext context, Review m) {
    if (m.version() == null || m.version() < 1) {
      throw ClientError.invalid("field version must be a positive number");
    }
    return handlingClerk(context, m.callId()).compose(call -> {
      if (!call.caseId().toString().equals(m.caseId())) {
        return Future.failedFuture(ClientError.invalid("caseId is not the case of this call"));
      }
      push.toUser(call.citizenId(), Outbound.of("case.review", new JsonObject().put("caseId", m.caseId()).put("version", m.version())));
      return Future.succeededFuture(Outbound.of("case.review.sent", new JsonObject().put("caseId", m.caseId()).put("version", m.version())));
    });
  }

  private Future<Outbound> transfer(MessageContext context, Transfer m) {
    if (m.queueId() == null || m.queueId().isBlank()) {
      throw ClientError.invalid("field queueId is required");
    }
    return handlingClerk(context, m.callId())
        .compose(call -> calls.transfer(call, m.queueId()))
        .map(call -> Outbound.of("call.transferred", new JsonObject().put("callId", call.callId()).put("queueId", m.queueId())));
  }

  /** The call, if the sender is its clerk (not its interpreter). */
  private Future<Call> handlingClerk(MessageContext context, String callId) {
    return participant(context, callId).compose(call -> call.clerkId().equals(context.principal().userId())
        ? Future.succeededFuture(call) : Future.failedFuture(ClientError.forbidden("only the call's clerk may do this")));
  }

  /**
   * A call that has ended or never existed. Pushes are not replayed, so a client back from a lost
   * connection learns here that its call is over; a citizen also learns whether they wait in a queue
   * again ({@code waiting}), as its {@code call.ended} would have said with {@code queueId}.
   */
  private Future<Call> unknownCall(MessageContext context, String callId) {
    ClientError unknown = new ClientError("unknown_call", 404, "no call " + callId + " in progress");
    if (context.principal().role() != Role.CITIZEN) {
      return Future.failedFuture(unknown);
    }
    return calls.waitsInQueue(context.principal().userId()).compose(waiting -> Future.failedFuture(unknown.with("waiting", waiting)));
  }

  /** The call, if the sender takes part in it. */
  private Future<Call> participant(MessageContext context, String callId) {
    if (callId == null || callId.isBlank()) {
      return Future.failedFuture(ClientError.invalid("field callId is required"));
    }
    return calls.store().get(callId).compose(call -> {
      if (call == null) {
        return unknownCall(context, callId);
      }
      if (!call.hasParticipant(context.principal().userId())) {
        return Future.failedFuture(ClientError.forbidden("not a participant of this call"));
      }
      return Future.succeededFuture(call);
    });
  }
}
