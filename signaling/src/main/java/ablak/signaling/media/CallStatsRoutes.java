package ablak.signaling.media;

import ablak.media.call.Call;
import ablak.media.call.Participant;
import ablak.media.call.SupervisorMode;
import ablak.media.call.Sfu;
import ablak.media.stats.ParticipantStats;
import ablak.signaling.ClientError;
import ablak.signaling.Json;
import ablak.signaling.auth.Role;
import ablak.signaling.http.RoleGuard;
import ablak.signaling.http.RouteGroup;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /api/calls/{callId}/stats}: the SFU's view of each participant's connection (bitrate,
 * loss, jitter, round trip, video size and frame rate), for the clerk desktop's quality indicator
 * and for supervisors. Only the node whose SFU carries the call knows it.
 */
public final class CallStatsRoutes implements RouteGroup {

  private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final ObjectMapper JSON = Json.MAPPER.copy().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** The body: one entry per participant, in the order they joined. */
  record CallStats(String callId, List<ParticipantStats> participants) {}

  private final Sfu sfu;
  private final RoleGuard guard;

  public CallStatsRoutes(Sfu sfu, RoleGuard guard) {
    this.sfu = sfu;
    this.guard = guard;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/calls/:callId/stats").handler(guard.allow(Role.CLERK, Role.SUPERVISOR)).handler(this::stats);
  }

  /** A supervisor who listens or whispers is not shown to the clerk: monitoring stays unknown until a barge-in. */
  private static boolean unseen(Participant p) {
    return p.supervisorMode().filter(mode -> mode != SupervisorMode.BARGE).isPresent();
  }

  private void stats(RoutingContext ctx) {
    String callId = ctx.pathParam("callId");
    if (!CALL_ID.matcher(callId).matches()) {
      ctx.fail(ClientError.invalid("a call id is 1-64 letters, digits, '.', '_' or '-'"));
      return;
    }
    Call call = sfu.findCall(callId).orElse(null);
    if (call == null) {
      ctx.fail(new ClientError(ClientError.NOT_FOUND, 404, "no call " + callId + " on this node"));
      return;
    }
    try {
      ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
          .end(JSON.writeValueAsString(new CallStats(callId, call.participants().stream()
              .filter(p -> RoleGuard.principal(ctx).role() == Role.SUPERVISOR || !unseen(p)).map(Participant::stats).toList())));
    } catch (JsonProcessingException e) {
      ctx.fail(e);
    }
  }
}
