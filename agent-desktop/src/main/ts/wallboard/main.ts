// The supervisor wallboard: one tile per queue and a table of clerks by state, pushed by the
// server (wallboard.snapshot) with no polling, readable from across a room. A clerk in a call can
// be monitored from their row: listen, whisper (coach) or barge in, in a panel above the board.

import { byId, formatDuration, h, replaceChildren } from '../shared/dom.js';
import { announce, button, connectionBanner, header, skipLink, text } from '../shared/components.js';
import { initI18n, language, localized, onLanguageChange, t } from '../shared/i18n.js';
import { Connection, ProtocolError } from '../shared/connection.js';
import { CallMediaGrant, ClerkRow, Message, MonitorMode, QueueFigures } from '../shared/protocol.js';
import { currentUser, signInForm } from '../shared/signin.js';
import { MonitorMedia } from './monitor.js';

/** Defaults when a queue brings no thresholds: 80/20-style service level, waits of 5 and 10 minutes. */
export const DEFAULT_THRESHOLDS = { longestWaitAmberSeconds: 300, longestWaitRedSeconds: 600, serviceLevelAmber: 0.8, serviceLevelRed: 0.6 };

type Level = 'ok' | 'amber' | 'red';

export function queueLevel(queue: QueueFigures): Level {
  const limits = { ...DEFAULT_THRESHOLDS, ...(queue.thresholds ?? {}) };
  const sl = queue.serviceLevel;
  if (queue.longestWaitSeconds >= limits.longestWaitRedSeconds || (sl !== null && sl < limits.serviceLevelRed)) return 'red';
  if (queue.longestWaitSeconds >= limits.longestWaitAmberSeconds || (sl !== null && sl < limits.serviceLevelAmber)) return 'amber';
  return 'ok';
}

const connection = new Connection({ language, token: async () => null });
const wallScreen = new URLSearchParams(location.search).get('wall') !== '0';
let queues: QueueFigures[] = [];
let clerks: ClerkRow[] = [];
let updatedAt: number | null = null;
const main = () => byId('main');
/** The board is re-rendered on every snapshot; the monitoring panel beside it is not, so its video keeps playing. */
const board = h('div', { class: 'board' });
const panel = h('section', { class: 'monitor', 'aria-labelledby': 'monitor-title', hidden: true });
const MODES: MonitorMode[] = ['listen', 'whisper', 'barge'];
let monitoring: { callId: string; clerkName: string; mode: MonitorMode; media: MonitorMedia } | null = null;

function tile(queue: QueueFigures): HTMLElement {
  const level = queueLevel(queue);
  const figure = (key: string, value: string, id: string) => h('div', { class: 'tile__figure' }, h('dt', { class: 'tile__label' }, t(key)), h('dd', { class: 'tile__value', 'data-figure': id }, value));
  return h('li', { class: `tile tile--${level}`, 'data-queue': queue.queueId },
    h('h2', { class: 'tile__title' }, localized(queue.name)),
    h('p', { class: 'tile__level' }, h('span', { class: 'tile__level-mark', 'aria-hidden': 'true' }), t(`wallboard.level.${level}`)),
    h('dl', { class: 'tile__figures' },
      figure('wallboard.waiting', String(queue.waiting), 'waiting'),
      figure('wallboard.longestWait', formatDuration(queue.longestWaitSeconds), 'longest'),
      figure('wallboard.estimatedWait', queue.estimatedWaitSeconds === null ? '–' : formatDuration(queue.estimatedWaitSeconds), 'estimated'),
      figure('wallboard.serviceLevel', queue.serviceLevel === null ? '–' : `${Math.round(queue.serviceLevel * 100)}%`, 'service-level'),
      figure('wallboard.abandoned', String(queue.abandonedToday), 'abandoned')));
}

function clerkTable(): HTMLElement {
  const now = Date.now();
  const order = ['offered', 'busy', 'wrapup', 'available', 'notresponding', 'break', 'offline'];
  const rows = [...clerks].sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state) || a.sinceEpochMillis - b.sinceEpochMillis);
  const counts = order.map((state) => ({ state, count: clerks.filter((c) => c.state === state).length })).filter((c) => c.count > 0);
  return h('section', { class: 'clerks', 'aria-labelledby': 'clerks-title' },
    text('h2', 'wallboard.clerks', { class: 'heading-l', id: 'clerks-title' }),
    h('ul', { class: 'state-counts' }, ...counts.map((c) => h('li', { class: 'state-badge', 'data-state': c.state }, `${t(`state.${c.state}`)}: ${c.count}`))),
    h('table', { class: 'table' },
      h('caption', { class: 'visually-hidden' }, t('wallboard.clerksCaption')),
      h('thead', {}, h('tr', {}, ...['wallboard.clerk', 'wallboard.state', 'wallboard.timeInState', 'wallboard.queue', 'monitor.column'].map((key) => text('th', key, { scope: 'col' })))),
      h('tbody', {}, ...rows.map((clerk) => h('tr', { 'data-clerk': clerk.clerkId },
        h('th', { scope: 'row' }, clerk.name),
        h('td', {}, h('span', { class: 'state-badge', 'data-state': clerk.state }, t(`state.${clerk.state}`) + (clerk.reason ? ` · ${t(clerk.reason)}` : ''))),
        // A clerk who never signed in has no time in state (since 0): a dash, not 56 years.
        clerk.sinceEpochMillis > 0
          ? h('td', { class: 'numeric', 'data-since': clerk.sinceEpochMillis }, formatDuration((now - clerk.sinceEpochMillis) / 1000))
          : h('td', { class: 'numeric' }, '–'),
        h('td', {}, queueName(clerk.queue)),
        // A flex box inside the cell: a cell that is itself a flex box leaves the table's row layout.
        h('td', {}, clerk.callId ? h('div', { class: 'monitor-actions' }, ...monitorButtons(clerk.callId, clerk.name)) : null))))));
}

/** Listen, Whisper, Barge for one clerk's call; each names the clerk for screen readers. */
function monitorButtons(callId: string, clerkName: string): HTMLButtonElement[] {
  return MODES.map((mode) => button(`monitor.${mode}`, () => { void startMonitoring(callId, clerkName, mode); }, 'secondary', {
    class: 'button button--secondary button--small',
    'aria-label': t(`monitor.${mode}.label`, { name: clerkName }),
    'data-focus-key': `${callId}:${mode}`,
  }));
}

async function startMonitoring(callId: string, clerkName: string, mode: MonitorMode): Promise<void> {
  if (monitoring && monitoring.callId === callId) { await switchMode(mode); return; }
  if (monitoring) await leaveMonitoring();
  let reply: Record<string, unknown>;
  try {
    reply = await connection.request(Message.callMonitor, { callId, mode });
  } catch (error) {
    announce(t('monitor.failed', { reason: (error as ProtocolError).message ?? '' }), true);
    return;
  }
  const stage = h('div', { class: 'monitor__stage' });
  const media = new MonitorMedia(reply.media as CallMediaGrant, (reply.iceServers as RTCIceServer[]) ?? [], stage);
  monitoring = { callId, clerkName, mode, media };
  renderPanel(stage);
  byId('monitor-title').focus();
  try {
    await media.start();
    await media.setMode(mode);
  } catch {
    announce(t('monitor.mediaFailed'), true);
  }
}

async function switchMode(mode: MonitorMode): Promise<void> {
  const current = monitoring;
  if (!current || current.mode === mode) return;
  try {
    // Stop sending before the server widens or narrows who hears us: never a moment heard by the wrong people.
    if (mode === 'listen') await current.media.setMode(mode);
    await connection.request(Message.callMonitor, { callId: current.callId, mode });
    await current.media.setMode(mode);
    current.mode = mode;
  } catch (error) {
    announce(t('monitor.failed', { reason: (error as ProtocolError).message ?? '' }), true);
    await current.media.setMode(current.mode).catch(() => undefined);
  }
  updatePanel();
}

async function leaveMonitoring(): Promise<void> {
  const current = monitoring;
  if (!current) return;
  monitoring = null;
  current.media.close();
  panel.hidden = true;
  replaceChildren(panel);
  // The call may have ended meanwhile: nothing to leave then.
  await connection.request(Message.callMonitorEnd, { callId: current.callId }).catch(() => undefined);
  announce(t('monitor.left'));
  board.querySelector<HTMLElement>(`[data-focus-key="${current.callId}:listen"]`)?.focus();
}

function renderPanel(stage: HTMLElement): void {
  const current = monitoring!;
  const radios = MODES.map((mode) => h('div', { class: 'radio' },
    h('input', { type: 'radio', name: 'monitor-mode', id: `monitor-mode-${mode}`, value: mode, class: 'radio__input',
      onchange: (() => { void switchMode(mode); }) as EventListener }),
    h('label', { for: `monitor-mode-${mode}`, class: 'radio__label' }, t(`monitor.${mode}`))));
  replaceChildren(panel,
    h('h2', { class: 'heading-l', id: 'monitor-title', tabindex: '-1' }, t('monitor.title', { name: current.clerkName })),
    h('p', { class: 'monitor__status', id: 'monitor-status', role: 'status' }),
    stage,
    h('fieldset', { class: 'monitor__modes' }, h('legend', {}, t('monitor.mode')), ...radios),
    h('p', { class: 'monitor__hint', id: 'monitor-hint' }),
    h('div', { class: 'actions' }, button('monitor.leave', () => { void leaveMonitoring(); }, 'warning', { id: 'monitor-leave' })));
  panel.hidden = false;
  updatePanel();
}

/** The mode's radio is checked and said in words; after a barge-in the citizen knows, so there is no going back to unseen. */
function updatePanel(): void {
  const current = monitoring;
  if (!current) return;
  for (const mode of MODES) {
    const radio = panel.querySelector<HTMLInputElement>(`#monitor-mode-${mode}`);
    if (!radio) continue;
    radio.checked = mode === current.mode;
    radio.disabled = current.mode === 'barge' && mode !== 'barge';
  }
  const status = panel.querySelector<HTMLElement>('#monitor-status');
  if (status) status.textContent = t(`monitor.status.${current.mode}`);
  const hint = panel.querySelector<HTMLElement>('#monitor-hint');
  if (hint) hint.textContent = current.mode === 'barge' ? t('monitor.bargeFinal') : '';
}

/** The server names a clerk's queue by its id; the tiles know its name in the board's language. */
function queueName(queueId: string | undefined): string {
  const queue = queues.find((q) => q.queueId === queueId);
  return queue ? localized(queue.name) : queueId ?? '';
}

function render(): void {
  document.body.dataset.view = 'board';
  if (!board.isConnected) replaceChildren(main(), panel, board);
  // A keyboard user's focus survives the pushed snapshot that replaces the button it was on.
  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
  replaceChildren(board,
    h('h1', { class: 'visually-hidden' }, t('wallboard.title')),
    h('div', { class: 'board__meta' },
      h('p', { class: 'board__updated', role: 'status' }, updatedAt ? t('wallboard.updated', { time: new Date(updatedAt).toLocaleTimeString(language()) }) : t('wallboard.waitingForData'))),
    h('section', { class: 'queues', 'aria-labelledby': 'queues-title' },
      text('h2', 'wallboard.queues', { class: 'heading-l', id: 'queues-title' }),
      queues.length ? h('ul', { class: 'tiles' }, ...queues.map(tile)) : text('p', 'wallboard.noQueues')),
    clerkTable());
  if (focusKey) board.querySelector<HTMLElement>(`[data-focus-key="${focusKey}"]`)?.focus();
}

connection.on(Message.wallboardSnapshot, (message) => {
  queues = (message.queues as QueueFigures[]) ?? [];
  clerks = (message.clerks as ClerkRow[]) ?? [];
  updatedAt = Date.now();
  render();
});
/** The monitored call is over for us: the call ended, or the server ended our monitor because our media was lost. */
function monitoringOver(callId: unknown, key: string): void {
  if (!monitoring || callId !== monitoring.callId) return;
  monitoring.media.close();
  monitoring = null;
  replaceChildren(panel, h('p', { class: 'notice', role: 'status' }, t(key)),
    button('monitor.close', () => { panel.hidden = true; replaceChildren(panel); }, 'secondary'));
}
connection.on(Message.callEnded, (message) => monitoringOver(message.callId, 'monitor.callEnded'));
connection.on(Message.callMonitorEnded, (message) => monitoringOver(message.callId, 'monitor.mediaLost'));
// Subscribing again after every (re)connect, resumed or not: the node now serving us may not know it.
const subscribe = () => { void connection.request(Message.wallboardSubscribe).then(dispatchSnapshot).catch(() => undefined); };
connection.on(Message.welcome, subscribe);
connection.on(Message.resumed, subscribe);

function dispatchSnapshot(snapshot: Record<string, unknown>): void {
  if (!Array.isArray(snapshot.queues)) return;
  queues = snapshot.queues as QueueFigures[];
  clerks = (snapshot.clerks as ClerkRow[]) ?? [];
  updatedAt = Date.now();
  render();
}

async function start(): Promise<void> {
  await initI18n();
  document.body.classList.toggle('wall', wallScreen);
  const clock = h('p', { class: 'board__clock', 'aria-hidden': 'true' });
  const tickClock = () => { clock.textContent = new Date().toLocaleTimeString(language(), { hour: '2-digit', minute: '2-digit' }); };
  tickClock();
  window.setInterval(() => {
    tickClock();
    // Only the times move each second; re-rendering the board would disturb screen readers.
    document.querySelectorAll<HTMLElement>('[data-since]').forEach((cell) => { cell.textContent = formatDuration((Date.now() - Number(cell.dataset.since)) / 1000); });
  }, 1000);
  byId('app').prepend(skipLink(), await header('wallboard.appName', clock), connectionBanner(connection));
  onLanguageChange(() => { tickClock(); if (connection.currentState !== 'closed') render(); });
  const showSignIn = () => replaceChildren(main(), h('div', { class: 'screen screen--narrow' }, signInForm(() => { connection.start(); render(); })));
  connection.onState((now) => { if (now === 'ended') showSignIn(); });
  if (await currentUser()) {
    connection.start();
    render();
  } else {
    showSignIn();
  }
}

void start();
