package ablak.signaling.cases;

import ablak.cases.Cases;
import ablak.cases.CasesException;
import ablak.cases.access.Principal;
import ablak.cases.form.FieldError;
import ablak.cases.lifecycle.CaseChanged;
import ablak.signaling.ClientError;
import ablak.signaling.auth.Role;
import ablak.signaling.protocol.MessageContext;
import ablak.signaling.protocol.MessageGroup;
import ablak.signaling.protocol.MessageRegistry;
import ablak.signaling.protocol.MessageType;
import ablak.signaling.protocol.Outbound;
import ablak.signaling.protocol.Push;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Live case work over the WebSocket (docs/protocol.md, "Cases"): clerk and citizen watch the same
 * case, autosave it, the citizen confirms and the clerk submits. Every change, made on any node,
 * reaches this node through the cases module's change feed (PostgreSQL NOTIFY); each watcher here
 * then gets {@code case.changed} with the case as their own principal may see it.
 */
public final class CaseMessages implements MessageGroup {

  private static final EnumSet<Role> EDITORS = EnumSet.of(Role.CITIZEN, Role.CLERK);
  private static final EnumSet<Role> READERS = EnumSet.of(Role.CITIZEN, Role.CLERK, Role.SUPERVISOR, Role.AUDITOR);

  private final Cases cases;
  private final Push push;
  private final SubmissionCheck submissionCheck;
  /** caseId -> connection id -> who watches it on this node, and the reason they gave. */
  private final Map<UUID, Map<String, Watcher>> watchers = new ConcurrentHashMap<>();

  private record Watcher(Principal principal, String reason) {}

  /** {@code case.watch}: start receiving {@code case.changed} for a case; replies {@code case.state}. */
  public record Watch(String caseId, String caseToken, String lang, String reason) {}

  /** {@code case.save}: autosave the whole form data; replies {@code case.saved}. */
  public record Save(String caseId, String caseToken, String lang, String reason, int expectedVersion, ObjectNode data) {}

  /** {@code case.confirm}: the citizen confirms one version; replies {@code case.confirmed}. */
  public record Confirm(String caseId, String caseToken, String lang, int version) {}

  /** {@code case.submit}: the clerk submits; replies {@code case.submitted}. */
  public record Submit(String caseId, String lang, String reason, String idempotencyKey) {}

  public CaseMessages(Cases cases, Push push, SubmissionCheck submissionCheck) {
    this.cases = cases;
    this.push = push;
    this.submissionCheck = submissionCheck;
    cases.changes().onChange(this::changed);
  }

  @Override
  public void register(MessageRegistry registry) {
    registry.mapError(CasesException.class, CaseMessages::clientError);
    registry.register(MessageType.of("case.watch", READERS, Watch.class, this::watch));
    registry.register(MessageType.of("case.save", EDITORS, Save.class, (context, m) ->
        cases.cases().saveDraft(principal(context, m.caseToken(), m.lang()), caseId(m.caseId()), m.expectedVersion(), m.data(), m.reason())
            .map(view -> Outbound.of("case.saved", view))));
    registry.register(MessageType.of("case.confirm", EnumSet.of(Role.CITIZEN), Confirm.class, (context, m) ->
        cases.cases().confirm(principal(context, m.caseToken(), m.lang()), caseId(m.caseId()), m.version())
            .map(view -> Outbound.of("case.confirmed", view))));
    registry.register(MessageType.of("case.submit", EnumSet.of(Role.CLERK), Submit.class, (context, m) -> {
      Principal clerk = principal(context, null, m.lang());
      UUID id = caseId(m.caseId());
      return submissionCheck.check(clerk, id, m.reason())
          .compose(allowed -> cases.cases().submit(clerk, id, m.idempotencyKey(), m.reason()))
          .map(submission -> Outbound.of("case.submitted", submission));
    }));
  }

  private io.vertx.core.Future<Outbound> watch(MessageContext context, Watch m) {
    Principal principal = principal(context, m.caseToken(), m.lang());
    UUID id = caseId(m.caseId());
    return cases.cases().get(principal, id, m.reason()).map(view -> {
      watchers.computeIfAbsent(id, k -> new ConcurrentHashMap<>())
          .put(context.connection().id(), new Watcher(principal, m.reason()));
      return Outbound.of("case.state", view);
    });
  }

  private void changed(CaseChanged change) {
    Map<String, Watcher> watching = watchers.get(change.caseId());
    if (watching == null) {
      return;
    }
    watching.forEach((connectionId, watcher) -> cases.cases().get(watcher.principal(), change.caseId(), watcher.reason())
        .onSuccess(view -> {
          if (!push.toConnection(connectionId, Outbound.of("case.changed", view))) {
            watching.remove(connectionId);   // the socket is gone from this node
          }
        })
        .onFailure(failure -> watching.remove(connectionId)));
  }

  private static Principal principal(MessageContext context, String caseToken, String lang) {
    return CasePrincipals.of(context.principal(), caseToken, lang);
  }

  private static UUID caseId(String value) {
    try {
      return UUID.fromString(value);
    } catch (RuntimeException e) {
      throw ClientError.invalid("caseId must be a UUID");
    }
  }

  /** A refusal of the cases module as a protocol error; invalid fields are listed in the message. */
  static ClientError clientError(CasesException refused) {
    String message = refused.fieldErrors().isEmpty() ? refused.getMessage()
        : refused.getMessage() + ": " + refused.fieldErrors().stream().map(FieldError::message).collect(Collectors.joining("; "));
    return new ClientError(refused.kind().code(), refused.kind().httpStatus, message);
  }
}
