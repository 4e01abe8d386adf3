package ablak.signaling.identification;

import ablak.cases.Cases;
import ablak.cases.CasesException;
import ablak.cases.lifecycle.CaseView;
import ablak.identification.Actor;
import ablak.identification.CaseFacts;
import ablak.identification.IdentificationException;
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
import ablak.signaling.cases.CasePrincipals;
import ablak.signaling.http.RoleGuard;
import ablak.signaling.http.RouteGroup;
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
 * The video identification REST API (docs/openapi.yaml, tag identifications). The clerk who handles
 * a case runs its identification; the citizen of the visit sees the guide and enters the code with
 * the case token ({@code Case-Token}); supervisors and auditors read, verify and review. Staff
 * opening evidence (stills, recording) say why in {@code Access-Reason}: it goes to the audit trail.
 */
public final class IdentificationRoutes implements RouteGroup {

  private static final String BASE = "/api/identifications";
  private static final String VISIT_PREFIX = "visit:";

  private final Identifications identifications;
  private final Cases cases;
  private final RoleGuard guard;

  public IdentificationRoutes(Identifications identifications, Cases cases, RoleGuard guard) {
    this.identifications = identifications;
    this.cases = cases;
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
      return ownCase(ctx, caseId).compose(v -> identifications.service().guide(visitCall(ctx), caseId));
    }));
    router.post(BASE + "/guide/code").handler(guard.allow(Role.CITIZEN)).handler(ctx -> respond(ctx, 200, () -> {
      CodeBody body = Json.parse(ctx.body().asString(), CodeBody.class);
      if (body.caseId() == null) {
        throw ClientError.invalid("caseId is required");
      }
      return ownCase(ctx, body.caseId()).compose(v -> identifications.service().confirmCode(visitCall(ctx), body.caseId(), body.code()));
    }));

    router.post(BASE).handler(guard.allow(Role.CLERK)).handler(ctx -> respond(ctx, 201, () -> {
      Start body = Json.parse(ctx.body().asString(), Start.class);
      if (body.caseId() == null) {
        throw ClientError.invalid("caseId is required");
      }
      String reason = reason(ctx, "video identification in call " + body.callId());
      // Reading the case checks that this clerk handles it, and gives the names the MRZ must match.
      return cases.cases().get(casePrincipal(ctx), body.caseId(), reason).compose(view ->
          identifications.service().open(actor(ctx), body.callId(), body.caseId(), facts(view), body.documentType()));
    }));
    router.get(BASE + "/:id").handler(guard.allow(Role.CLERK, Role.SUPERVISOR, Role.AUDITOR))
        .handler(ctx -> respond(ctx, 200, () -> identifications.service().get(actor(ctx), id(ctx))));
    router.post(BASE + "/:id/steps").handler(guard.allow(Role.CLERK)).handler(ctx -> respond(ctx, 200, () -> {
      StepBody body = Json.parse(ctx.body().asString(), StepBody.class);
      return identifications.service().completeStep(actor(ctx), id(ctx), body.step(),
          body.quality() == null ? null : body.quality().toVideoQuality(), body.answers());
    }));
    router.post(BASE + "/:id/stills/:kind").handler(guard.allow(Role.CLERK)).handler(ctx -> respond(ctx, 201, () -> {
      VideoQuality quality = new VideoQuality(intParam(ctx, "width"), intParam(ctx, "height"), doubleParam(ctx, "fps"));
      String contentType = ctx.request().getHeader("Content-Type");
      return identifications.service().addStill(actor(ctx), id(ctx), StillKind.fromWireName(ctx.pathParam("kind")),
          contentType == null ? null : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT),
          ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(), quality);
    }));
    router.post(BASE + "/:id/abort").handler(guard.allow(Role.CLERK)).handler(ctx -> respond(ctx, 200, () ->
        identifications.service().abort(actor(ctx), id(ctx), Json.parse(ctx.body().asString(), AbortBody.class).reason())));
    router.post(BASE + "/:id/restart").handler(guard.allow(Role.CLERK)).handler(ctx -> respond(ctx, 200, () ->
        identifications.service().restart(actor(ctx), id(ctx))));
    router.post(BASE + "/:id/result").handler(guard.allow(Role.CLERK)).handler(ctx -> respond(ctx, 200, () -> {
      ResultBody body = Json.parse(ctx.body().asString(), ResultBody.class);
      if (!"verified".equals(body.result()) && !"failed".equals(body.result())) {
        throw ClientError.invalid("result is verified or failed");
      }
      return identifications.service().finish(actor(ctx), id(ctx), "verified".equals(body.result()), body.reason());
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

  /** A citizen's case token must open the case (the cases module checks it) before its identification is shown. */
  private Future<Void> ownCase(RoutingContext ctx, UUID caseId) {
    return cases.cases().get(casePrincipal(ctx), caseId, null).mapEmpty();
  }

  private static String visitCall(RoutingContext ctx) {
    String userId = RoleGuard.principal(ctx).userId();
    if (!userId.startsWith(VISIT_PREFIX)) {
      throw ClientError.forbidden("a citizen takes part through their visit");
    }
    return userId.substring(VISIT_PREFIX.length());
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
