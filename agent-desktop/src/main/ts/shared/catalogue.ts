// The service catalogue as the citizen app reads it from GET /api/catalogue: life events grouping
// the case types (public services) they need, after EU CPSV-AP (LifeEvent → PublicService).

import { Localized, localized } from './i18n.js';
import { Rest } from './protocol.js';
import { FormDefinition } from './forms.js';

export interface CaseType {
  id: string;
  title: Localized;
  description?: Localized;
  /** Documents the citizen should have at hand (CPSV-AP requires/hasInput). */
  documents?: Localized[];
  videoIdentification?: boolean;
  typicalMinutes?: number;
}

export interface LifeEvent {
  id: string;
  title: Localized;
  description?: Localized;
  keywords?: Localized[];
  caseTypes: CaseType[];
}

export interface Catalogue { lifeEvents: LifeEvent[] }

export async function loadCatalogue(language: string): Promise<Catalogue> {
  const response = await fetch(`${Rest.catalogue}?lang=${encodeURIComponent(language)}`, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`catalogue: HTTP ${response.status}`);
  return (await response.json()) as Catalogue;
}

export async function loadForm(caseTypeId: string): Promise<FormDefinition> {
  const response = await fetch(Rest.caseTypeForm(caseTypeId), { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`form: HTTP ${response.status}`);
  return (await response.json()) as FormDefinition;
}

/** Case- and accent-insensitive search over titles, descriptions, keywords and services. */
export function searchLifeEvents(events: LifeEvent[], query: string): LifeEvent[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return events;
  return events.filter((event) => {
    const haystack = fold([event.title, event.description, ...(event.keywords ?? []), ...event.caseTypes.flatMap((c) => [c.title, c.description])]
      .map((v) => localized(v)).join(' '));
    return words.every((word) => haystack.includes(word));
  });
}
