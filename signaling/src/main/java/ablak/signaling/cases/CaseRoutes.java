package ablak.signaling.cases;

import ablak.cases.Cases;
import ablak.cases.CasesException;
import ablak.cases.access.Principal;
import ablak.cases.audit.AuditEntry;
import ablak.cases.lifecycle.CaseStatus;
import ablak.signaling.ClientError;
import ablak.signaling.Json;
import ablak.signaling.auth.Role;
import ablak.signaling.http.RoleGuard;
import ablak.signaling.http.RouteGroup;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The cases REST API (docs/openapi.yaml, tag cases): each route is one call of the cases module.
 * Staff state why they open a case in the {@code Access-Reason} header (it goes to the audit
 * trail); a citizen sends the case token in {@code Case-Token}. Refusals of the cases module are
 * answered with their own code and status, and invalid form data with every field error.
 */
public final class CaseRoutes implements RouteGroup {

  /** The kinds of subject whose history an auditor may read: what the audit trail records. */
  private static final List<String> AUDIT_SUBJECTS = List.of("case", "call", "identification", "recording", "staff");

  private final Cases cases;
  private final RoleGuard guard;
  private final SubmissionCheck submissionCheck;

  public CaseRoutes(Cases cases, RoleGuard guard, SubmissionCheck submissionCheck) {
    this.cases = cases;
    this.guard = guard;
    this.submissionCheck = submissionCheck;
  }

  /** Body of {@code POST /api/cases}. */
  record NewDraft(String caseType, String language, ObjectNode answers) {}

  /** Body of {@code PUT /api/cases/{id}/data}. */
  record DraftData(int expectedVersion, ObjectNode data) {}

  /** Body of {@code POST /api/cases/{id}/confirmation}. */
  record Confirmation(int version) {}

  @Override
  public void mount(Router router) {
    router.get("/api/catalogue").handler(ctx -> respond(ctx, 200, () -> Future.succeededFuture(cases.catalogue().view(lang(ctx)))));
    router.get("/api/forms/:caseType/:version").handler(ctx -> respond(ctx, 200, () -> Future.succeededFuture(
        cases.catalogue().formView(ctx.pathParam("caseType"), version(ctx), lang(ctx)))));

    // A citizen starts a draft from the pre-call answers; a clerk starting one during a call
    // becomes its handler. Citizen drafts get their clerk when the call is taken.
    router.post("/api/cases").handler(guard.allow(Role.CITIZEN, Role.CLERK)).handler(ctx -> respond(ctx, 201, () -> {
      NewDraft body = Json.parse(ctx.body().asString(), NewDraft.class);
      boolean byClerk = RoleGuard.principal(ctx).role() == Role.CLERK;
      return cases.cases().startDraft(body.caseType(), body.language(), body.answers())
          .compose(draft -> !byClerk ? Future.succeededFuture(draft)
              : cases.cases().assignClerk(draft.caseView().id(), principal(ctx), "case opened by the clerk").map(draft));
    }));
    router.get("/api/cases").handler(guard.allow(Role.CITIZEN, Role.CLERK, Role.SUPERVISOR, Role.AUDITOR)).handler(ctx -> respond(ctx, 200, () -> {
      String status = ctx.request().getParam("status");
      int limit = Integer.parseInt(ctx.request().getParam("limit", "50"));
      return cases.cases().list(principal(ctx), status == null ? null : CaseStatus.valueOf(status), limit, reason(ctx));
    }));
    router.get("/api/cases/:caseId").handler(guard.allow(Role.CITIZEN, Role.CLERK, Role.SUPERVISOR, Role.AUDITOR))
        .handler(ctx -> respond(ctx, 200, () -> cases.cases().get(principal(ctx), caseId(ctx), reason(ctx))));
    router.put("/api/cases/:caseId/data").handler(guard.allow(Role.CITIZEN, Role.CLERK)).handler(ctx -> respond(ctx, 200, () -> {
      DraftData body = Json.parse(ctx.body().asString(), DraftData.class);
      return cases.cases().saveDraft(principal(ctx), caseId(ctx), body.expectedVersion(), body.data(), reason(ctx));
    }));
    router.get("/api/cases/:caseId/summary").handler(guard.allow(Role.CITIZEN, Role.CLERK, Role.SUPERVISOR, Role.AUDITOR))
        .handler(ctx -> respond(ctx, 200, () -> cases.cases().summary(principal(ctx), caseId(ctx), reason(ctx))));
    router.post("/api/cases/:caseId/confirmation").handler(guard.allow(Role.CITIZEN)).handler(ctx -> respond(ctx, 200, () -> {
      Confirmation body = Json.parse(ctx.body().asString(), Confirmation.class);
      return cases.cases().confirm(principal(ctx), caseId(ctx), body.version());
    }));
    router.post("/api/cases/:caseId/submission").handler(guard.allow(Role.CLERK)).handler(ctx ->
        respond(ctx, 200, () -> submissionCheck.check(principal(ctx), caseId(ctx), reason(ctx)).compose(allowed ->
            cases.cases().submit(principal(ctx), caseId(ctx), ctx.request().getHeader("Idempotency-Key"), reason(ctx)))));
    router.get("/api/dead-letters").handler(guard.allow(Role.ADMIN)).handler(ctx ->
        respond(ctx, 200, () -> cases.deadLetters().list(principal(ctx), Integer.parseInt(ctx.request().getParam("limit", "100")))));
    router.post("/api/dead-letters/:outboxId/replay").handler(guard.allow(Role.ADMIN)).handler(ctx ->
        respond(ctx, 204, () -> cases.deadLetters().replay(principal(ctx), Long.parseLong(ctx.pathParam("outboxId")), reason(ctx))));
    router.get("/api/audit/verification").handler(guard.allow(Role.AUDITOR)).handler(ctx ->
        respond(ctx, 200, () -> cases.audit().verify()));
    router.get("/api/audit/events").handler(guard.allow(Role.AUDITOR)).handler(ctx -> respond(ctx, 200, () -> {
      String kind = ctx.request().getParam("subjectKind");
      String id = ctx.request().getParam("subjectId");
      if (kind == null || !AUDIT_SUBJECTS.contains(kind) || id == null || id.isBlank() || id.length() > 100) {
        throw ClientError.invalid("subjectKind (one of " + AUDIT_SUBJECTS + ") and subjectId (1-100 characters) are required");
      }
      // Reading the trail is itself on the trail: the auditors are audited too.
      String auditor = RoleGuard.principal(ctx).userId();
      return cases.audit().append(new AuditEntry(auditor, "AUDITOR", "audit.read", kind, id, reason(ctx) == null ? "" : reason(ctx), ""))
          .compose(logged -> cases.audit().forSubject(kind, id));
    }));
  }

  private static Principal principal(RoutingContext ctx) {
    return CasePrincipals.of(RoleGuard.principal(ctx), ctx.request().getHeader("Case-Token"), lang(ctx));
  }

  private static String lang(RoutingContext ctx) {
    String lang = ctx.request().getParam("lang");
    return lang != null ? lang : "hu";
  }

  private static String reason(RoutingContext ctx) {
    return ctx.request().getHeader("Access-Reason");
  }

  private static UUID caseId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("caseId"));
    } catch (IllegalArgumentException e) {
      throw ClientError.invalid("caseId must be a UUID");
    }
  }

  private static int version(RoutingContext ctx) {
    try {
      return Integer.parseInt(ctx.pathParam("version"));
    } catch (NumberFormatException e) {
      throw ClientError.invalid("version must be a number");
    }
  }

  /** Writes the result as JSON, or a refusal with its code, status and field errors. */
  private static void respond(RoutingContext ctx, int status, Supplier<Future<?>> call) {
    Future<?> result;
    try {
      result = call.get();
    } catch (CasesException refused) {
      result = Future.failedFuture(refused);
    } catch (NumberFormatException e) {
      throw ClientError.invalid("a number was expected: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ClientError.invalid(e.getMessage());
    }
    result.onSuccess(value -> {
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
    }).onFailure(failure -> {
      if (failure instanceof CasesException refused) {
        try {
          ctx.response().setStatusCode(refused.kind().httpStatus).putHeader("Content-Type", "application/json")
              .end(Json.MAPPER.writeValueAsString(new Refusal(refused.kind().code(), refused.getMessage(), refused.fieldErrors())));
        } catch (JsonProcessingException e) {
          ctx.fail(e);
        }
      } else {
        ctx.fail(failure);
      }
    });
  }

  /** The server's error shape ({@code code}, {@code message}) plus every invalid field. */
  record Refusal(String code, String message, java.util.List<ablak.cases.form.FieldError> errors) {}
}
