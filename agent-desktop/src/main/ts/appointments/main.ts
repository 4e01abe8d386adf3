// The booking page for video appointments (REST: docs/openapi.yaml, tag proactive).
// ?caseType=<id>&lang=<hu|en> books a time; ?appointment=<id>&token=<manage token> (the link in the
// confirmation e-mail) shows the appointment and moves or cancels it. From joinFrom (proactive.joinEarlyMinutes
// before the start) until the end, both views link to the citizen app, which joins the queue for the appointment.

import { byId, h, replaceChildren, uniqueId } from '../shared/dom.js';
import { asLang, dayAndTime, day, lang, loadTexts, t, time, type Lang } from './texts.js';

interface Slot { id: number; caseType: string; language: string; startsAt: string; endsAt: string; free: number }
interface Appointment {
  id: string; caseType: string; language: string; startsAt: string; endsAt: string; status: string; name: string; email: string; joinFrom: string;
}
interface Booked { appointment: Appointment; manageToken: string; manageUrl: string; confirmationEmail: 'queued' | 'disabled' }

class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const DAYS_SHOWN = 14;
const query = new URLSearchParams(location.search);
const appointmentId = query.get('appointment');
const manageToken = query.get('token');
const caseType = query.get('caseType');
let visitToken = '';
let from = isoDate(new Date());
/** Draws the screen on show again in the new language. */
let redraw: () => Promise<void> = async () => undefined;

function main(): HTMLElement {
  return byId('main');
}

function isoDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T12:00:00`);
  date.setDate(date.getDate() + days);
  return isoDate(date);
}

async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { ...(visitToken ? { Authorization: `Bearer ${visitToken}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : null,
  });
  const payload = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new ApiError(payload?.code ?? 'internal', payload?.message ?? response.statusText);
  return payload as T;
}

function withToken(): Record<string, string> {
  return { 'Appointment-Token': manageToken ?? '' };
}

/** Shows a screen, names the page after its heading and moves focus there (WCAG 2.4.3). */
function show(...content: (Node | null)[]): void {
  replaceChildren(main(), ...content);
  const heading = main().querySelector<HTMLElement>('h1');
  document.title = `${heading?.textContent ?? ''} – ${t('appName')}`;
  heading?.focus();
}

function heading(text: string): HTMLElement {
  return h('h1', { class: 'heading-xl', tabindex: -1 }, text);
}

function announce(text: string): void {
  byId('status').textContent = text;
}

function errorNotice(key: string): HTMLElement {
  return h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, t(key)));
}

function errorKey(error: unknown): string {
  const code = error instanceof ApiError ? error.code : '';
  if (code === 'slot_full' || code === 'slot_not_found') return 'error.slotTaken';
  if (code === 'appointment_not_found') return 'error.notFound';
  if (code === 'appointment_closed') return 'error.closed';
  return 'error.generic';
}

async function caseTypeName(id: string): Promise<string> {
  const catalogue = await api<{ lifeEvents: { caseTypes: { id: string; name: string }[] }[] }>('GET', `/api/catalogue?lang=${lang()}`);
  for (const event of catalogue.lifeEvents) {
    const found = event.caseTypes.find((type) => type.id === id);
    if (found) return found.name;
  }
  return id;
}

function summary(appointment: Appointment, service: string): HTMLElement {
  const row = (label: string, value: string) => [h('dt', {}, label), h('dd', {}, value)];
  return h('dl', { class: 'summary-list' },
    ...row(t('manage.service'), service),
    ...row(t('manage.when'), dayAndTime(appointment.startsAt, appointment.endsAt)),
    ...row(t('manage.status'), t(`manage.status.${appointment.status}`)),
    ...row(t('booked.reference'), appointment.id));
}

/** The free slots as one radio group per day: native radios give arrow-key navigation for free. */
function slotPicker(slots: Slot[], legend: string, onMove: (days: number) => void): { element: HTMLElement; chosen(): number | null; setError(text: string | null): void } {
  const errorId = uniqueId('slot-error');
  const error = h('p', { id: errorId, class: 'field__error', hidden: true });
  const days = new Map<string, Slot[]>();
  for (const slot of slots) {
    const key = day(slot.startsAt);
    days.set(key, [...(days.get(key) ?? []), slot]);
  }
  const groups = [...days.entries()].map(([dayName, daySlots]) => h('div', { class: 'form__group' },
    h('h2', { class: 'heading-m' }, dayName),
    h('div', { class: 'radios' }, ...daySlots.map((slot) => {
      const id = `slot-${slot.id}`;
      return h('div', { class: 'radio' },
        h('input', { class: 'radio__input', type: 'radio', name: 'slot', id, value: slot.id }),
        h('label', { class: 'radio__label', for: id }, `${time(slot.startsAt)}–${time(slot.endsAt)}`));
    }))));
  const fieldset = h('fieldset', { class: 'field__fieldset', id: 'slots', 'aria-describedby': errorId },
    h('legend', { class: 'field__label' }, legend),
    h('p', { class: 'field__hint' }, t('book.range', { from: day(`${from}T12:00:00`), to: day(`${addDays(from, DAYS_SHOWN - 1)}T12:00:00`) })),
    error,
    ...(groups.length ? groups : [h('p', {}, t('book.none'))]));
  const today = isoDate(new Date());
  const element = h('div', { class: 'field' }, fieldset,
    h('div', { class: 'actions' },
      from > today ? h('button', { type: 'button', class: 'button button--secondary', onclick: (() => onMove(-DAYS_SHOWN)) as EventListener }, t('book.earlier')) : null,
      h('button', { type: 'button', class: 'button button--secondary', onclick: (() => onMove(DAYS_SHOWN)) as EventListener }, t('book.later'))));
  return {
    element,
    chosen: () => {
      const checked = fieldset.querySelector<HTMLInputElement>('input[name="slot"]:checked');
      return checked ? Number(checked.value) : null;
    },
    setError: (text) => {
      error.hidden = !text;
      error.textContent = text ?? '';
      element.classList.toggle('field--error', !!text);
    },
  };
}

function slotsFor(type: string, language: string): Promise<Slot[]> {
  const params = new URLSearchParams({ caseType: type, lang: language, from, to: addDays(from, DAYS_SHOWN - 1) });
  return api<Slot[]>('GET', `/api/appointments/slots?${params}`);
}

function textField(id: string, label: string, type: string, autocomplete: string, hint?: string): { element: HTMLElement; input: HTMLInputElement; setError(text: string | null): void } {
  const input = h('input', { class: 'input', id, name: id, type, autocomplete, required: true, spellcheck: 'false' });
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const error = h('p', { id: errorId, class: 'field__error', hidden: true });
  input.setAttribute('aria-describedby', hint ? hintId : errorId);
  const element = h('div', { class: 'field' }, h('label', { class: 'field__label', for: id }, label),
    hint ? h('p', { class: 'field__hint', id: hintId }, hint) : null, error, input);
  return {
    element,
    input,
    setError: (text) => {
      error.hidden = !text;
      error.textContent = text ?? '';
      element.classList.toggle('field--error', !!text);
      input.setAttribute('aria-invalid', String(!!text));
      input.setAttribute('aria-describedby', [hint ? hintId : null, text ? errorId : null].filter(Boolean).join(' ') || errorId);
    },
  };
}

/** GOV.UK error summary: every problem, each a link to its field; focused so it is read first. */
function errorSummary(problems: { target: string; text: string }[]): HTMLElement {
  return h('div', { class: 'error-summary', role: 'alert', tabindex: -1 },
    h('h2', { class: 'error-summary__title' }, t('error.summary')),
    h('ul', { class: 'error-summary__list' }, ...problems.map((problem) => h('li', {}, h('a', { href: `#${problem.target}` }, problem.text)))));
}

// --- booking -----------------------------------------------------------------------------

async function bookScreen(message: string | null = null): Promise<void> {
  redraw = () => bookScreen();
  if (!caseType) {
    show(heading(t('book.title')), errorNotice('error.noCaseType'), h('p', {}, h('a', { href: '../citizen/' }, t('toCitizenApp'))));
    return;
  }
  const [service, slots] = await Promise.all([caseTypeName(caseType), slotsFor(caseType, lang())]);
  const picker = slotPicker(slots, t('book.times'), (days) => {
    from = addDays(from, days);
    void bookScreen();
  });
  const name = textField('name', t('book.name'), 'text', 'name');
  const email = textField('email', t('book.email'), 'email', 'email', t('book.emailHint'));
  const problems = h('div', {});
  const form = h('form', { novalidate: true }, picker.element, name.element, email.element,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button button--primary' }, t('book.submit'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const slotId = picker.chosen();
    const found = [
      slotId === null ? { target: 'slots', text: t('error.slot') } : null,
      name.input.value.trim() === '' ? { target: 'name', text: t('error.name') } : null,
      !/^[^@\s]+@[^@\s]+$/.test(email.input.value.trim()) ? { target: 'email', text: t('error.email') } : null,
    ].filter((problem): problem is { target: string; text: string } => problem !== null);
    picker.setError(slotId === null ? t('error.slot') : null);
    name.setError(found.some((p) => p.target === 'name') ? t('error.name') : null);
    email.setError(found.some((p) => p.target === 'email') ? t('error.email') : null);
    if (found.length > 0) {
      replaceChildren(problems, errorSummary(found));
      problems.querySelector<HTMLElement>('.error-summary')?.focus();
      return;
    }
    void api<Booked>('POST', '/api/appointments', { slotId, caseType, language: lang(), name: name.input.value.trim(), email: email.input.value.trim() })
      .then((booked) => bookedScreen(booked, service))
      .catch((error: unknown) => bookScreen(t(errorKey(error))));
  });
  show(heading(t('book.title')),
    h('p', { class: 'lead' }, t('book.service', { name: service })),
    h('p', {}, t('book.lead')),
    message ? h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, message)) : null,
    problems, form);
}

/** The citizen app's link for this appointment: device check, consent, then the queue at the booked place. */
function joinUrl(appointment: Appointment, token: string): string {
  return `/citizen/?${new URLSearchParams({ appointment: appointment.id, token, caseType: appointment.caseType, lang: appointment.language })}`;
}

let joinTimer = 0;

/** "Join your video appointment" while it can be joined; before that, from when; nothing once it is over or closed. */
function joinSection(appointment: Appointment, token: string): HTMLElement | null {
  window.clearTimeout(joinTimer);
  const now = Date.now();
  const opens = Date.parse(appointment.joinFrom);
  const ends = Date.parse(appointment.endsAt);
  if (!['booked', 'joined'].includes(appointment.status) || now >= ends) return null;
  if (now < opens) {
    // Shown by itself when the time comes, for a page left open (timers beyond a day are not worth keeping).
    if (opens - now < 86_400_000) joinTimer = window.setTimeout(() => void redraw(), opens - now + 500);
    return h('p', { class: 'inset', id: 'join-later' }, t('join.later', { time: time(appointment.joinFrom) }));
  }
  return h('div', { class: 'panel panel--tinted', id: 'join' },
    h('p', {}, t('join.now')),
    h('a', { class: 'button button--primary', href: joinUrl(appointment, token) }, t('join.link')));
}

function bookedScreen(booked: Booked, service: string): void {
  redraw = async () => bookedScreen(booked, service);
  const { appointment } = booked;
  show(h('div', { class: 'confirmation' },
      heading(t('booked.title')),
      h('p', { class: 'confirmation__label' }, t('booked.when')),
      h('p', { class: 'confirmation__number', id: 'booked-time' }, dayAndTime(appointment.startsAt, appointment.endsAt))),
    summary(appointment, service),
    joinSection(appointment, booked.manageToken),
    h('p', {}, booked.confirmationEmail === 'queued' ? t('booked.emailQueued', { email: appointment.email }) : t('booked.emailDisabled')),
    h('p', {}, h('a', { href: booked.manageUrl }, t('booked.manage'))));
  announce(t('booked.title'));
}

// --- managing a booked appointment ---------------------------------------------------------

async function manageScreen(headingText: string = t('manage.title'), message: string | null = null): Promise<void> {
  redraw = () => manageScreen();
  let appointment: Appointment;
  try {
    appointment = await api<Appointment>('GET', `/api/appointments/${encodeURIComponent(appointmentId ?? '')}`, undefined, withToken());
  } catch (error) {
    show(heading(t('manage.title')), errorNotice(errorKey(error)));
    return;
  }
  const service = await caseTypeName(appointment.caseType);
  const actions = appointment.status === 'booked'
    ? h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button button--primary', onclick: (() => void rescheduleScreen(appointment, service)) as EventListener }, t('manage.reschedule')),
      h('button', { type: 'button', class: 'button button--warning', onclick: (() => cancelScreen(appointment, service)) as EventListener }, t('manage.cancel')))
    : null;
  show(heading(headingText),
    message ? h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, message)) : null,
    summary(appointment, service), joinSection(appointment, manageToken ?? ''), actions);
}

async function rescheduleScreen(appointment: Appointment, service: string): Promise<void> {
  redraw = () => rescheduleScreen(appointment, service);
  const slots = await slotsFor(appointment.caseType, appointment.language);
  const picker = slotPicker(slots, t('book.times'), (days) => {
    from = addDays(from, days);
    void rescheduleScreen(appointment, service);
  });
  const form = h('form', { novalidate: true }, picker.element,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button button--primary' }, t('manage.move')),
      h('button', { type: 'button', class: 'button button--secondary', onclick: (() => void manageScreen()) as EventListener }, t('manage.keep'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const slotId = picker.chosen();
    picker.setError(slotId === null ? t('error.slot') : null);
    if (slotId === null) return;
    void api<Appointment>('POST', `/api/appointments/${appointment.id}/rescheduling`, { slotId }, withToken())
      .then(() => manageScreen(t('rescheduled.title')))
      .catch((error: unknown) => manageScreen(t('manage.title'), t(errorKey(error))));
  });
  show(heading(t('manage.reschedule')), h('p', { class: 'lead' }, dayAndTime(appointment.startsAt, appointment.endsAt)), form);
}

function cancelScreen(appointment: Appointment, service: string): void {
  redraw = async () => cancelScreen(appointment, service);
  show(heading(t('manage.cancel')), summary(appointment, service), h('p', {}, t('manage.cancelQuestion')),
    h('div', { class: 'actions' },
      h('button', {
        type: 'button', class: 'button button--warning', onclick: (() => {
          void api<Appointment>('POST', `/api/appointments/${appointment.id}/cancellation`, undefined, withToken())
            .then((cancelled) => {
              redraw = async () => undefined;
              show(heading(t('cancelled.title')), h('p', {}, t('cancelled.body')), summary(cancelled, service),
                h('p', {}, h('a', { href: `./?${new URLSearchParams({ caseType: cancelled.caseType, lang: cancelled.language })}` }, t('bookAnother'))));
            })
            .catch((error: unknown) => manageScreen(t('manage.title'), t(errorKey(error))));
        }) as EventListener,
      }, t('manage.confirmCancel')),
      h('button', { type: 'button', class: 'button button--secondary', onclick: (() => void manageScreen()) as EventListener }, t('manage.keep'))));
}

// --- start -------------------------------------------------------------------------------

async function start(): Promise<void> {
  const preferred: Lang = asLang(query.get('lang')) ?? asLang(navigator.language.slice(0, 2)) ?? 'hu';
  await loadTexts(preferred);
  const select = byId<HTMLSelectElement>('language');
  select.value = preferred;
  select.addEventListener('change', () => {
    const chosen = asLang(select.value);
    if (chosen) void loadTexts(chosen).then(() => redraw());
  });
  replaceChildren(main(), h('p', {}, t('loading')));
  try {
    visitToken = (await api<{ token: string }>('POST', '/api/visits')).token;
    await (appointmentId ? manageScreen() : bookScreen());
  } catch {
    show(heading(t('appName')), errorNotice('error.generic'));
  }
}

void start();
