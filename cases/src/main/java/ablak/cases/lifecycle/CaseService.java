package ablak.cases.lifecycle;

import ablak.cases.CasesException;
import ablak.cases.CasesException.Kind;
import ablak.cases.CasesSettings;
import ablak.cases.access.CaseAccess;
import ablak.cases.access.CaseAccess.Operation;
import ablak.cases.access.Principal;
import ablak.cases.access.Role;
import ablak.cases.audit.AuditEntry;
import ablak.cases.audit.AuditTrail;
import ablak.cases.catalogue.Catalogue;
import ablak.cases.catalogue.CaseType;
import ablak.cases.form.FieldError;
import ablak.cases.form.FormDefinition;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The case lifecycle: a citizen's pre-call answers start a draft; the clerk who takes the call
 * completes it (autosaved with optimistic versioning: an edit names the version it started from and
 * is refused if someone else saved first); the citizen confirms the summary of one exact version;
 * the clerk submits, which issues the case number and writes the outbox row in the same transaction.
 * Every operation is checked by {@link CaseAccess}, recorded in the {@link AuditTrail} in the same
 * transaction, and published to {@link CaseChanges}.
 */
public final class CaseService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String COLUMNS = """
            c.id, c.case_type, c.form_version, c.language, c.status, c.version, c.data::text as data_text,
            c.confirmed_version, c.case_number, c.submit_key, c.delivery_status, c.delivery_attempts,
            c.delivery_problem, c.back_office_reference, c.created_at, c.updated_at, c.submitted_at""";

    private static final String SELECT_WITH_FACTS = "select " + COLUMNS + """
            , c.citizen_token_hash,
              array(select h.clerk_id from cases.case_handler h where h.case_id = c.id) as handlers,
              array(select h.team_id from cases.case_handler h where h.case_id = c.id) as teams
            from cases.case_file c where c.id = $1""";

    private static final String RETURNING_COLUMNS = " returning " + COLUMNS.replace("c.", "u.");
    private static final String RETURNING = RETURNING_COLUMNS + ", " + CaseChanges.notifyExpression("$%d");

    // The case row is locked as by any change, so changes of one case still take turns.
    private static final String ASSIGN = """
            handler as (
                insert into cases.case_handler (case_id, clerk_id, team_id, since)
                select id, $2, $3, now() from cases.case_file where id = $1
                on conflict do nothing),
            change as (
                select %s, %s
                  from cases.case_file u where u.id = $1 for update)""".formatted(COLUMNS.replace("c.", "u."),
            CaseChanges.notifyExpression("$4"));

    private final Pool pool;
    private final Catalogue catalogue;
    private final AuditTrail audit;
    private final CasesSettings settings;
    private final Runnable onSubmitted;
    private final Counter draftsSaved;
    private final Counter versionConflicts;
    private final Counter submitted;

    /**
     * @param onSubmitted called after a submission commits (wakes the local relay so delivery does
     *                    not wait for the next poll)
     */
    public CaseService(Pool pool, Catalogue catalogue, AuditTrail audit, CasesSettings settings,
                       MeterRegistry meters, Runnable onSubmitted) {
        this.pool = pool;
        this.catalogue = catalogue;
        this.audit = audit;
        this.settings = settings;
        this.onSubmitted = onSubmitted;
        this.draftsSaved = meters.counter("ablak.cases.drafts.saved");
        this.versionConflicts = meters.counter("ablak.cases.drafts.conflicts");
        this.submitted = meters.counter("ablak.cases.submitted");
    }

    /**
     * Starts a draft from the citizen's pre-call answers. Answers may be incomplete but must not be
     * wrong: each given answer is validated against the case type's current form.
     */
    public Future<DraftStarted> startDraft(String caseTypeId, String language, ObjectNode answers) {
        FormDefinition form;
        try {
            catalogue.requireLanguage(language);
            form = catalogue.caseType(caseTypeId).currentForm();
            requireValid(form, answers, language, FormDefinition.Mode.DRAFT);
        } catch (CasesException refused) {
            return Future.failedFuture(refused);
        }
        String token = newToken();
        UUID id = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // No NOTIFY: nobody can watch a case before this returns its id, and PostgreSQL serializes the commits
        // of notifying transactions, which at a burst of citizens would queue every new draft behind one fsync each.
        // One statement with its audit row rather than a transaction: one round trip instead of four (BEGIN, two
        // inserts, COMMIT), so a burst of drafts holds each pool connection for a fraction of the time.
        return audit.appendWith(pool, """
                        change as (
                            insert into cases.case_file as u (id, case_type, form_version, language, status, data, version,
                                                              citizen_token_hash, created_at, updated_at)
                            values ($1, $2, $3, $4, 'DRAFT', $5::text::jsonb, 1, $6, $7, $7)""" + RETURNING_COLUMNS + ")",
                        Tuple.of(id, caseTypeId, form.version(), language, json(answers), CaseAccess.tokenHash(token), now),
                        new AuditEntry("citizen", Role.CITIZEN.name(), "case.draft.start", "case", id.toString(),
                                "citizen self-service", "version=1"))
                .map(rows -> new DraftStarted(view(rows.iterator().next()), token));
    }

    /**
     * Makes {@code clerk} a handler of the case: the server calls this when the clerk accepts the call.
     * One statement (lock, handler row, notification, audit event) rather than a transaction of six round
     * trips: every accepted call waits for it.
     */
    public Future<CaseView> assignClerk(UUID caseId, Principal clerk, String reason) {
        if (clerk.role() != Role.CLERK) {
            return Future.failedFuture(new CasesException(Kind.FORBIDDEN, "only a clerk can be assigned to a case"));
        }
        return requireReason(clerk, reason).compose(v -> audit.appendWith(pool, ASSIGN,
                        Tuple.of(caseId, clerk.id(), clerk.team(), "clerk-assigned"), entry(clerk, "case.assign", caseId, reason, "")))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new CasesException(Kind.CASE_NOT_FOUND, "no case " + caseId);
                    }
                    return view(rows.iterator().next());
                });
    }

    public Future<CaseView> get(Principal who, UUID caseId, String reason) {
        if (!who.isStaff()) {
            // A citizen's read is not audited: one statement, without the two round trips of BEGIN and COMMIT
            // (every queue.join reads the citizen's case).
            return pool.withConnection(connection -> read(connection, caseId)).map(current -> {
                CaseAccess.require(who, Operation.READ, current.facts());
                return current.view();
            });
        }
        return requireReason(who, reason).compose(v ->
                pool.withTransaction(connection -> read(connection, caseId)
                        .compose(current -> {
                            CaseAccess.require(who, Operation.READ, current.facts());
                            return auditIfStaff(connection, who, "case.read", caseId, reason, "version=" + current.view().version())
                                    .map(current.view());
                        })));
    }

    /** The cases {@code who} may see, newest first; optionally only those in {@code status}. */
    public Future<List<CaseView>> list(Principal who, CaseStatus status, int limit, String reason) {
        return requireReason(who, reason).compose(v -> {
            CaseAccess.ListCondition condition = CaseAccess.listCondition(who);
            Tuple parameters = condition.parameters();
            String sql = "select " + COLUMNS + " from cases.case_file c where " + condition.sql();
            if (status != null) {
                parameters.addValue(status.name());
                sql += " and c.status = $" + parameters.size();
            }
            parameters.addValue(Math.max(1, Math.min(limit, 500)));
            sql += " order by c.updated_at desc limit $" + parameters.size();
            String query = sql;
            return pool.withTransaction(connection -> connection.preparedQuery(query).execute(parameters)
                    .compose(rows -> {
                        List<CaseView> cases = new ArrayList<>();
                        rows.forEach(row -> cases.add(view(row)));
                        if (!who.isStaff() || cases.isEmpty()) {
                            return Future.succeededFuture(cases);
                        }
                        String ids = cases.stream().map(c -> c.id().toString()).collect(Collectors.joining(","));
                        return audit.append(connection, new AuditEntry(who.id(), who.role().name(), "case.list", "case",
                                "*", reason, ids)).map(cases);
                    }));
        });
    }

    /**
     * Autosaves the whole form data. Refused with {@link Kind#VERSION_CONFLICT} when the case moved
     * past {@code expectedVersion}; the caller reloads and reapplies. Editing a confirmed case
     * returns it to DRAFT: the citizen must confirm again.
     */
    public Future<CaseView> saveDraft(Principal who, UUID caseId, int expectedVersion, ObjectNode data, String reason) {
        return requireReason(who, reason).compose(v ->
                pool.withTransaction(connection -> lock(connection, caseId).compose(current -> {
                    CaseAccess.require(who, Operation.EDIT, current.facts());
                    CaseView view = current.view();
                    if (view.status() == CaseStatus.SUBMITTED) {
                        throw new CasesException(Kind.WRONG_STATE, "case " + view.caseNumber() + " is already submitted");
                    }
                    requireVersion(view, expectedVersion);
                    FormDefinition form = catalogue.form(view.caseType(), view.formVersion());
                    requireValid(form, data, who.language(), FormDefinition.Mode.DRAFT);
                    return connection.preparedQuery("""
                                    update cases.case_file u set data = $2::text::jsonb, version = version + 1, status = 'DRAFT',
                                           confirmed_version = null, updated_at = now()
                                    where u.id = $1""" + RETURNING.formatted(3))
                            .execute(Tuple.of(caseId, json(data), "draft-saved"))
                            .compose(rows -> audit.append(connection, entry(who, "case.draft.save", caseId,
                                            reason, "version=" + (expectedVersion + 1)))
                                    .map(x -> {
                                        draftsSaved.increment();
                                        return view(rows.iterator().next());
                                    }));
                })));
    }

    /** The labelled answers the citizen reviews before confirming, in the caller's language. */
    public Future<CaseSummary> summary(Principal who, UUID caseId, String reason) {
        return get(who, caseId, reason).map(view -> {
            FormDefinition form = catalogue.form(view.caseType(), view.formVersion());
            String name = catalogue.texts().get(catalogue.requireLanguage(who.language()))
                    .caseTypes().get(view.caseType()).name();
            return new CaseSummary(view.id(), view.version(), view.status(), name, form.summary(view.data(), who.language()));
        });
    }

    /**
     * The citizen confirms the summary of {@code version}. The case must be complete and valid
     * against its form; every error is reported at once.
     */
    public Future<CaseView> confirm(Principal citizen, UUID caseId, int version) {
        return pool.withTransaction(connection -> lock(connection, caseId).compose(current -> {
            CaseAccess.require(citizen, Operation.CONFIRM, current.facts());
            CaseView view = current.view();
            if (view.status() != CaseStatus.DRAFT) {
                throw new CasesException(Kind.WRONG_STATE, "only a draft can be confirmed; the case is " + view.status());
            }
            requireVersion(view, version);
            requireValid(catalogue.form(view.caseType(), view.formVersion()), view.data(), citizen.language(),
                    FormDefinition.Mode.COMPLETE);
            return connection.preparedQuery("""
                            update cases.case_file u set status = 'CONFIRMED', version = version + 1,
                                   confirmed_version = version + 1, updated_at = now()
                            where u.id = $1""" + RETURNING.formatted(2))
                    .execute(Tuple.of(caseId, "confirmed"))
                    .compose(rows -> audit.append(connection, entry(citizen, "case.confirm", caseId,
                                    "citizen self-service", "version=" + (version + 1)))
                            .map(x -> view(rows.iterator().next())));
        }));
    }

    /**
     * Submits a confirmed case: issues its case number and queues it for the back office in one
     * transaction. Repeating a submit with the same {@code idempotencyKey} returns the first
     * result ({@code replayed}); a second submit with another key is refused.
     */
    public Future<Submission> submit(Principal clerk, UUID caseId, String idempotencyKey, String reason) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
            return Future.failedFuture(new CasesException(Kind.INVALID_FORM_DATA,
                    "an idempotency key of 1 to 200 characters is required"));
        }
        return requireReason(clerk, reason).compose(v -> pool.withTransaction(connection -> lock(connection, caseId).compose(current -> {
            CaseAccess.require(clerk, Operation.SUBMIT, current.facts());
            CaseView view = current.view();
            if (view.status() == CaseStatus.SUBMITTED) {
                if (idempotencyKey.equals(current.submitKey())) {
                    return Future.succeededFuture(new Submission(view, true));
                }
                throw new CasesException(Kind.ALREADY_SUBMITTED, "case was already submitted as " + view.caseNumber());
            }
            if (view.status() != CaseStatus.CONFIRMED) {
                throw new CasesException(Kind.WRONG_STATE, "the citizen has not confirmed this version of the case");
            }
            CaseType type = catalogue.caseType(view.caseType());
            FormDefinition form = catalogue.form(view.caseType(), view.formVersion());
            requireValid(form, view.data(), clerk.language(), FormDefinition.Mode.COMPLETE);
            return connection.query("select nextval('cases.case_number_seq') as n").execute()
                    .compose(n -> {
                        Instant now = Instant.now();
                        String caseNumber = String.format("%s-%d-%07d", settings.caseNumberPrefix(),
                                now.atOffset(ZoneOffset.UTC).getYear(), n.iterator().next().getLong("n"));
                        return connection.preparedQuery("""
                                        with u as (
                                            update cases.case_file set status = 'SUBMITTED', case_number = $2, submit_key = $3,
                                                   submitted_at = $4, updated_at = $4, delivery_status = 'PENDING'
                                            where id = $1 returning *),
                                        o as (
                                            insert into cases.outbox (case_id, destination, idempotency_key, payload, status,
                                                                      next_attempt_at, created_at)
                                            select u.id, $5, u.id::text, $6::text::jsonb, 'PENDING', $4, $4 from u)
                                        select""" + " " + COLUMNS.replace("c.", "u.") + ", "
                                        + CaseChanges.notifyExpression("$7") + " from u")
                                .execute(Tuple.of(caseId, caseNumber, idempotencyKey, now.atOffset(ZoneOffset.UTC),
                                        type.backOffice(), json(submissionPayload(type, view, caseNumber, now)), "submitted"));
                    })
                    .compose(rows -> {
                        CaseView submittedView = view(rows.iterator().next());
                        return audit.append(connection, entry(clerk, "case.submit", caseId, reason,
                                        "caseNumber=" + submittedView.caseNumber()))
                                .map(x -> new Submission(submittedView, false));
                    });
        }))).recover(CaseService::translateUniqueViolation).onSuccess(s -> {
            if (!s.replayed()) {
                submitted.increment();
                onSubmitted.run();
            }
        });
    }

    /** What the back office receives, modelled on a FIT-Connect submission: metadata plus the validated data. */
    private static ObjectNode submissionPayload(CaseType type, CaseView view, String caseNumber, Instant at) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("submissionId", view.id().toString());
        payload.put("caseNumber", caseNumber);
        payload.put("caseType", type.id());
        payload.put("serviceIdentifier", type.identifier());
        payload.put("formVersion", view.formVersion());
        payload.put("language", view.language());
        payload.put("submittedAt", at.toString());
        payload.set("data", view.data());
        return payload;
    }

    private static <T> Future<T> translateUniqueViolation(Throwable failure) {
        if (failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && String.valueOf(pg.getConstraint()).contains("submit_key")) {
            return Future.failedFuture(new CasesException(Kind.IDEMPOTENCY_KEY_REUSED,
                    "this idempotency key was already used to submit another case"));
        }
        return Future.failedFuture(failure);
    }

    /** A case row with what access decisions need. */
    private record Loaded(CaseView view, String submitKey, CaseAccess.Facts facts) {
    }

    /** Loads a case to change it: the row stays locked until the transaction ends, so changes queue up. */
    private Future<Loaded> lock(SqlConnection connection, UUID caseId) {
        return load(connection, SELECT_WITH_FACTS + " for update of c", caseId);
    }

    /** Loads a case to read it, without waiting for writers. */
    private Future<Loaded> read(SqlConnection connection, UUID caseId) {
        return load(connection, SELECT_WITH_FACTS, caseId);
    }

    private Future<Loaded> load(SqlConnection connection, String sql, UUID caseId) {
        return connection.preparedQuery(sql).execute(Tuple.of(caseId)).map(rows -> {
            if (rows.size() == 0) {
                throw new CasesException(Kind.CASE_NOT_FOUND, "no case " + caseId);
            }
            Row row = rows.iterator().next();
            return new Loaded(view(row), row.getString("submit_key"), new CaseAccess.Facts(
                    row.getString("citizen_token_hash"), Set.of(row.getArrayOfStrings("handlers")),
                    Set.of(row.getArrayOfStrings("teams"))));
        });
    }

    private void requireVersion(CaseView view, int expectedVersion) {
        if (view.version() != expectedVersion) {
            versionConflicts.increment();
            throw new CasesException(Kind.VERSION_CONFLICT, "the case is at version " + view.version()
                    + ", not " + expectedVersion + ": reload it and apply the change again");
        }
    }

    private void requireValid(FormDefinition form, ObjectNode data, String language, FormDefinition.Mode mode) {
        catalogue.requireLanguage(language);
        if (data == null) {
            throw new CasesException(Kind.INVALID_FORM_DATA, "form data must be a JSON object");
        }
        List<FieldError> errors = form.validate(data, language, mode);
        if (!errors.isEmpty()) {
            throw new CasesException(Kind.INVALID_FORM_DATA, errors.size() + " field(s) are not valid for "
                    + form.caseType() + " v" + form.version(), errors);
        }
    }

    private static Future<Void> requireReason(Principal who, String reason) {
        if (who.isStaff() && (reason == null || reason.isBlank())) {
            return Future.failedFuture(new CasesException(Kind.REASON_REQUIRED, "staff must state why they access a case"));
        }
        return Future.succeededFuture();
    }

    private Future<Void> auditIfStaff(SqlConnection connection, Principal who, String action, UUID caseId,
                                      String reason, String detail) {
        return who.isStaff() ? audit.append(connection, entry(who, action, caseId, reason, detail)) : Future.succeededFuture();
    }

    private static AuditEntry entry(Principal who, String action, UUID caseId, String reason, String detail) {
        return new AuditEntry(who.id(), who.role().name(), action, "case", caseId.toString(),
                reason == null ? "citizen self-service" : reason, detail);
    }

    static CaseView view(Row row) {
        String delivery = row.getString("delivery_status");
        return new CaseView(row.getUUID("id"), row.getString("case_type"), row.getInteger("form_version"),
                row.getString("language"), CaseStatus.valueOf(row.getString("status")), row.getInteger("version"),
                parse(row.getString("data_text")), row.getInteger("confirmed_version"), row.getString("case_number"),
                delivery == null ? null : new CaseView.Delivery(DeliveryStatus.valueOf(delivery),
                        row.getInteger("delivery_attempts"), row.getString("back_office_reference"),
                        row.getString("delivery_problem")),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("updated_at")),
                instant(row.getOffsetDateTime("submitted_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static ObjectNode parse(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored case data is not JSON", e);
        }
    }

    /** Sent as text and cast in SQL: the client would encode a String bound to jsonb as a JSON string. */
    private static String json(ObjectNode node) {
        return node.toString();
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
