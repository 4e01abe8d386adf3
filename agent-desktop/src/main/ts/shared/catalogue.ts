// The service catalogue as the cases module publishes it (ablak.cases.catalogue.CatalogueView): life
// events grouping the case types (public services) they need, after EU CPSV-AP, in one language.

import { Rest } from './protocol.js';
import { FormView } from './forms.js';

export interface Document { id: string; name: string }

export interface CaseType {
  id: string;
  identifier: string;
  name: string;
  description: string;
  /** Documents to have at hand (CPSV-AP hasInput). */
  documentsToShow: Document[];
  produces: Document[];
  videoIdentification: boolean;
  skills: string[];
  languages: string[];
  typicalHandlingMinutes: number;
  formVersion: number;
  requiredInputs: string[];
  /** JSON Pointers of the fields the citizen answers before the call. */
  precallInputs: string[];
}

export interface LifeEvent { id: string; name: string; description: string; caseTypes: CaseType[] }

export interface Catalogue { language: string; lifeEvents: LifeEvent[] }

export async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { headers: { Accept: 'application/json', ...headers } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export function loadCatalogue(language: string): Promise<Catalogue> {
  return getJson(`${Rest.catalogue}?lang=${encodeURIComponent(language)}`);
}

/** One version of a case type's form: the catalogue's current one before the call, the case's own during it. */
export function loadForm(caseTypeId: string, version: number, language: string): Promise<FormView> {
  return getJson(`${Rest.form(caseTypeId, version)}?lang=${encodeURIComponent(language)}`);
}

/** Case- and accent-insensitive search over names, descriptions, services and documents. */
export function searchLifeEvents(events: LifeEvent[], query: string): LifeEvent[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return events;
  return events.filter((event) => {
    const haystack = fold([event.name, event.description, ...event.caseTypes.flatMap((c) => [c.name, c.description, ...c.documentsToShow.map((d) => d.name)])].join(' '));
    return words.every((word) => haystack.includes(word));
  });
}
