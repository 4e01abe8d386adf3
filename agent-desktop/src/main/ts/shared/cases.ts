// The citizen's side of the cases REST API (docs/openapi-cases.yaml): the draft is started from the
// pre-call answers before joining the queue, and its summary is read when the clerk asks for a
// confirmation. The visit token authenticates; the case token proves the case is this visitor's.

import { Rest } from './protocol.js';
import { getJson } from './catalogue.js';
import { SummaryLine } from './forms.js';

export interface StartedCase { caseId: string; caseToken: string; version: number }

export interface CaseSummary { caseId: string; version: number; status: string; caseTypeName: string; lines: SummaryLine[] }

/** Thrown when the server refuses; code and field errors come from its Problem body. */
export class CaseRefused extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly errors: Array<{ path: string; message: string }> = []) {
    super(message);
    this.name = 'CaseRefused';
  }
}

export async function startCase(visitToken: string, caseType: string, language: string, answers: Record<string, unknown>): Promise<StartedCase> {
  const response = await fetch(Rest.cases, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${visitToken}` },
    body: JSON.stringify({ caseType, language, answers }),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status !== 201) {
    throw new CaseRefused(response.status, String(body.code ?? 'unavailable'), String(body.message ?? response.statusText),
      (body.errors as Array<{ path: string; message: string }>) ?? []);
  }
  const view = body.caseView as { id: string; version: number };
  return { caseId: view.id, caseToken: String(body.citizenToken), version: view.version };
}

export function loadSummary(visitToken: string, started: StartedCase, language: string): Promise<CaseSummary> {
  return getJson(`${Rest.caseSummary(started.caseId)}?lang=${encodeURIComponent(language)}`,
    { Authorization: `Bearer ${visitToken}`, 'Case-Token': started.caseToken });
}
