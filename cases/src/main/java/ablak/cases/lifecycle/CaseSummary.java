package ablak.cases.lifecycle;

import ablak.cases.form.SummaryLine;

import java.util.List;
import java.util.UUID;

/** What the citizen reads before confirming: the case type's name and every visible answer, labelled. */
public record CaseSummary(UUID caseId, int version, CaseStatus status, String caseTypeName, List<SummaryLine> lines) {
}
