package ablak.signaling.media;

import ablak.media.MediaSettings;
import ablak.media.call.Participant;
import ablak.media.call.Sfu;
import ablak.media.call.SupervisorMode;
import ablak.media.sdp.SdpException;
import ablak.media.turn.TurnCredentials;
import ablak.signaling.ClientError;
import ablak.signaling.auth.Authenticator;
import ablak.signaling.auth.Principal;
import ablak.signaling.auth.Role;
import ablak.signaling.call.CallMonitors;
import ablak.signaling.call.MediaTokens;
import ablak.signaling.http.RouteGroup;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * WHIP (RFC 9725) and WHEP in front of this node's SFU: {@code POST /whip/calls/{callId}} publishes,
 * {@code POST /whep/calls/{callId}} subscribes; each creates one participant of the call and a session
 * resource ({@code /whip/sessions/{id}}, {@code /whep/sessions/{id}}) that takes trickle ICE by
 * {@code PATCH} and ends with {@code DELETE}.
 *
 * <p>Credentials travel as {@code Authorization: Bearer <token>} (RFC 9725 4.5): a citizen's visit
 * token, or a staff member's session id (the value of the session cookie). Clerks publish and
 * subscribe in any call; supervisors subscribe, and publish only with the media token of
 * {@code call.monitor}, their media reaching whom their monitor mode allows; citizens publish and
 * subscribe only in the call of their own visit, whose id is their visit id. A media token from
 * {@code call.started} ({@link MediaTokens}) admits its participant to its one call only. Sessions
 * live on the node whose SFU carries their media, as the media does; any node takes the requests and
 * hands those of calls and sessions hosted elsewhere to their node ({@link MediaForwarder}).
 */
public final class WhipRoutes implements RouteGroup {

  static final String SDP = "application/sdp";
  static final String SDP_FRAGMENT = "application/trickle-ice-sdpfrag";
  private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String VISIT_PREFIX = "visit:";

  /** The two directions share every rule but the path and who may take them. */
  enum Direction {
    PUBLISH("whip", EnumSet.of(Role.CITIZEN, Role.CLERK, Role.SUPERVISOR)),
    SUBSCRIBE("whep", EnumSet.of(Role.CITIZEN, Role.CLERK, Role.SUPERVISOR));

    final String path;
    final Set<Role> roles;

    Direction(String path, Set<Role> roles) {
      this.path = path;
      this.roles = roles;
    }
  }

  /** One WHIP or WHEP session: a participant of a call, owned by the user who created it. */
  record MediaSession(String id, Direction direction, String ownerUserId, Participant participant, String remoteIceUfrag) {
    String etag() {
      return "\"" + id + "\"";
    }
  }

  private final Vertx vertx;
  private final Sfu sfu;
  private final Authenticator authenticator;
  private final MediaTokens mediaTokens;
  private final CallMonitors monitors;
  private final MediaForwarder forwarder;
  private final Map<String, MediaSession> sessions = new ConcurrentHashMap<>();

  /** Who sent a request; {@code onlyCallId} is the one call a media token admits to, null for other credentials. */
  /** {@code interpreter}: a media token of role interpreter, which joins the SFU's call in that role. */
  private record Caller(Principal principal, String onlyCallId, boolean interpreter) {}

  /**
   * @param supervisorMediaLost told (call id, supervisor's user id) when a supervisor's last media session in a
   *     call on this node ended without DELETE: their page is gone, so their monitoring of the call ends
   */
  public WhipRoutes(Vertx vertx, Sfu sfu, Authenticator authenticator, MediaTokens mediaTokens, CallMonitors monitors,
      MediaForwarder forwarder, BiConsumer<String, String> supervisorMediaLost) {
    this.vertx = vertx;
    this.sfu = sfu;
    this.authenticator = authenticator;
    this.mediaTokens = mediaTokens;
    this.monitors = monitors;
    this.forwarder = forwarder;
    monitors.listen(this::monitorChanged);
    SessionReaper.start(vertx, sfu, sessions, sfu.settings().sessionIdleTimeout(), sfu.metrics().registry(), reaped -> {
      forwarder.sessionEnded(reaped.id());
      Participant participant = reaped.participant();
      String callId = participant.call().id();
      boolean another = sessions.values().stream().anyMatch(other -> other.ownerUserId().equals(reaped.ownerUserId())
          && other.participant().call().id().equals(callId));
      // A reloaded page has a new session by the time the old one is reaped: that one still monitors.
      if (participant.supervisorMode().isPresent() && !another) {
        supervisorMediaLost.accept(callId, reaped.ownerUserId());
      }
    });
  }

  /** Starts this node's SFU; the server closes it at shutdown. */
  public static Sfu startSfu(MediaSettings settings, MeterRegistry meters) {
    try {
      return Sfu.start(settings, meters);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open the media port", e);
    }
  }

  @Override
  public void mount(Router router) {
    for (Direction direction : Direction.values()) {
      router.post("/" + direction.path + "/calls/:callId").handler(ctx ->
          here(ctx, forwarder.hostOfCall(ctx, ctx.pathParam("callId")), () -> create(ctx, direction)));
      router.patch("/" + direction.path + "/sessions/:sessionId").handler(ctx ->
          here(ctx, sessionHost(ctx), () -> patch(ctx, direction)));
      router.delete("/" + direction.path + "/sessions/:sessionId").handler(ctx ->
          here(ctx, sessionHost(ctx), () -> delete(ctx, direction)));
    }
  }

  /** Runs {@code local} when {@code host} says the request is this node's (null), else forwards it there. */
  private void here(RoutingContext ctx, Future<String> host, Runnable local) {
    host.onSuccess(elsewhere -> {
      if (elsewhere == null) {
        local.run();
      } else {
        forwarder.forward(ctx, elsewhere);
      }
    }).onFailure(ctx::fail);
  }

  private Future<String> sessionHost(RoutingContext ctx) {
    String sessionId = ctx.pathParam("sessionId");
    return sessions.containsKey(sessionId) ? Future.succeededFuture(null) : forwarder.hostOfSession(ctx, sessionId);
  }

  private void create(RoutingContext ctx, Direction direction) {
    String callId = ctx.pathParam("callId");
    caller(ctx).compose(caller -> {
      Principal principal = caller.principal();
      if (!direction.roles.contains(principal.role())) {
        return Future.failedFuture(ClientError.forbidden("role " + principal.role().wireName() + " may not use " + direction.path));
      }
      if (caller.onlyCallId() != null && !caller.onlyCallId().equals(callId)) {
        return Future.failedFuture(ClientError.forbidden("the media token is for another call"));
      }
      if (direction == Direction.PUBLISH && principal.role() == Role.SUPERVISOR && caller.onlyCallId() == null) {
        return Future.failedFuture(ClientError.forbidden("a supervisor publishes only with the media token of call.monitor"));
      }
      if (caller.onlyCallId() == null && principal.role() == Role.CITIZEN
          && !callId.equals(principal.userId().substring(VISIT_PREFIX.length()))) {
        return Future.failedFuture(ClientError.forbidden("a citizen may join only the call of their own visit"));
      }
      requireContentType(ctx, SDP);
      if (!CALL_ID.matcher(callId).matches()) {
        return Future.failedFuture(ClientError.invalid("a call id is 1-64 letters, digits, '.', '_' or '-'"));
      }
      String offer = ctx.body().asString();
      if (offer == null || offer.isBlank()) {
        return Future.failedFuture(new ClientError("invalid_sdp", 400, "the body must be an SDP offer"));
      }
      String sessionId = UUID.randomUUID().toString();
      Future<SupervisorMode> mode = principal.role() == Role.SUPERVISOR && !caller.interpreter()
          ? monitors.mode(callId, principal.userId()).map(m -> m == null ? SupervisorMode.LISTEN : m)
          : Future.succeededFuture(null);
      boolean replacesOwn = caller.onlyCallId() != null && principal.role() != Role.SUPERVISOR;
      return mode.compose(supervisorMode -> vertx.<Created>executeBlocking(() -> {
        if (replacesOwn) {
          endSessionsOf(principal.userId(), callId, direction);
        }
        Participant participant = sfu.call(callId).join(sessionId,
            caller.interpreter() ? ablak.media.call.Role.INTERPRETER : mediaRole(principal.role()));
        if (supervisorMode != null) {
          participant.setSupervisorMode(supervisorMode);
        }
        Future<String> answer = participant.connect(offer);
        if (answer.failed()) {
          participant.leave();
          throw answer.cause() instanceof Exception e ? e : new IllegalStateException(answer.cause());
        }
        MediaSession session = new MediaSession(sessionId, direction, principal.userId(), participant, iceUfrag(offer));
        sessions.put(sessionId, session);
        return new Created(session, answer.result());
      }));
    }).onSuccess(created -> {
      forwarder.sessionCreated(created.session().id());
      // RFC 9725 4.2: 201 with the session URL; 4.3.1: an entity tag for the ICE session; 4.6: TURN servers.
      ctx.response().setStatusCode(201)
          .putHeader("Location", "/" + direction.path + "/sessions/" + created.session().id())
          .putHeader("ETag", created.session().etag())
          .putHeader("Content-Type", SDP);
      sfu.turnCredentials(created.session().id()).ifPresent(turn -> ctx.response().putHeader("Link", iceServerLinks(turn)));
      ctx.response().end(created.answer());
    }).onFailure(failure -> ctx.fail(failure instanceof SdpException e
        ? new ClientError("invalid_sdp", 400, e.getMessage())
        : failure instanceof IllegalStateException e ? new ClientError(ClientError.CONFLICT, 409, e.getMessage()) : failure));
  }

  private record Created(MediaSession session, String answer) {}

  /**
   * A participant of a call (who publishes with the media token of {@code call.started}) has one page in it: a
   * new session of theirs, from a reloaded page or a media reconnect that could not DELETE, replaces the old
   * ones at once. Otherwise the others' slot would stay with the dead session until it is reaped, and the new
   * one would land in a slot meant for a third participant (docs/media.md, "Slots").
   */
  private void endSessionsOf(String userId, String callId, Direction direction) {
    for (MediaSession old : sessions.values()) {
      if (old.ownerUserId().equals(userId) && old.direction() == direction && old.participant().call().id().equals(callId)
          && sessions.remove(old.id()) != null) {
        forwarder.sessionEnded(old.id());
        old.participant().leave();
      }
    }
  }

  /**
   * A supervisor's monitor of a call changed (on any node): their sessions in that call on this node
   * take the new mode at once, without a new offer; when they stopped monitoring, the sessions end.
   */
  private void monitorChanged(String callId, String userId, SupervisorMode mode) {
    for (MediaSession session : sessions.values()) {
      Participant participant = session.participant();
      if (!session.ownerUserId().equals(userId) || !participant.call().id().equals(callId)
          || participant.supervisorMode().isEmpty()) {
        continue;
      }
      if (mode != null) {
        participant.setSupervisorMode(mode);
      } else if (sessions.remove(session.id()) != null) {
        forwarder.sessionEnded(session.id());
        vertx.executeBlocking(() -> {
          participant.leave();
          return null;
        });
      }
    }
  }

  /**
   * Trickle ICE (RFC 9725 4.3.1, RFC 8840). The SFU learns a client's addresses from its
   * connectivity checks (peer-reflexive candidates, RFC 8445 7.3.1.3), so trickled candidates are
   * accepted and need no action. ICE restarts are not supported: a client that changes network
   * makes a new session with POST, which the SFU turns into a reconnect-free new participant.
   */
  private void patch(RoutingContext ctx, Direction direction) {
    ownSession(ctx, direction).compose(session -> {
      requireContentType(ctx, SDP_FRAGMENT);
      String fragment = ctx.body().asString();
      if (fragment == null || !fragment.lines().allMatch(line -> line.isEmpty() || line.matches("[a-z]=.*"))) {
        throw new ClientError("invalid_sdp", 400, "the body must be an SDP fragment (RFC 8840)");
      }
      String ifMatch = ctx.request().getHeader("If-Match");
      String ufrag = iceUfrag(fragment);
      if ("*".equals(ifMatch) || ufrag != null && !ufrag.equals(session.remoteIceUfrag())) {
        // RFC 9725 4.3.1: a resource that supports trickle ICE but not ICE restarts answers 422.
        throw new ClientError("ice_restart_unsupported", 422, "ICE restarts are not supported; end this session and POST a new offer");
      }
      if (ifMatch != null && !ifMatch.equals(session.etag())) {
        throw new ClientError("precondition_failed", 412, "If-Match does not name this ICE session");
      }
      return Future.succeededFuture();
    }).onSuccess(nothing -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx, Direction direction) {
    ownSession(ctx, direction)
        .compose(session -> vertx.executeBlocking(() -> {
          if (sessions.remove(session.id()) != null) {
            forwarder.sessionEnded(session.id());
            session.participant().leave();
          }
          return null;
        }))
        .onSuccess(nothing -> ctx.response().setStatusCode(200).end())
        .onFailure(ctx::fail);
  }

  /** The session named in the path, if it exists in this direction and belongs to the caller. */
  private Future<MediaSession> ownSession(RoutingContext ctx, Direction direction) {
    return caller(ctx).map(Caller::principal).compose(principal -> {
      MediaSession session = sessions.get(ctx.pathParam("sessionId"));
      if (session == null || session.direction() != direction) {
        return Future.failedFuture(new ClientError(ClientError.NOT_FOUND, 404, "no such " + direction.path + " session"));
      }
      if (!session.ownerUserId().equals(principal.userId())) {
        return Future.failedFuture(ClientError.forbidden("this session belongs to someone else"));
      }
      return Future.succeededFuture(session);
    });
  }

  /** A media token, a visit token or a staff session id as a bearer token (RFC 9725 4.5, RFC 6750 2.1). */
  private Future<Caller> caller(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      return Future.failedFuture(ClientError.unauthenticated("send Authorization: Bearer <media token, visit token or staff session>"));
    }
    String token = authorization.substring(7).trim();
    try {
      if (MediaTokens.looksLikeOne(token)) {
        MediaTokens.Grant grant = mediaTokens.verify(token);
        return Future.succeededFuture(new Caller(new Principal(grant.userId(), grant.role().wireName(), grant.role(), null, grant.expiresAt()),
            grant.callId(), grant.interpreter()));
      }
      if (token.startsWith("v1.")) {
        return Future.succeededFuture(new Caller(authenticator.visitTokens().verify(token), null, false));
      }
    } catch (ClientError e) {
      return Future.failedFuture(e);
    }
    return authenticator.sessions().find(token).compose(principal -> principal != null
        ? Future.succeededFuture(new Caller(principal, null, false))
        : Future.failedFuture(new ClientError(ClientError.TOKEN_INVALID, 401, "not a visit token nor a current staff session")));
  }

  private static void requireContentType(RoutingContext ctx, String expected) {
    String contentType = ctx.request().getHeader("Content-Type");
    String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals(expected)) {
      throw new ClientError("unsupported_media_type", 415, "send Content-Type: " + expected);
    }
  }

  private static ablak.media.call.Role mediaRole(Role role) {
    return switch (role) {
      case CITIZEN -> ablak.media.call.Role.CITIZEN;
      case CLERK -> ablak.media.call.Role.CLERK;
      case SUPERVISOR -> ablak.media.call.Role.SUPERVISOR;
      default -> throw new IllegalArgumentException("role " + role + " has no place in a call");
    };
  }

  /** The first {@code a=ice-ufrag} of an SDP offer or fragment, or null. */
  private static String iceUfrag(String sdp) {
    return sdp.lines().filter(line -> line.startsWith("a=ice-ufrag:")).map(line -> line.substring(12).trim())
        .findFirst().orElse(null);
  }

  /** RFC 9725 4.6: one {@code rel="ice-server"} link per TURN URL, with its credentials. */
  static String iceServerLinks(TurnCredentials turn) {
    return String.join(", ", turn.urls().stream()
        .map(url -> "<" + url + ">; rel=\"ice-server\"; username=\"" + turn.username() + "\"; credential=\""
            + turn.credential() + "\"; credential-type=\"password\"")
        .toList());
  }
}
