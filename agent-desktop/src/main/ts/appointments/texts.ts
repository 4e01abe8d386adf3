// The booking page's own translations (appointments/i18n/<code>.json, checked by the build like the
// shared ones): it is reached straight from an e-mail, so it loads only what it shows.

export type Lang = 'hu' | 'en';
export const LANGUAGES: Lang[] = ['hu', 'en'];

let table: Record<string, string> = {};
let current: Lang = 'hu';

export function asLang(value: string | null | undefined): Lang | null {
  return LANGUAGES.find((code) => code === value) ?? null;
}

export async function loadTexts(lang: Lang): Promise<void> {
  const response = await fetch(new URL(`./i18n/${lang}.json`, import.meta.url));
  if (!response.ok) throw new Error(`no translation file for ${lang}`);
  table = (await response.json()) as Record<string, string>;
  current = lang;
  document.documentElement.lang = lang;
  document.querySelectorAll<HTMLElement>('[data-text]').forEach((element) => {
    element.textContent = t(element.dataset.text!);
  });
}

export function lang(): Lang {
  return current;
}

/** The text for a key with {name} placeholders filled in; the key itself if missing, so gaps are visible. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = table[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

/** "Monday, 1 March 2027" / "2027. március 1., hétfő", in the citizen's own time zone. */
export function day(iso: string): string {
  return new Intl.DateTimeFormat(current, { dateStyle: 'full' }).format(new Date(iso));
}

export function time(iso: string): string {
  return new Intl.DateTimeFormat(current, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function dayAndTime(startsAt: string, endsAt: string): string {
  return `${day(startsAt)} ${time(startsAt)}–${time(endsAt)}`;
}
