// The supervisor wallboard: one tile per queue and a table of clerks by state, pushed by the
// server (wallboard.snapshot) with no polling, readable from across a room.

import { byId, formatDuration, h, replaceChildren } from '../shared/dom.js';
import { connectionBanner, header, skipLink, text } from '../shared/components.js';
import { initI18n, language, localized, onLanguageChange, t } from '../shared/i18n.js';
import { Connection } from '../shared/connection.js';
import { ClerkRow, Message, QueueFigures } from '../shared/protocol.js';
import { currentUser, signInForm } from '../shared/signin.js';

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
      h('thead', {}, h('tr', {}, ...['wallboard.clerk', 'wallboard.state', 'wallboard.timeInState', 'wallboard.queue'].map((key) => text('th', key, { scope: 'col' })))),
      h('tbody', {}, ...rows.map((clerk) => h('tr', { 'data-clerk': clerk.clerkId },
        h('th', { scope: 'row' }, clerk.name),
        h('td', {}, h('span', { class: 'state-badge', 'data-state': clerk.state }, t(`state.${clerk.state}`) + (clerk.reason ? ` · ${t(clerk.reason)}` : ''))),
        // A clerk who never signed in has no time in state (since 0): a dash, not 56 years.
        clerk.sinceEpochMillis > 0
          ? h('td', { class: 'numeric', 'data-since': clerk.sinceEpochMillis }, formatDuration((now - clerk.sinceEpochMillis) / 1000))
          : h('td', { class: 'numeric' }, '–'),
        h('td', {}, queueName(clerk.queue)))))));
}

/** The server names a clerk's queue by its id; the tiles know its name in the board's language. */
function queueName(queueId: string | undefined): string {
  const queue = queues.find((q) => q.queueId === queueId);
  return queue ? localized(queue.name) : queueId ?? '';
}

function render(): void {
  document.body.dataset.view = 'board';
  replaceChildren(main(),
    h('h1', { class: 'visually-hidden' }, t('wallboard.title')),
    h('div', { class: 'board__meta' },
      h('p', { class: 'board__updated', role: 'status' }, updatedAt ? t('wallboard.updated', { time: new Date(updatedAt).toLocaleTimeString(language()) }) : t('wallboard.waitingForData'))),
    h('section', { class: 'queues', 'aria-labelledby': 'queues-title' },
      text('h2', 'wallboard.queues', { class: 'heading-l', id: 'queues-title' }),
      queues.length ? h('ul', { class: 'tiles' }, ...queues.map(tile)) : text('p', 'wallboard.noQueues')),
    clerkTable());
}

connection.on(Message.wallboardSnapshot, (message) => {
  queues = (message.queues as QueueFigures[]) ?? [];
  clerks = (message.clerks as ClerkRow[]) ?? [];
  updatedAt = Date.now();
  render();
});
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
