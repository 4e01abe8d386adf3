package ablak.signaling.identification;

import ablak.cases.Cases;
import ablak.cases.CasesException;
import ablak.cases.lifecycle.CaseView;
import ablak.identification.Actor;
import ablak.identification.CaseFacts;
import ablak.identification.IdentificationException;
import ablak.identification.IdentificationException.Kind;
import ablak.identification.IdentificationView;
import ablak.identification.Identifications;
import ablak.identification.checklist.AbortReason;
import ablak.identification.checklist.FailureReason;
import ablak.identification.checklist.Step;
import ablak.identification.checklist.StillKind;
import ablak.identification.document.DocumentType;
import ablak.identification.quality.VideoQuality;
import ablak.signaling.ClientError;
import ablak.signaling.Json;
import ablak.signaling.auth.Principal;
import ablak.signaling.auth.Role;
import ablak.signaling.call.CallStore;
import ablak.signaling.call.CallStore.Call;
import ablak.signaling.cases.CasePrincipals;
import ablak.signaling.http.RoleGuard;
import ablak.signaling.http.RouteGroup;
import ablak.signaling.protocol.Outbound;
import ablak.signaling.protocol.Push;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The video identification REST API (docs/openapi.yaml, tag identifications). The clerk of a call
 * in progress runs the identification of that call's case; the citizen of that call sees the guide
 * and enters the code with the case token ({@code Case-Token}), and is pushed
 * {@code identification.step} whenever the identification changes; supervisors and auditors read,
 * verify and review. Staff opening evidence (stills, recording) say why in {@code Access-Reason}: it
 * goes to the audit trail.
 */
public final class IdentificationRoutes implements RouteGroup {

  private static final String BASE = "/api/identifications";
  static final String STEP_PUSH = "identification.step";

  private final Identifications identifications;
  private final Cases cases;
  private final CallStore calls;
  private final Push push;
  private final RoleGuard guard;

  public IdentificationRoutes(Identifications identifications, Cases cases, CallStore calls, Push push, RoleGuard guard) {
    this.identifications = identifications;
    this.cases = cases;
    this.calls = calls;
    this.push = push;
    this.guard = guard;
  }

  record Start(String callId, UUID caseId, String documentType) {}

  record Quality(int width, int height, double fps) {
    VideoQuality toVideoQuality() {
      return new VideoQuality(width, height, fps);
    }
  }

  record StepBody(Step step, Quality quality, ObjectNode answers) {}

  record AbortBody(AbortReason reason) {}

  record ResultBody(String result, FailureReason reason) {}

  record ReviewBody(String decision, String note) {}

  record CodeBody(UUID caseId, String code) {}

  /** A document type as the clerk's checklist shows it, in one language. */
  record DocumentTypeView(String id, String name, String mrz, List<Feature> securityFeatures) {
    record Feature(String id, String label) {}
  }

  @Override
  public void mount(Router router) {
    // Fixed paths first: "/reviews" and "/guide" would otherwise be taken for identification ids.
    router.get(BASE + "/document-types").handler(guard.allow(Role.CLERK, Role.SUPERVISOR, Role.AUDITOR))
        .handler(ctx -> respond(ctx, 200, () -> Future.succeededFuture(documentTypes(lang(ctx)))));
    router.get(BASE + "/reviews").handler(guard.allow(Role.SUPERVISOR, Role.AUDITOR)).handler(ctx -> respond(ctx, 200, () ->
        identifications.reviews().pending(actor(ctx), Integer.parseInt(ctx.request().getParam("limit", "50")))));
    router.get(BASE + "/guide").handler(guard.allow(Role.CITIZEN)).handler(ctx -> respond(ctx, 200, () -> {
      UUID caseId = uuid(ctx.request().getParam("caseId"), "caseId");
      return citizenCall(ctx, caseId).compose(call -> identifications.service().guide(call.callId(), caseId));
    }));
    router.post(BASE + "/guide/code").handler(guard.allow(Role.CITIZEN)).handler(ctx -> respond(ctx, 200, () -> {
      CodeBody body = Json.parse(ctx.body().asString(), CodeBody.class);
      if (body.caseId() == null) {
        throw ClientError.invalid("caseId is required");
      }
      return citizenCall(ctx, body.caseId()).compose(call -> identifications.service().confirmCode(call.callId(), body.caseId(), body.code())
          .onComplete(entered -> {
            // A wrong code is refused but counted (and may fail the identification): the guide changed either way.
            if (entered.succeeded() || entered.cause() instanceof IdentificationException refused && refused.kind() == Kind.WRONG_CODE) {
              pushGuide(call, body.caseId());
            }
          }));
    }));

    router.post(BASE).handler(guard.allow(Role.CLERK)).handler(ctx -> respond(ctx, 201, () -> {
      Start body = Json.parse(ctx.body().asString(), Start.class);
      if (body.caseId() == null) {
        throw ClientError.invalid("caseId is required");
      }
      String reason = reason(ctx, "video identification in call " + body.callId());
      // The clerk of this call, on its case; reading the case then gives the names the MRZ must match.
      return clerksCall(ctx, body.callId()).compose(call -> {
        if (!call.caseId().equals(body.caseId())) {
          return Future.failedFuture(ClientError.invalid("caseId is not the case of call " + call.callId()));
        }
        return cases.cases().get(casePrincipal(ctx), body.caseId(), reason).compose(view ->
            identifications.service().open(actor(ctx), call.callId(), body.caseId(), facts(view), body.documentType()))
            .onSuccess(opened -> pushGuide(call, opened.caseId()));
      });
    }));
    router.get(BASE + "/:id").handler(guard.allow(Role.CLERK, Role.SUPERVISOR, Role.AUDITOR))
        .handler(ctx -> respond(ctx, 200, () -> identifications.service().get(actor(ctx), id(ctx))));
    router.post(BASE + "/:id/steps").handler(guard.allow(Role.CLERK)).handler(ctx -> respond(ctx, 200, () -> {
      StepBody body = Json.parse(ctx.body().asString(), StepBody.class);
      return inCall(ctx, () -> identifications.service().completeStep(actor(ctx), id(ctx), body.step(),
          body.quality() == null ? null : body.quality().toVideoQuality(), body.answers()));
    }));
    router.post(BASE + "/:id/stills/:kind").handler(guard.allow(Role.CLERK)).handler(ctx -> respond(ctx, 201, () -> {
      VideoQuality quality = new VideoQuality(intParam(ctx, "width"), intParam(ctx, "height"), doubleParam(ctx, "fps"));
      String contentType = ctx.request().getHeader("Content-Type");
      StillKind kind = StillKind.fromWireName(ctx.pathParam("kind"));
      byte[] image = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      return ownCall(ctx).compose(call -> identifications.service().addStill(actor(ctx), id(ctx), kind,
          contentType == null ? null : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT), image, quality));
    }));
    // Aborting and failing stay possible once the call is over: the citizen may have left.
    router.post(BASE + "/:id/abort").handler(guard.allow(Role.CLERK)).handler(ctx -> respond(ctx, 200, () -> {
      AbortBody body = Json.parse(ctx.body().asString(), AbortBody.class);
      return pushed(identifications.service().abort(actor(ctx), id(ctx), body.reason()));
    }));
    router.post(BASE + "/:id/restart").handler(guard.allow(Role.CLERK)).handler(ctx -> respond(ctx, 200, () ->
        inCall(ctx, () -> identifications.service().restart(actor(ctx), id(ctx)))));
    router.post(BASE + "/:id/result").handler(guard.allow(Role.CLERK)).handler(ctx -> respond(ctx, 200, () -> {
      ResultBody body = Json.parse(ctx.body().asString(), ResultBody.class);
      if (!"verified".equals(body.result()) && !"failed".equals(body.result())) {
        throw ClientError.invalid("result is verified or failed");
      }
      boolean verified = "verified".equals(body.result());
      Supplier<Future<IdentificationView>> finish = () -> identifications.service().finish(actor(ctx), id(ctx), verified, body.reason());
      return verified ? inCall(ctx, finish) : pushed(finish.get());
    }));
    router.get(BASE + "/:id/verification").handler(guard.allow(Role.SUPERVISOR, Role.AUDITOR))
        .handler(ctx -> respond(ctx, 200, () -> identifications.service().verify(actor(ctx), id(ctx))));
    router.post(BASE + "/:id/review").handler(guard.allow(Role.SUPERVISOR, Role.AUDITOR)).handler(ctx -> respond(ctx, 204, () -> {
      ReviewBody body = Json.parse(ctx.body().asString(), ReviewBody.class);
      if (!"confirm".equals(body.decision()) && !"reject".equals(body.decision())) {
        throw ClientError.invalid("decision is confirm or reject");
      }
      return identifications.reviews().decide(actor(ctx), id(ctx), "confirm".equals(body.decision()), body.note());
    }));
    router.get(BASE + "/:id/stills/:kind").handler(guard.allow(Role.CLERK, Role.SUPERVISOR, Role.AUDITOR)).handler(ctx ->
        serve(ctx, () -> identifications.service().still(actor(ctx), id(ctx), StillKind.fromWireName(ctx.pathParam("kind")),
            ctx.request().getHeader("Access-Reason")).map(still -> new Served(still.path(), still.contentType()))));
    router.get(BASE + "/:id/recording/:file").handler(guard.allow(Role.CLERK, Role.SUPERVISOR, Role.AUDITOR)).handler(ctx ->
        serve(ctx, () -> identifications.service().recordingFile(actor(ctx), id(ctx), ctx.pathParam("file"),
            ctx.request().getHeader("Access-Reason")).map(path -> new Served(path, "application/octet-stream"))));
  }

  private List<DocumentTypeView> documentTypes(String lang) {
    return identifications.documents().all().stream().map(type -> new DocumentTypeView(type.id(),
        type.name().getOrDefault(lang, type.name().get("hu")), type.mrz() == null ? null : type.mrz().name(),
        type.securityFeatures().stream().map(feature -> new DocumentTypeView.Feature(feature.id(),
            "en".equals(lang) ? feature.en() : feature.hu())).toList())).toList();
  }

  /**
   * The names on the case: the applicant's, or the first party's (parent, buyer) for case types
   * without an applicant.
   */
  static CaseFacts facts(CaseView view) {
    JsonNode data = view.data();
    JsonNode person = data.has("applicant") ? data.get("applicant") : data;
    if (!person.has("familyName")) {
      for (JsonNode value : data) {
        if (value.isObject() && value.has("familyName")) {
          person = value;
          break;
        }
      }
    }
    return new CaseFacts(view.caseType(), person.path("familyName").asText(""), person.path("givenNames").asText(""));
  }

  /**
   * The call the citizen is in, which must be about this case; the case token must open the case too
   * (the cases module checks it) before its identification is shown.
   */
  private Future<Call> citizenCall(RoutingContext ctx, UUID caseId) {
    String citizen = RoleGuard.principal(ctx).userId();
    return calls.callOf(citizen).compose(callId -> callId == null ? Future.<Call>succeededFuture(null) : calls.get(callId))
        .compose(call -> {
          if (call == null || !call.citizenId().equals(citizen)) {
            return Future.failedFuture(unknownCall("you are not in a call"));
          }
          if (!call.caseId().equals(caseId)) {
            return Future.failedFuture(ClientError.forbidden("this case is not the case of your call"));
          }
          return cases.cases().get(casePrincipal(ctx), caseId, null).map(call);
        });
  }

  /** The call in progress, if this clerk is its clerk. */
  private Future<Call> clerksCall(RoutingContext ctx, String callId) {
    if (callId == null || callId.isBlank()) {
      return Future.failedFuture(ClientError.invalid("callId is required"));
    }
    return calls.get(callId).compose(call -> {
      if (call == null) {
        return Future.failedFuture(unknownCall("no call " + callId + " in progress"));
      }
      if (!call.clerkId().equals(RoleGuard.principal(ctx).userId())) {
        return Future.failedFuture(ClientError.forbidden("only the clerk of call " + callId + " identifies its citizen"));
      }
      return Future.succeededFuture(call);
    });
  }

  /** The call of the identification named in the path, which must still be going on with this clerk in it. */
  private Future<Call> ownCall(RoutingContext ctx) {
    return identifications.service().get(actor(ctx), id(ctx)).compose(identification -> clerksCall(ctx, identification.callId()));
  }

  /** Runs a change of the identification within its call, then tells the citizen. */
  private Future<IdentificationView> inCall(RoutingContext ctx, Supplier<Future<IdentificationView>> change) {
    return ownCall(ctx).compose(call -> change.get().onSuccess(changed -> pushGuide(call, changed.caseId())));
  }

  /** Tells the citizen of the identification's call, if it is still going on. */
  private Future<IdentificationView> pushed(Future<IdentificationView> change) {
    return change.onSuccess(changed -> calls.get(changed.callId()).onSuccess(call -> {
      if (call != null) {
        pushGuide(call, changed.caseId());
      }
    }));
  }

  /**
   * Pushes {@code identification.step} to the call's citizen, on whichever node they are connected:
   * the guide as they may see it, so their screen follows without asking.
   */
  private void pushGuide(Call call, UUID caseId) {
    identifications.service().guide(call.callId(), caseId).onSuccess(guide -> {
      ObjectNode body = Json.MAPPER.valueToTree(guide);
      body.put("callId", call.callId()).put("caseId", caseId.toString());
      push.toUser(call.citizenId(), Outbound.of(STEP_PUSH, body));
    });
  }

  private static ClientError unknownCall(String message) {
    return new ClientError("unknown_call", 404, message);
  }

  private static Actor actor(RoutingContext ctx) {
    Principal principal = RoleGuard.principal(ctx);
    return new Actor(principal.userId(), principal.role().name());
  }

  private static ablak.cases.access.Principal casePrincipal(RoutingContext ctx) {
    return CasePrincipals.of(RoleGuard.principal(ctx), ctx.request().getHeader("Case-Token"), lang(ctx));
  }

  private static String reason(RoutingContext ctx, String otherwise) {
    String reason = ctx.request().getHeader("Access-Reason");
    return reason == null || reason.isBlank() ? otherwise : reason;
  }

  private static String lang(RoutingContext ctx) {
    String lang = ctx.request().getParam("lang");
    return lang != null ? lang : "hu";
  }

  private static UUID id(RoutingContext ctx) {
    return uuid(ctx.pathParam("id"), "the identification id");
  }

  private static UUID uuid(String value, String name) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ClientError.invalid(name + " must be a UUID");
    }
  }

  private static int intParam(RoutingContext ctx, String name) {
    return (int) doubleParam(ctx, name);
  }

  private static double doubleParam(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    try {
      return Double.parseDouble(value);
    } catch (NullPointerException | NumberFormatException e) {
      throw ClientError.invalid("query parameter " + name + " (the received video's measure) must be a number");
    }
  }

  private record Served(Path path, String contentType) {}

  /** Sends an evidence file; it is never cached by the browser or a proxy. */
  private static void serve(RoutingContext ctx, Supplier<Future<Served>> call) {
    run(call).onSuccess(served -> ctx.response().putHeader("Content-Type", served.contentType())
            .putHeader("Cache-Control", "no-store").sendFile(served.path().toString()))
        .onFailure(failure -> fail(ctx, failure));
  }

  private static void respond(RoutingContext ctx, int status, Supplier<Future<?>> call) {
    run(call).onSuccess(value -> {
      if (status == 204) {
        ctx.response().setStatusCode(204).end();
        return;
      }
      try {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.MAPPER.writeValueAsString(value));
      } catch (JsonProcessingException e) {
        ctx.fail(e);
      }
    }).onFailure(failure -> fail(ctx, failure));
  }

  @SuppressWarnings("unchecked")
  private static <T> Future<T> run(Supplier<? extends Future<? extends T>> call) {
    try {
      return (Future<T>) call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Refusals answer with their own code and status; identification refusals add their figures. */
  private static void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof IdentificationException refused) {
      write(ctx, refused.kind().httpStatus, new Refusal(refused.kind().code, refused.getMessage(), refused.details()));
    } else if (failure instanceof CasesException refused) {
      write(ctx, refused.kind().httpStatus, new Refusal(refused.kind().code(), refused.getMessage(), Map.of()));
    } else if (failure instanceof IllegalArgumentException e) {
      ctx.fail(ClientError.invalid(e.getMessage()));
    } else {
      ctx.fail(failure);
    }
  }

  private static void write(RoutingContext ctx, int status, Refusal refusal) {
    try {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.MAPPER.writeValueAsString(refusal));
    } catch (JsonProcessingException e) {
      ctx.fail(e);
    }
  }

  /** The server's error shape ({@code code}, {@code message}) plus the figures behind it. */
  record Refusal(String code, String message, Map<String, Object> details) {}
}
