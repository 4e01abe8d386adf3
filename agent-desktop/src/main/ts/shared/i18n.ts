// Translations: one JSON file per language under shared/i18n/, listed by the build in index.json.
// Static texts carry data-i18n="key" (and data-i18n-attr="aria-label:key;placeholder:key" for
// attributes); dynamic texts call t(). Catalogue and form texts arrive from the server either as
// plain strings (already in the asked language) or as maps by language code, read with localized().

export interface Language { code: string; name: string; dir: 'ltr' | 'rtl' }
export type Localized = string | Record<string, string> | undefined | null;

const STORAGE_KEY = 'ablak.language';
const FALLBACK = 'en';
const base = new URL('./i18n/', import.meta.url);

let languages: Language[] = [];
let table: Record<string, string> = {};
let current = FALLBACK;
const listeners = new Set<(code: string) => void>();

export async function loadLanguages(): Promise<Language[]> {
  if (languages.length === 0) {
    const response = await fetch(new URL('index.json', base));
    languages = (await response.json()) as Language[];
  }
  return languages;
}

/** Loads the remembered language, else the browser's first supported one, else Hungarian. */
export async function initI18n(preferred?: string | null): Promise<string> {
  const available = await loadLanguages();
  const codes = available.map((l) => l.code);
  const candidates = [preferred, localStorage.getItem(STORAGE_KEY), ...navigator.languages.map((l) => l.slice(0, 2)), 'hu'];
  const chosen = candidates.find((c): c is string => !!c && codes.includes(c)) ?? FALLBACK;
  await setLanguage(chosen, false);
  return chosen;
}

export async function setLanguage(code: string, remember = true): Promise<void> {
  const response = await fetch(new URL(`${code}.json`, base));
  if (!response.ok) throw new Error(`no translation file for ${code}`);
  table = (await response.json()) as Record<string, string>;
  current = code;
  if (remember) localStorage.setItem(STORAGE_KEY, code);
  document.documentElement.lang = code;
  document.documentElement.dir = languages.find((l) => l.code === code)?.dir ?? 'ltr';
  translatePage(document);
  listeners.forEach((listener) => listener(code));
}

export function language(): string {
  return current;
}

export function onLanguageChange(listener: (code: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The text for a key with {name} placeholders filled in; the key itself if missing, so gaps are visible. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = table[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

/** Picks the current language from a server-provided text, falling back to Hungarian then English. */
export function localized(value: Localized): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return value[current] ?? value.hu ?? value.en ?? Object.values(value)[0] ?? '';
}

export function translatePage(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((element) => {
    element.textContent = t(element.dataset.i18n!);
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-attr]').forEach((element) => {
    for (const pair of element.dataset.i18nAttr!.split(';')) {
      const [attribute, key] = pair.split(':');
      if (attribute && key) element.setAttribute(attribute.trim(), t(key.trim()));
    }
  });
  const title = document.querySelector<HTMLElement>('title[data-i18n]');
  if (title) document.title = t(title.dataset.i18n!);
}

/** A language's name in the current language, from the browser's CLDR data (no translation keys needed). */
export function languageName(code: string): string {
  if (!code) return '';
  try {
    return new Intl.DisplayNames([current], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
