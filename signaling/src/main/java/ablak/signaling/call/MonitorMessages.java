package ablak.signaling.call;

import ablak.cases.audit.AuditEntry;
import ablak.cases.audit.AuditTrail;
import ablak.media.call.SupervisorMode;
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
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A supervisor monitors a call (docs/protocol.md, "Monitoring a call"): listens unseen, whispers to
 * the clerk, or barges in. The reply carries a media grant for the node hosting the call, as
 * {@code call.started} does; a later {@code call.monitor} changes the mode of the same media
 * session, which the hosting node applies without a new offer. A barge-in is announced to
 * everyone in the call with {@code call.participants}; from then on the supervisor stays visible
 * until they leave, so the citizen is never told someone left who is still listening. Every start,
 * change and stop is written to the audit trail before it takes effect.
 */
public final class MonitorMessages implements MessageGroup {

  private static final Logger LOG = LoggerFactory.getLogger(MonitorMessages.class);
  private static final Set<Role> SUPERVISOR = EnumSet.of(Role.SUPERVISOR);
  private static final int MAX_REASON = 200;
  private static final String DEFAULT_REASON = "quality monitoring";

  public record Monitor(String callId, String mode, String reason) {}

  public record End(String callId) {}

  private final Calls calls;
  private final CallMonitors monitors;
  private final AuditTrail audit;
  private final Push push;

  public MonitorMessages(Calls calls, CallMonitors monitors, AuditTrail audit, Push push) {
    this.calls = calls;
    this.monitors = monitors;
    this.audit = audit;
    this.push = push;
  }

  @Override
  public void register(MessageRegistry registry) {
    registry.register(MessageType.of("call.monitor", SUPERVISOR, Monitor.class, this::monitor));
    registry.register(MessageType.of("call.monitor.end", SUPERVISOR, End.class, this::end));
  }

  private Future<Outbound> monitor(MessageContext context, Monitor m) {
    SupervisorMode mode;
    try {
      mode = CallMonitors.parse(m.mode() == null ? "" : m.mode());
    } catch (IllegalArgumentException e) {
      throw ClientError.invalid(e.getMessage());
    }
    String reason = reason(m.reason());
    Principal supervisor = context.principal();
    return call(m.callId()).compose(call -> monitors.mode(call.callId(), supervisor.userId()).compose(current -> {
      if (current == mode) {
        return Future.succeededFuture(granted(call, supervisor, mode));
      }
      if (current == SupervisorMode.BARGE) {
        return Future.failedFuture(new ClientError(ClientError.CONFLICT, 409,
            "a supervisor who barged in stays visible to the citizen until they leave with call.monitor.end"));
      }
      String action = current == null ? "call.monitor.start" : "call.monitor.mode";
      return audit(supervisor, action, call, reason, mode)
          .compose(audited -> monitors.set(call.callId(), supervisor.userId(), mode))
          .compose(set -> mode == SupervisorMode.BARGE ? calls.pushParticipants(call) : Future.succeededFuture())
          .map(done -> {
            LOG.atInfo().addKeyValue("callId", call.callId()).addKeyValue("supervisorId", supervisor.userId())
                .addKeyValue("mode", CallMonitors.wire(mode)).log(action);
            return granted(call, supervisor, mode);
          });
    }));
  }

  private Future<Outbound> end(MessageContext context, End m) {
    Principal supervisor = context.principal();
    return call(m.callId()).compose(call -> monitors.mode(call.callId(), supervisor.userId()).compose(current -> {
      if (current == null) {
        return Future.failedFuture(new ClientError(ClientError.INVALID_STATE, 409, "not monitoring this call"));
      }
      return audit(supervisor, "call.monitor.stop", call, DEFAULT_REASON, current)
          .compose(audited -> monitors.end(call.callId(), supervisor.userId()))
          .compose(ended -> current == SupervisorMode.BARGE ? calls.pushParticipants(call) : Future.succeededFuture())
          .map(done -> {
            LOG.atInfo().addKeyValue("callId", call.callId()).addKeyValue("supervisorId", supervisor.userId())
                .addKeyValue("mode", CallMonitors.wire(current)).log("call.monitor.stop");
            return Outbound.of("call.monitor.ended", new JsonObject().put("callId", call.callId()));
          });
    }));
  }

  /**
   * The supervisor's media session ended without {@code call.monitor.end} (a closed page, a lost
   * network): their monitoring ends as if they had left, audited, announced after a barge-in, and
   * their wallboard is told with {@code call.monitor.ended {callId, reason: "media_lost"}}.
   */
  public void mediaLost(String callId, String userId) {
    calls.store().get(callId).compose(call -> call == null ? Future.succeededFuture()
        : monitors.mode(callId, userId).compose(current -> {
          if (current == null) {
            return Future.succeededFuture();
          }
          return audit.append(new AuditEntry(userId, "SUPERVISOR", "call.monitor.stop", "call", callId,
                  "the supervisor's media ended", detail(call, current)))
              .compose(audited -> monitors.end(callId, userId))
              .compose(ended -> current == SupervisorMode.BARGE ? calls.pushParticipants(call) : Future.succeededFuture())
              .onSuccess(done -> push.toUser(userId, Outbound.of("call.monitor.ended",
                  new JsonObject().put("callId", callId).put("reason", "media_lost"))));
        }))
        .onFailure(e -> LOG.atWarn().addKeyValue("callId", callId).log("a lost monitor was not ended: {}", e.toString()));
  }

  private Outbound granted(Call call, Principal supervisor, SupervisorMode mode) {
    return Outbound.of("call.monitor", new JsonObject()
        .put("callId", call.callId())
        .put("mode", CallMonitors.wire(mode))
        .put("clerkId", call.clerkId())
        .put("media", calls.media(call, supervisor.userId(), Role.SUPERVISOR))
        .put("iceServers", calls.iceServers(supervisor.userId())));
  }

  private Future<Void> audit(Principal supervisor, String action, Call call, String reason, SupervisorMode mode) {
    return audit.append(new AuditEntry(supervisor.userId(), "SUPERVISOR", action, "call", call.callId(), reason, detail(call, mode)));
  }

  private static String detail(Call call, SupervisorMode mode) {
    return "mode=" + CallMonitors.wire(mode) + " case=" + call.caseId() + " clerk=" + call.clerkId();
  }

  private static String reason(String reason) {
    if (reason == null || reason.isBlank()) {
      return DEFAULT_REASON;
    }
    if (reason.length() > MAX_REASON) {
      throw ClientError.invalid("field reason is at most " + MAX_REASON + " characters");
    }
    return reason;
  }

  private Future<Call> call(String callId) {
    if (callId == null || callId.isBlank()) {
      return Future.failedFuture(ClientError.invalid("field callId is required"));
    }
    return calls.store().get(callId).compose(call -> call == null
        ? Future.failedFuture(new ClientError("unknown_call", 404, "no call " + callId + " in progress"))
        : Future.succeededFuture(call));
  }
}
