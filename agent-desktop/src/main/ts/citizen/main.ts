// The citizen app: language → life event → service → questions → devices → consent → queue → call
// → summary → case number. With ?kiosk=1 it runs as an office kiosk: full screen, larger targets,
// and everything is wiped after each visitor or after inactivity, behind a privacy screen.
// Two links skip the questions, as the case or the booking already exists: ?callback=<id>&token=<t> (the
// call-back e-mail: back to the kept place) and ?appointment=<id>&token=<t>&caseType=<id>&lang=<l> (the booking
// page's join link). Both go through the device check and consent, then join the queue.

import { byId, h, replaceChildren } from '../shared/dom.js';
import { announce, button, connectionBanner, dialog, field, header, skipLink, text, toggleButton } from '../shared/components.js';
import { initI18n, language, loadLanguages, onLanguageChange, setLanguage, t } from '../shared/i18n.js';
import { CaseType, Catalogue, LifeEvent, loadCatalogue, loadForm, searchLifeEvents } from '../shared/catalogue.js';
import { FormView, renderForm, RenderedForm } from '../shared/forms.js';
import { CallMedia, deviceProblem, listenToMicrophone, openCamera, playChime, stopStream } from '../shared/media.js';
import { Connection, ProtocolError } from '../shared/connection.js';
import { CallMediaGrant, CaseView, Envelope, ErrorCode, Message, Rest } from '../shared/protocol.js';
import { loadSummary, startCase, StartedCase } from '../shared/cases.js';
import { realTimeText } from '../shared/chat.js';
import { callHasEnded, callIsOver, checkCallAfterReconnect, noteCallEnded, renewMedia } from '../shared/call.js';
import { mountIdentificationGuide } from './identification.js';
import { KioskGuard } from './kiosk.js';

type Screen = 'welcome' | 'language' | 'events' | 'service' | 'questions' | 'devices' | 'consent' | 'waiting' | 'closed' | 'call' | 'done' | 'callback';

interface Visit {
  screen: Screen;
  lifeEvent: LifeEvent | null;
  caseType: CaseType | null;
  form: FormView | null;
  answers: Record<string, unknown>;
  query: string;
  stream: MediaStream | null;
  /** The draft started from the answers, and the case token that proves it is this visitor's. */
  started: StartedCase | null;
  position: number | null;
  estimatedWaitSeconds: number | null;
  nextOpening: string | null;
  call: { callId: string; media: CallMediaGrant; iceServers: RTCIceServer[]; videoIdentification: boolean } | null;
  recording: boolean;
  caseNumber: string | null;
  /** Whether the server can e-mail this visitor when their turn comes (queue.joined callbackAvailable). */
  callbackAvailable: boolean;
  callbackEmail: string | null;
  /** The link this visit came from, if any; used for the first join only. */
  link: Link | null;
  /** Why the visitor waits again after a call (the text shown on the waiting screen), if they do. */
  waitingAgain: string | null;
  /** The call ended while the visitor was disconnected: the end screen says so. */
  endedWhileAway: boolean;
  /**
   * The server holds a place (or a call) for this visit: joined here, or found waiting after a reload. The waiting
   * screen then shows the place the server pushes instead of joining again.
   */
  queued: boolean;
}

type Link = { kind: 'callback' | 'appointment'; id: string; token: string; caseTypeId: string | null };

/** The call-back or appointment link in the address, if this page was opened from one. */
function linkFromAddress(): Link | null {
  const query = new URLSearchParams(location.search);
  const token = query.get('token');
  const callback = query.get('callback');
  const appointment = query.get('appointment');
  if (!token) return null;
  if (callback) return { kind: 'callback', id: callback, token, caseTypeId: null };
  if (appointment && query.get('caseType')) return { kind: 'appointment', id: appointment, token, caseTypeId: query.get('caseType') };
  return null;
}

const kiosk = new URLSearchParams(location.search).get('kiosk') === '1';
const STEPS: Screen[] = ['events', 'questions', 'devices', 'consent', 'waiting'];
/** From this estimated wait on, the waiting screen offers an appointment instead. */
const LONG_WAIT_SECONDS = 30 * 60;

const fresh = (link: Link | null = null): Visit => ({
  screen: kiosk ? 'welcome' : 'language', lifeEvent: null, caseType: null, form: null, answers: {}, query: '',
  stream: null, started: null, position: null, estimatedWaitSeconds: null, nextOpening: null, call: null, recording: false, caseNumber: null,
  callbackAvailable: false, callbackEmail: null, link, waitingAgain: null, endedWhileAway: false, queued: false,
});

let visit = fresh(kiosk ? null : linkFromAddress());
let catalogue: Catalogue | null = null;
let cleanup: Array<() => void> = [];
let token: string | null = null;
/** When the visit token expires, epoch seconds. */
let tokenExpiresAt = 0;

/** The visit token: authenticates the WebSocket hello and the citizen's REST calls. */
async function visitToken(): Promise<string> {
  if (token) return token;
  const response = await fetch(Rest.visits, { method: 'POST', headers: { Accept: 'application/json' } });
  if (response.status !== 201) throw new Error(`visit: HTTP ${response.status}`);
  const created = (await response.json()) as { token: string; expiresAt: number };
  token = String(created.token);
  tokenExpiresAt = Number(created.expiresAt);
  return token;
}

/**
 * The visit as a reloaded page needs it to get back into its call: the visit token (the server knows the visitor by
 * it, and sends call.started again on hello) and the case. Kept from joining the queue until the visit ends, in
 * sessionStorage: this tab only, gone when it closes, wiped with everything else on a kiosk.
 */
const SAVED_VISIT = 'ablak.visit';
interface SavedVisit { token: string; expiresAt: number; started: StartedCase; callbackAvailable?: boolean; link?: string }

/** Which link a visit came from, to tell a reload of it from another link opened in the same tab. */
const linkKey = (link: Link | null): string | undefined => (link ? `${link.kind}:${link.id}` : undefined);

function saveVisit(): void {
  if (!token || !visit.started) return;
  const saved: SavedVisit = { token, expiresAt: tokenExpiresAt, started: visit.started, callbackAvailable: visit.callbackAvailable,
    link: linkKey(linkFromAddress()) };
  sessionStorage.setItem(SAVED_VISIT, JSON.stringify(saved));
}

function forgetVisit(): void {
  sessionStorage.removeItem(SAVED_VISIT);
}

function savedVisit(): SavedVisit | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SAVED_VISIT) ?? 'null') as SavedVisit | null;
    return saved && typeof saved.token === 'string' && saved.expiresAt * 1000 > Date.now() ? saved : null;
  } catch {
    return null;
  }
}

const connection = new Connection({ language, token: visitToken });

const main = () => byId('main');

function go(screen: Screen): void {
  cleanup.splice(0).forEach((fn) => fn());
  visit.screen = screen;
  render();
  // Move focus to the new heading so screen-reader and keyboard users start at the top (WCAG 2.4.3).
  main().querySelector<HTMLElement>('h1')?.focus();
}

function render(): void {
  const screens: Record<Screen, () => HTMLElement | Promise<HTMLElement>> = {
    welcome: welcomeScreen, language: languageScreen, events: eventsScreen, service: serviceScreen, questions: questionsScreen,
    devices: devicesScreen, consent: consentScreen, waiting: waitingScreen, closed: closedScreen, call: callScreen, done: doneScreen, callback: callbackScreen,
  };
  void Promise.resolve(screens[visit.screen]()).then((content) => {
    replaceChildren(main(), content);
    document.body.dataset.screen = visit.screen;
    const heading = main().querySelector('h1');
    document.title = `${heading?.textContent ?? ''} – ${t('service.name')}`;
  });
}

function heading(key: string, params: Record<string, string | number> = {}): HTMLElement {
  return h('h1', { class: 'heading-xl', tabindex: -1 }, t(key, params));
}

function steps(screen: Screen): HTMLElement | null {
  const index = STEPS.indexOf(screen);
  if (index < 0) return null;
  return h('p', { class: 'caption' }, t('citizen.step', { current: index + 1, total: STEPS.length }));
}

function back(to: Screen): HTMLElement {
  return h('a', { href: '#', class: 'back-link', onclick: ((event: Event) => { event.preventDefault(); go(to); }) as EventListener }, t('citizen.back'));
}

// --- screens -------------------------------------------------------------------------------

function welcomeScreen(): HTMLElement {
  return h('section', { class: 'privacy-screen' },
    h('div', { class: 'privacy-screen__mark', 'aria-hidden': 'true' }),
    heading('kiosk.welcome.title'),
    text('p', 'kiosk.welcome.body', { class: 'lead' }),
    h('div', { class: 'actions' }, button('kiosk.welcome.start', () => {
      void document.documentElement.requestFullscreen?.().catch(() => undefined);
      go('language');
    }, 'primary', { class: 'button button--primary button--hero' })));
}

async function languageScreen(): Promise<HTMLElement> {
  const languages = await loadLanguages();
  return h('section', { class: 'screen' },
    heading('citizen.language.title'),
    text('p', 'citizen.language.lead', { class: 'lead' }),
    h('ul', { class: 'choice-list choice-list--languages' }, ...languages.map((entry) => h('li', {},
      h('button', {
        type: 'button', class: 'choice', lang: entry.code,
        onclick: (async () => { await setLanguage(entry.code); catalogue = null; go('events'); }) as EventListener,
      }, h('span', { class: 'choice__title' }, entry.name))))));
}

async function eventsScreen(): Promise<HTMLElement> {
  const results = h('ul', { class: 'choice-list', id: 'life-events' });
  const count = h('p', { class: 'search__count', role: 'status' });
  const problem = h('div', { class: 'notice notice--error', role: 'alert', hidden: true });
  const search = h('input', { id: 'life-event-search', class: 'input input--search', type: 'search', autocomplete: 'off', value: visit.query,
    'aria-controls': 'life-events' });
  const show = () => {
    if (!catalogue) return;
    visit.query = search.value;
    const found = searchLifeEvents(catalogue.lifeEvents, search.value);
    count.textContent = t('citizen.events.count', { count: found.length });
    results.replaceChildren(...found.map((event) => h('li', {},
      h('button', { type: 'button', class: 'choice', onclick: (() => choose(event)) as EventListener },
        h('span', { class: 'choice__title' }, event.name),
        h('span', { class: 'choice__text' }, event.description)))));
  };
  search.addEventListener('input', show);
  try {
    catalogue ??= await loadCatalogue(language());
    show();
  } catch {
    problem.replaceChildren(h('p', {}, t('citizen.events.unavailable')));
    problem.hidden = false;
  }
  return h('section', { class: 'screen' },
    back('language'), steps('events'),
    heading('citizen.events.title'),
    text('p', 'citizen.events.lead', { class: 'lead' }),
    h('div', { class: 'search', role: 'search' }, field(search, t('citizen.events.search'), t('citizen.events.searchHint')).element),
    problem, count, results);
}

function choose(event: LifeEvent): void {
  visit.lifeEvent = event;
  if (event.caseTypes.length === 1) chooseService(event.caseTypes[0]!);
  else go('service');
}

function chooseService(caseType: CaseType): void {
  visit.caseType = caseType;
  visit.form = null;
  visit.answers = {};
  go('questions');
}

function serviceScreen(): HTMLElement {
  const event = visit.lifeEvent!;
  return h('section', { class: 'screen' },
    back('events'), steps('events'),
    h('h1', { class: 'heading-xl', tabindex: -1 }, event.name),
    text('p', 'citizen.service.lead', { class: 'lead' }),
    h('ul', { class: 'choice-list' }, ...event.caseTypes.map((caseType) => h('li', {},
      h('button', { type: 'button', class: 'choice', onclick: (() => chooseService(caseType)) as EventListener },
        h('span', { class: 'choice__title' }, caseType.name),
        h('span', { class: 'choice__text' }, caseType.description))))));
}

async function questionsScreen(): Promise<HTMLElement> {
  const caseType = visit.caseType!;
  const problem = h('div', { class: 'notice notice--error', role: 'alert', hidden: true });
  let form: RenderedForm | null = null;
  try {
    if (visit.form?.language !== language()) visit.form = await loadForm(caseType.id, caseType.formVersion, language());
    const precall = new Set(caseType.precallInputs);
    if (precall.size) {
      const rendered = renderForm(visit.form, { idPrefix: 'question', include: (element) => precall.has(element.field) });
      rendered.setData(visit.answers);
      rendered.onChange((data) => { visit.answers = data; });
      form = rendered;
    }
  } catch {
    problem.replaceChildren(h('p', {}, t('citizen.questions.unavailable')));
    problem.hidden = false;
  }
  const next = (event: Event) => {
    event.preventDefault();
    if (form && form.validate().length > 0) return;
    visit.answers = form?.data() ?? {};
    visit.started = null; // changed answers start a new draft
    go('devices');
  };
  return h('section', { class: 'screen screen--with-aside' },
    h('div', { class: 'screen__main' },
      back(visit.lifeEvent && visit.lifeEvent.caseTypes.length > 1 ? 'service' : 'events'), steps('questions'),
      h('p', { class: 'caption' }, caseType.name),
      heading('citizen.questions.title'),
      text('p', 'citizen.questions.lead', { class: 'lead' }),
      problem,
      !form && problem.hidden ? text('p', 'citizen.questions.none') : null,
      h('form', { novalidate: true, onsubmit: next as EventListener },
        form?.element ?? '',
        h('div', { class: 'actions' }, button('citizen.continue', () => undefined, 'primary', { type: 'submit' })))),
    h('aside', { class: 'screen__aside panel panel--tinted', 'aria-labelledby': 'documents-title' },
      text('h2', 'citizen.questions.documents', { id: 'documents-title', class: 'heading-m' }),
      caseType.documentsToShow.length
        ? h('ul', { class: 'list list--bullet' }, ...caseType.documentsToShow.map((d) => h('li', {}, d.name)))
        : text('p', 'citizen.questions.noDocuments'),
      caseType.videoIdentification ? text('p', 'citizen.questions.identification', { class: 'inset' }) : null,
      caseType.typicalHandlingMinutes ? h('p', { class: 'hint' }, t('citizen.questions.typical', { minutes: caseType.typicalHandlingMinutes })) : null));
}

function devicesScreen(): HTMLElement {
  const preview = h('video', { class: 'device-check__video', autoplay: true, muted: true, playsinline: true, 'aria-label': t('devices.preview') });
  const level = h('meter', { id: 'microphone-level', class: 'meter', min: 0, max: 1, low: 0.05, high: 0.9, optimum: 0.5, value: 0 });
  const status = h('div', { class: 'device-check__status', role: 'status', id: 'device-status' });
  const problem = h('div', { class: 'notice notice--error device-check__problem', role: 'alert', id: 'device-problem', hidden: true });
  const continueButton = button('citizen.continue', () => go('consent'), 'primary', { disabled: true });
  const speakerResult = h('p', { class: 'hint' });

  const check = async () => {
    problem.hidden = true;
    status.replaceChildren(h('p', {}, t('devices.checking')));
    try {
      visit.stream ??= await openCamera();
      preview.srcObject = visit.stream;
      cleanup.push(listenToMicrophone(visit.stream, (value) => { level.value = value; }));
      status.replaceChildren(h('p', { class: 'device-check__ok' }, t('devices.ready')));
      continueButton.disabled = false;
      document.body.dataset.devices = 'ready';
    } catch (error) {
      const key = deviceProblem(error);
      status.replaceChildren();
      replaceChildren(problem,
        h('h2', { class: 'heading-m' }, t(`${key}.title`)),
        h('p', {}, t(`${key}.fix`)),
        kiosk ? text('p', 'devices.problem.kiosk') : null,
        button('devices.retry', () => { void check(); }, 'secondary'));
      problem.hidden = false;
      problem.dataset.problem = key;
      document.body.dataset.devices = key;
    }
  };
  void check();
  return h('section', { class: 'screen' },
    visit.link ? null : back('questions'), steps('devices'),
    heading('devices.title'),
    text('p', 'devices.lead', { class: 'lead' }),
    problem,
    h('div', { class: 'device-check' },
      h('div', { class: 'device-check__camera' }, preview),
      h('div', { class: 'device-check__items' },
        status,
        h('div', { class: 'field' }, text('label', 'devices.microphone', { for: 'microphone-level', class: 'field__label' }),
          text('p', 'devices.microphoneHint', { class: 'field__hint' }), level),
        h('div', { class: 'field' }, text('h2', 'devices.speaker', { class: 'field__label' }),
          button('devices.playSound', () => { playChime(); speakerResult.textContent = t('devices.speakerHint'); }, 'secondary'), speakerResult))),
    h('div', { class: 'actions' }, continueButton));
}

function consentScreen(): HTMLElement {
  const processing = h('input', { type: 'checkbox', id: 'consent-processing', class: 'checkbox__input' });
  const recording = h('input', { type: 'checkbox', id: 'consent-recording', class: 'checkbox__input' });
  const processingField = field(processing, t('consent.processing'), undefined, 'checkbox');
  const recordingField = field(recording, t('consent.recording'), undefined, 'checkbox');
  const submit = (event: Event) => {
    event.preventDefault();
    processingField.setError(processing.checked ? null : t('consent.required'));
    recordingField.setError(recording.checked ? null : t('consent.required'));
    if (!processing.checked) { processing.focus(); return; }
    if (!recording.checked) { recording.focus(); return; }
    go('waiting');
  };
  return h('section', { class: 'screen screen--narrow' },
    back('devices'), steps('consent'),
    heading('consent.title'),
    h('div', { class: 'prose' },
      text('p', 'consent.what'), text('p', 'consent.recordingWhy'), text('p', 'consent.keep'), text('p', 'consent.rights'), text('p', 'consent.alternative', { class: 'inset' })),
    h('form', { novalidate: true, onsubmit: submit as EventListener },
      processingField.element, recordingField.element,
      h('div', { class: 'actions' }, button('consent.agree', () => undefined, 'primary', { type: 'submit' }), back('devices'))));
}

function waitingScreen(): HTMLElement {
  const position = h('p', { class: 'waiting__figure', id: 'queue-position' }, '–');
  const wait = h('p', { class: 'waiting__figure', id: 'queue-wait' }, '–');
  cleanup.push(connection.on(Message.queuePosition, (message) => {
    const before = visit.position;
    visit.position = Number(message.position);
    visit.estimatedWaitSeconds = waitSeconds(message.estimatedWaitSeconds);
    update();
    if (before !== visit.position) {
      announce(visit.estimatedWaitSeconds === null
        ? t('waiting.announcePosition', { position: visit.position })
        : t('waiting.announce', { position: visit.position, minutes: Math.max(1, Math.round(visit.estimatedWaitSeconds / 60)) }));
    }
  }));
  const problem = h('div', { class: 'notice notice--error', role: 'alert', hidden: true });
  const longWait = h('div', { class: 'inset', id: 'long-wait', hidden: true }, text('p', 'waiting.longWait'), appointmentLink());
  const email = h('input', { id: 'callback-email', class: 'input input--medium', type: 'email', autocomplete: 'email', spellcheck: false });
  const emailField = field(email, t('waiting.callbackEmail'), t('waiting.callbackHint'));
  const callback = dialog('waiting.callbackTitle', { onCancel: () => callback.close() });
  callback.body.append(emailField.element, h('div', { class: 'actions' },
    button('waiting.callbackConfirm', () => {
      const address = email.value.trim();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) { emailField.setError(t('waiting.callbackInvalid')); email.focus(); return; }
      emailField.setError(null);
      void connection.request(Message.queueLeave, { callback: { email: address } })
        .then(() => { visit.callbackEmail = address; forgetVisit(); callback.close(); connection.stop(); go('callback'); })
        .catch((error: ProtocolError) => { emailField.setError(t(CALLBACK_REFUSALS[error.code] ?? 'waiting.callbackFailed')); email.focus(); });
    }), button('waiting.stay', () => callback.close(), 'secondary')));
  const callbackButton = button('waiting.callback', () => callback.open(), 'secondary', { hidden: !visit.callbackAvailable });
  const update = () => {
    callbackButton.hidden = !visit.callbackAvailable;
    position.textContent = visit.position === null ? '–' : String(visit.position);
    wait.textContent = visit.estimatedWaitSeconds === null ? t('waiting.unknown') : t('waiting.minutes', { minutes: Math.max(1, Math.round(visit.estimatedWaitSeconds / 60)) });
    longWait.hidden = (visit.estimatedWaitSeconds ?? 0) < LONG_WAIT_SECONDS;
  };
  update();
  const joined = visit.queued ? Promise.resolve() : joinQueue();
  void joined.then(update).catch((error: unknown) => {
    if (error instanceof ProtocolError && error.code === ErrorCode.queueClosed) {
      visit.nextOpening = typeof error.details.nextOpening === 'string' ? error.details.nextOpening : null;
      go('closed');
      return;
    }
    const key = error instanceof ProtocolError ? JOIN_REFUSALS[error.code] ?? 'waiting.joinFailed' : 'waiting.joinFailed';
    const link = visit.link;
    problem.replaceChildren(h('p', { id: 'join-problem' }, t(key)),
      link?.kind === 'appointment' && key !== 'waiting.joinFailed'
        ? h('p', {}, h('a', { href: `${Rest.appointments}?${new URLSearchParams({ appointment: link.id, token: link.token })}` }, t('waiting.appointmentManage')))
        : '');
    problem.hidden = false;
  });

  const leave = dialog('waiting.leaveTitle', { onCancel: () => leave.close() });
  leave.body.append(text('p', 'waiting.leaveBody'), h('div', { class: 'actions' },
    button('waiting.leaveConfirm', () => { void connection.request(Message.queueLeave).catch(() => undefined); leave.close(); resetVisit(); }, 'warning'),
    button('waiting.stay', () => leave.close(), 'secondary')));

  cleanup.push(() => { leave.element.remove(); callback.element.remove(); });

  return h('section', { class: 'screen' },
    steps('waiting'),
    heading('waiting.title'),
    text('p', 'waiting.lead', { class: 'lead' }),
    visit.waitingAgain ? h('div', { class: 'notice', role: 'status', id: 'waiting-again' }, text('p', visit.waitingAgain)) : '',
    problem,
    h('div', { class: 'waiting' },
      h('div', { class: 'waiting__card' }, text('h2', 'waiting.position', { class: 'waiting__label' }), position),
      h('div', { class: 'waiting__card' }, text('h2', 'waiting.estimate', { class: 'waiting__label' }), wait)),
    h('p', { class: 'hint' }, t('waiting.keepOpen')),
    longWait,
    h('div', { class: 'actions' },
      callbackButton,
      button('waiting.leave', () => leave.open(), 'quiet')));
}

/** What the app tells the citizen when the server refuses a join (docs/protocol.md, queue.join). */
const JOIN_REFUSALS: Record<string, string> = {
  unknown_callback: 'waiting.rejoinUnknown',
  callback_closed: 'waiting.rejoinClosed',
  outside_appointment_time: 'waiting.appointmentEarly',
  appointment_closed: 'waiting.appointmentClosed',
  unknown_appointment: 'waiting.appointmentUnknown',
};

/** ... and when it refuses to keep the place for a call-back. */
const CALLBACK_REFUSALS: Record<string, string> = {
  callback_unavailable: 'waiting.callbackUnavailable',
  invalid_state: 'waiting.callbackNotWaiting',
  invalid_message: 'waiting.callbackInvalid',
};

/**
 * Takes a place in the queue: back at the kept place from a call-back link (the server gives the case
 * back), or with a new draft from the answers (once per set of answers), for a booked appointment if
 * the visit came from its link.
 */
async function joinQueue(): Promise<void> {
  const link = visit.link;
  let request: Record<string, unknown>;
  if (link?.kind === 'callback') {
    request = { callbackId: link.id, callbackToken: link.token };
  } else {
    const caseType = visit.caseType!;
    visit.started ??= await startCase(await visitToken(), caseType.id, language(), visit.answers);
    request = {
      caseTypeId: caseType.id, language: language(), caseId: visit.started.caseId, caseToken: visit.started.caseToken,
      ...(link?.kind === 'appointment' ? { appointmentId: link.id, appointmentToken: link.token } : {}),
    };
  }
  connection.start();
  try {
    const joined = await connection.request(Message.queueJoin, { ...request, kiosk, consent: { recording: true } });
    if (link?.kind === 'callback') {
      visit.started = { caseId: String(joined.caseId), caseToken: String(joined.caseToken), version: 0 };
    }
    visit.position = Number(joined.position);
    visit.estimatedWaitSeconds = waitSeconds(joined.estimatedWaitSeconds);
    visit.callbackAvailable = joined.callbackAvailable === true;
  } catch (error) {
    // The place is still ours (joined from another tab of this visit); the next queue.position tells where.
    if (!(error instanceof ProtocolError && error.code === ErrorCode.alreadyQueued)) throw error;
  }
  visit.queued = true;
  saveVisit();
}

/** The server sends null while no clerk of the queue is signed in: then nobody can say how long. */
function waitSeconds(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The booking app for this service, in this language (/appointments/?caseType=&lang=). */
function appointmentLink(): HTMLElement {
  const query = new URLSearchParams({ ...(visit.caseType ? { caseType: visit.caseType.id } : {}), lang: language() });
  return h('a', { class: `button ${visit.screen === 'closed' ? 'button--primary' : 'button--secondary'}`, href: `${Rest.appointments}?${query}` }, t('closed.book'));
}

function closedScreen(): HTMLElement {
  const opening = visit.nextOpening ? new Date(visit.nextOpening) : null;
  return h('section', { class: 'screen screen--narrow' },
    heading('closed.title'), text('p', 'closed.body', { class: 'lead' }),
    opening && !Number.isNaN(opening.getTime())
      ? h('p', { id: 'next-opening' }, t('closed.nextOpening', { time: opening.toLocaleString(language(), { weekday: 'long', hour: '2-digit', minute: '2-digit' }) }))
      : null,
    text('p', 'closed.appointment'),
    h('div', { class: 'actions' }, appointmentLink(), button('closed.restart', () => resetVisit(), 'quiet')));
}

function callbackScreen(): HTMLElement {
  return h('section', { class: 'screen screen--narrow' },
    h('div', { class: 'panel panel--success' }, heading('callback.title'),
      h('p', { class: 'lead', id: 'callback-confirmation' }, t('callback.body', { email: visit.callbackEmail ?? '' }))),
    h('div', { class: 'actions' }, button('done.finish', () => resetVisit(), 'secondary')));
}

function callScreen(): HTMLElement {
  const { callId, media: grant, iceServers, videoIdentification } = visit.call!;
  const remote = h('video', { class: 'call__remote', autoplay: true, playsinline: true, 'aria-label': t('call.remoteVideo') });
  const self = h('video', { class: 'call__self', autoplay: true, muted: true, playsinline: true, 'aria-label': t('call.selfVideo') });
  const third = h('video', { class: 'call__third', id: 'third-video', autoplay: true, playsinline: true, hidden: true, 'aria-label': t('call.thirdVideo') });
  const supervisorVideo = h('video', { class: 'call__third', id: 'supervisor-video', autoplay: true, playsinline: true, hidden: true, 'aria-label': t('call.supervisorVideo') });
  self.srcObject = visit.stream;
  const recording = h('p', { class: 'call__recording', role: 'status', hidden: !visit.recording }, h('span', { class: 'dot', 'aria-hidden': 'true' }), t('call.recording'));
  const quality = h('p', { class: 'call__quality', role: 'status', 'data-quality': 'unknown' }, t('call.quality.unknown'));
  const media = visit.stream ? new CallMedia(grant, visit.stream, remote, iceServers, () => renewMedia(connection, callId), third, supervisorVideo, {
    keepResolution: videoIdentification,
    onReconnectFailed: (error) => (callIsOver(error) ? callEndedWhileAway(callId, error) : announce(t('call.mediaFailed'), true)),
  }) : null;
  media?.watchQuality((value) => { quality.dataset.quality = value; quality.textContent = t(`call.quality.${value}`); });
  void media?.start().catch(() => announce(t('call.mediaFailed'), true));
  const chat = realTimeText(connection, callId, 'chat.me', 'chat.clerk');
  const summary = h('div', { class: 'call__summary', hidden: true, id: 'case-summary' });
  const identification = h('div', { class: 'call__identification' });
  const guide = videoIdentification && visit.started ? mountIdentificationGuide(identification, { identificationApi: Rest.identifications,
    caseId: visit.started.caseId, caseToken: visit.started.caseToken, visitToken, lang: language(), connection }) : null;

  cleanup.push(() => { media?.close(); chat.close(); guide?.destroy(); });
  cleanup.push(checkCallAfterReconnect(connection, callId, (error) => callEndedWhileAway(callId, error)));
  // An interpreter (spoken or sign language) the clerk invited, or a supervisor who joined: shown beside the clerk while in the call.
  cleanup.push(connection.on(Message.callParticipants, (message) => {
    const roles = Array.isArray(message.participants) ? (message.participants as Array<{ role?: string }>).map((p) => p.role) : [];
    const interpreter = roles.includes('interpreter');
    const supervisor = roles.includes('supervisor');
    if (interpreter && third.hidden) announce(t('call.interpreterPresent'));
    if (supervisor && supervisorVideo.hidden) announce(t('call.supervisorJoined'));
    third.hidden = !interpreter;
    supervisorVideo.hidden = !supervisor;
  }));
  cleanup.push(connection.on(Message.callRecording, (message) => {
    visit.recording = message.recording === true;
    recording.hidden = !visit.recording;
    announce(t(visit.recording ? 'call.recordingStarted' : 'call.recordingStopped'));
  }));
  const showSummary = async (version: number) => {
    const started = visit.started!;
    const read = await loadSummary(await visitToken(), started, language());
    const problem = h('div', { class: 'notice notice--error', role: 'alert', hidden: true });
    summary.replaceChildren(
      text('h2', 'summary.title', { class: 'heading-m' }), text('p', 'summary.lead'),
      h('dl', { class: 'summary-list' }, ...read.lines.flatMap((line) => [h('dt', {}, line.label), h('dd', {}, line.value)])),
      problem,
      h('div', { class: 'actions' },
        button('summary.confirm', () => {
          void connection.request(Message.caseConfirm, { caseId: started.caseId, caseToken: started.caseToken, version: read.version ?? version, lang: language() })
            .then(() => {
              summary.replaceChildren(h('p', { class: 'panel panel--success' }, t('summary.confirmed')));
              announce(t('summary.confirmed'));
            })
            .catch((error: ProtocolError) => {
              // The clerk changed something after asking: the next case.review brings the new summary.
              problem.replaceChildren(h('p', {}, t(error.code === ErrorCode.versionConflict ? 'summary.changed' : 'summary.failed')));
              problem.hidden = false;
            });
        }),
        button('summary.wrong', () => { summary.hidden = true; connection.notify(Message.chatText, { callId, text: t('summary.wrongMessage'), final: true }); }, 'secondary')));
    summary.hidden = false;
    announce(t('summary.title'), true);
    summary.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
    summary.querySelector<HTMLElement>('h2')?.focus();
  };
  cleanup.push(connection.on(Message.caseReview, (message) => {
    if (message.caseId !== visit.started?.caseId) return;
    void showSummary(Number(message.version)).catch(() => announce(t('summary.failed'), true));
  }));
  const submitted = () => {
    if (!visit.caseNumber) return;
    summary.replaceChildren(h('div', { class: 'panel panel--success confirmation confirmation--compact' },
      text('h2', 'done.title', { class: 'heading-m' }),
      text('p', 'done.caseNumberLabel', { class: 'confirmation__label' }),
      h('p', { class: 'confirmation__number', id: 'call-case-number' }, visit.caseNumber)));
    summary.hidden = false;
  };
  cleanup.push(connection.on(Message.caseChanged, submitted));
  // Watching ends with the connection: a resumed one watches again.
  const watch = () => { void watchCase().then(submitted).catch(() => undefined); };
  watch();
  cleanup.push(connection.on(Message.resumed, watch));

  const leave = dialog('call.leaveTitle', { onCancel: () => leave.close() });
  leave.body.append(text('p', 'call.leaveBody'), h('div', { class: 'actions' },
    button('call.leaveConfirm', () => {
      leave.close();
      // The end screen closes the connection: going there at once would close it before call.end is sent, and
      // the clerk would stay in the call. Offline, the server ends it once the visitor's resume time is over.
      if (connection.currentState !== 'open') { go('done'); return; }
      void connection.request(Message.callEnd, { callId }).catch(() => undefined).finally(() => { if (visit.screen === 'call') go('done'); });
    }, 'warning'),
    button('call.stay', () => leave.close(), 'secondary')));
  cleanup.push(() => leave.element.remove());

  return h('section', { class: 'call', 'aria-labelledby': 'call-title' },
    h('h1', { class: 'visually-hidden', id: 'call-title', tabindex: -1 }, t('call.title')),
    h('div', { class: 'call__stage' }, remote, self, third, supervisorVideo,
      h('div', { class: 'call__badges' }, recording, quality)),
    h('div', { class: 'call__controls', role: 'toolbar', 'aria-label': t('call.controls') },
      toggleButton('call.mute', (on) => media?.setMuted(on)),
      toggleButton('call.cameraOff', (on) => media?.setCameraOff(on)),
      button('call.switchCamera', () => { void media?.switchCamera().then((stream) => { self.srcObject = stream; }); }, 'secondary'),
      button('call.leave', () => leave.open(), 'warning')),
    h('div', { class: 'call__side' }, identification, summary, chat.element));
}

function doneScreen(): HTMLElement {
  forgetVisit();
  stopStream(visit.stream);
  visit.stream = null;
  connection.stop();
  const number = visit.caseNumber;
  return h('section', { class: 'screen screen--narrow' },
    number
      ? h('div', { class: 'panel panel--success confirmation' },
        heading('done.title'),
        text('p', 'done.caseNumberLabel', { class: 'confirmation__label' }),
        h('p', { class: 'confirmation__number', id: 'case-number' }, number))
      : heading('done.endedTitle'),
    visit.endedWhileAway ? h('div', { class: 'notice notice--warning', id: 'call-ended-away' }, text('p', 'call.endedWhileAway')) : null,
    text('h2', 'done.nextTitle', { class: 'heading-m' }),
    text('p', number ? 'done.next' : 'done.endedBody'),
    h('div', { class: 'actions' }, button('done.finish', () => resetVisit(), 'secondary')));
}

// --- visit lifecycle -----------------------------------------------------------------------

/**
 * call.started comes when a clerk takes the call, and again on every new connection while the visitor is in one
 * (docs/protocol.md, "Rejoining a call"): after a reload, or when the next clerk took them while they were away. The
 * call shown already stays as it is; one that ended is not brought back; another call replaces the one shown.
 */
connection.on(Message.callStarted, (message) => { void enterCall(message); });

/** The call whose screen waits for the camera to open: its call.started repeated meanwhile changes nothing. */
let enteringCall: string | null = null;

async function enterCall(message: Envelope): Promise<void> {
  const callId = String(message.callId);
  const shownOrOver = () => callHasEnded(callId) || (visit.screen === 'call' && visit.call?.callId === callId);
  if (shownOrOver() || enteringCall === callId) return;
  if (!visit.stream) {
    enteringCall = callId;
    await reopenCamera();
    enteringCall = null;
  }
  if (shownOrOver()) return;
  visit.call = {
    callId, media: message.media as CallMediaGrant,
    iceServers: Array.isArray(message.iceServers) ? (message.iceServers as RTCIceServer[]) : [],
    videoIdentification: message.videoIdentification === true,
  };
  visit.recording = message.recording === true;
  visit.waitingAgain = null;
  visit.queued = true;
  go('call');
  playChime();
  announce(t('call.started'), true);
}

let openingCamera: Promise<MediaStream | null> | null = null;

/**
 * Opens the camera for a reloaded page, which skipped the device check: the browser remembers the permission given
 * before. Opened once however many ask (the restored waiting screen, then call.started).
 */
function reopenCamera(): Promise<MediaStream | null> {
  if (visit.stream) return Promise.resolve(visit.stream);
  const owner = visit;
  openingCamera ??= openCamera().then((stream) => {
    // A visit wiped meanwhile (kiosk reset, leave) must not hand its camera to the next one.
    if (visit !== owner || visit.stream) { stopStream(stream); return visit.stream; }
    visit.stream = stream;
    return stream;
  }, () => null).finally(() => { openingCamera = null; });
  return openingCamera;
}

/**
 * The screens before the queue, where a reloaded page starts. The first queue.position on such a screen means the
 * server still holds this visit's place (docs/protocol.md, "Resume"): the waiting screen comes back.
 */
const BEFORE_QUEUE: Screen[] = ['welcome', 'language', 'events', 'service', 'questions', 'devices', 'consent'];

function resumeWaiting(message: Envelope): void {
  if (!BEFORE_QUEUE.includes(visit.screen) || !visit.started || savedVisit()?.token !== token) return;
  visit.queued = true;
  visit.callbackAvailable = savedVisit()?.callbackAvailable === true;
  visit.position = Number(message.position);
  visit.estimatedWaitSeconds = waitSeconds(message.estimatedWaitSeconds);
  visit.link = null;
  go('waiting');
  void reopenCamera();
  announce(t('waiting.announcePosition', { position: visit.position }), true);
}

/** Follows the case live: case.changed brings the case number when the clerk submits. */
async function watchCase(): Promise<void> {
  const started = visit.started;
  if (!started) return;
  const state = await connection.request(Message.caseWatch, { caseId: started.caseId, caseToken: started.caseToken, lang: language() });
  caseChanged(state);
}

function caseChanged(message: Envelope): void {
  const view = message as unknown as CaseView;
  if (view.id !== visit.started?.caseId || view.status !== 'SUBMITTED' || !view.caseNumber) return;
  const first = visit.caseNumber === null;
  visit.caseNumber = view.caseNumber;
  if (first) announce(t('done.submittedAnnounce', { number: view.caseNumber }), true);
  if (visit.screen === 'done') render();
}
connection.on(Message.caseChanged, caseChanged);
connection.on(Message.callEnded, (message) => {
  noteCallEnded(message.callId);
  if (visit.screen !== 'call' || visit.call?.callId !== message.callId) return;
  if (typeof message.queueId !== 'string') {
    go('done');
    return;
  }
  // Transferred, or the clerk's connection was lost: the server kept the visitor's place in that queue.
  waitAgain(message.reason === 'transferred' ? 'waiting.transferred' : 'waiting.clerkLost');
});

/** Back to the waiting screen after a call, saying why: the server kept the visitor's place in a queue. */
function waitAgain(why: string): void {
  visit.call = null;
  visit.position = null;
  visit.estimatedWaitSeconds = null;
  visit.waitingAgain = why;
  go('waiting');
  announce(t(why), true);
}

/**
 * The call ended while the visitor was disconnected (its call.ended reached nobody), found when the connection
 * or the media came back: the server's refusal says whether they wait in a queue again.
 */
function callEndedWhileAway(callId: string, refusal: ProtocolError): void {
  noteCallEnded(callId);
  if (visit.screen !== 'call' || visit.call?.callId !== callId) return;
  if (refusal.details.waiting === true) {
    waitAgain('waiting.endedWhileAway');
    return;
  }
  visit.call = null;
  visit.endedWhileAway = true;
  go('done');
  announce(t('call.endedWhileAway'), true);
}

/** Forgets everything about the visitor: answers, media, queue place, language choice on a kiosk. */
function resetVisit(): void {
  cleanup.splice(0).forEach((fn) => fn());
  if (connection.currentState !== 'closed') {
    void connection.request(Message.queueLeave).catch(() => undefined).finally(() => connection.stop());
  }
  stopStream(visit.stream);
  forgetVisit();
  token = null;
  catalogue = null;
  visit = fresh();
  if (kiosk) {
    localStorage.clear();
    sessionStorage.clear();
    void initI18n('hu').then(() => go(visit.screen));
  } else {
    go(visit.screen);
  }
}

async function start(): Promise<void> {
  const initial = kiosk ? 'hu' : new URLSearchParams(location.search).get('lang');
  await initI18n(initial);
  document.body.classList.toggle('kiosk', kiosk);
  document.documentElement.classList.toggle('kiosk', kiosk);
  byId('app').prepend(skipLink(), await header('citizen.appName'), connectionBanner(connection));
  onLanguageChange(() => {
    // The catalogue and the form come from the server in one language: fetch them again, keep the answers.
    catalogue = null;
    if (visit.lifeEvent) void loadCatalogue(language()).then((fresh) => {
      catalogue = fresh;
      visit.lifeEvent = fresh.lifeEvents.find((e) => e.id === visit.lifeEvent?.id) ?? null;
      visit.caseType = visit.lifeEvent?.caseTypes.find((c) => c.id === visit.caseType?.id) ?? visit.caseType;
      if (['service', 'questions'].includes(visit.screen)) render();
    });
    if (!['devices', 'call', 'waiting', 'service', 'questions'].includes(visit.screen)) render();
  });
  if (visit.link?.kind === 'appointment') {
    // The booking names its service: the questions are asked by the clerk in the call.
    const caseTypeId = visit.link.caseTypeId;
    catalogue = await loadCatalogue(language()).catch(() => null);
    visit.caseType = catalogue?.lifeEvents.flatMap((event) => event.caseTypes).find((type) => type.id === caseTypeId) ?? null;
    if (!visit.caseType) visit.link = null;
  }
  if (visit.link) visit.screen = 'devices';
  // A reloaded page of a visit that joined a queue connects again with its visit token: if the visitor is in a
  // call, the server sends its call.started and the call screen opens; if they wait, their queue.position.
  // Another call-back or appointment link opened in this tab starts that one instead.
  const saved = savedVisit();
  if (saved && (linkFromAddress() === null || linkKey(linkFromAddress()) === saved.link)) {
    token = saved.token;
    tokenExpiresAt = saved.expiresAt;
    visit.started = saved.started;
    // A visitor still waiting is told their place at once (queue.position): back to the waiting screen.
    connection.on(Message.queuePosition, resumeWaiting);
    connection.start();
  } else {
    forgetVisit();
  }
  // An expired (or foreign) visit cannot connect again: the next join starts a new visit.
  connection.on(Message.error, (message) => {
    if (message.code === ErrorCode.tokenExpired || message.code === ErrorCode.tokenInvalid) { forgetVisit(); token = null; }
  });
  if (kiosk) {
    new KioskGuard({
      idleSeconds: 90,
      warningSeconds: 30,
      // Never wipe a visitor who is waiting or talking; the finished screen clears sooner.
      canReset: () => !['welcome', 'waiting', 'call'].includes(visit.screen),
      onReset: resetVisit,
    }).start();
  }
  render();
}

void start();
