package ablak.cases.lifecycle;

/**
 * Where a case is in its life: DRAFT (citizen's pre-call answers, then the clerk's edits) ->
 * CONFIRMED (the citizen approved the summary of exactly this version; any edit returns it to
 * DRAFT) -> SUBMITTED (a case number is issued and the outbox delivers it).
 */
public enum CaseStatus { DRAFT, CONFIRMED, SUBMITTED }
