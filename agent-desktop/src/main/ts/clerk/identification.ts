// The clerk's video identification panel: the guided checklist of /api/identifications, the received
// video's resolution and frame rate measured live from getStats, stills captured from the remote video
// at its full resolution, a side-by-side zoomable comparison, MRZ entry with live ICAO 9303 check
// digits, and the result. The server decides: every step is checked there again, and a refusal is
// shown with the server's own message and figures.

import { h, replaceChildren, uniqueId } from '../shared/dom.js';
import { announce, button, field, text } from '../shared/components.js';
import { t } from '../shared/i18n.js';

export interface IdentificationPanelOptions {
  identificationApi: string;
  callId: string;
  caseId: string;
  remoteVideo: HTMLVideoElement;
  /** The call's PeerConnection, or a function giving the current one (a media reconnect replaces it). */
  peerConnection: RTCPeerConnection | (() => RTCPeerConnection | null);
  lang: string;
}

type Step = 'CONSENT' | 'RECORDING_STARTED' | 'DOCUMENT_FRONT' | 'TILT' | 'DOCUMENT_BACK' | 'STILLS' | 'SECURITY_FEATURES'
  | 'FACE_COMPARISON' | 'MRZ' | 'CODE_SENT' | 'CODE_CONFIRMED' | 'RESULT';
const STEPS: Step[] = ['CONSENT', 'RECORDING_STARTED', 'DOCUMENT_FRONT', 'TILT', 'DOCUMENT_BACK', 'STILLS', 'SECURITY_FEATURES',
  'FACE_COMPARISON', 'MRZ', 'CODE_SENT', 'CODE_CONFIRMED', 'RESULT'];
const STILL_KINDS = ['face', 'front', 'back'] as const;
type StillKind = typeof STILL_KINDS[number];
const FAILURE_REASONS = ['CITIZEN_DECLINED', 'CITIZEN_LEFT', 'DOCUMENT_NOT_ACCEPTED', 'DOCUMENT_EXPIRED',
  'SECURITY_FEATURES_NOT_CONFIRMED', 'FACE_MISMATCH', 'MRZ_INVALID', 'DATA_MISMATCH', 'CODE_NOT_CONFIRMED', 'RECORDING_FAILED',
  'SUSPECTED_FRAUD'];
const ABORT_REASONS = ['POOR_VIDEO', 'POOR_LIGHTING', 'POOR_AUDIO', 'CONNECTION_LOST', 'RECORDING_FAILED'];

interface DocumentType { id: string; name: string; mrz: 'TD1' | 'TD2' | 'TD3' | null; securityFeatures: { id: string; label: string }[] }
interface Identification {
  id: string; status: 'IN_PROGRESS' | 'ABORTED' | 'VERIFIED' | 'FAILED'; nextStep: Step; attempt: number; maxAttempts: number;
  documentType: string; tilt: string | null; abortReason: string | null; failureReason: string | null; seal: string | null;
  codeAttemptsLeft: number; review: { status: string } | null; minimums: Quality;
}
interface Quality { width: number; height: number; fps: number }
interface Refusal { code: string; message: string; details?: Record<string, unknown> }

class Refused extends Error {
  constructor(readonly refusal: Refusal) { super(refusal.message); }
}

/** The received video's frame size and rate, from the inbound video RTP stream's statistics (W3C webrtc-stats). */
async function receivedQuality(peer: RTCPeerConnection, video: HTMLVideoElement): Promise<Quality> {
  let quality: Quality = { width: video.videoWidth, height: video.videoHeight, fps: 0 };
  const report = await peer.getStats();
  report.forEach((stats: Record<string, unknown>) => {
    if (stats.type === 'inbound-rtp' && stats.kind === 'video' && typeof stats.frameWidth === 'number') {
      quality = { width: stats.frameWidth as number, height: stats.frameHeight as number, fps: Number(stats.framesPerSecond ?? 0) };
    }
  });
  return quality;
}

// ---- MRZ check digits (ICAO Doc 9303 Part 3, 4.9): weights 7, 3, 1; digits, A-Z as 10-35, '<' as 0 ----

function checkDigit(field: string): number {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    const value = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0;
    sum += value * [7, 3, 1][i % 3]!;
  }
  return sum % 10;
}

interface MrzCheck { label: string; ok: boolean }

/** Every check digit of a typed MRZ, so the clerk sees a typing slip before sending it. */
export function mrzChecks(text: string, format: 'TD1' | 'TD2' | 'TD3'): { shapeOk: boolean; checks: MrzCheck[] } {
  const lines = text.toUpperCase().split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  const length = format === 'TD1' ? 30 : format === 'TD2' ? 36 : 44;
  const count = format === 'TD1' ? 3 : 2;
  const shapeOk = lines.length === count && lines.every((line) => line.length === length && /^[A-Z0-9<]+$/.test(line));
  if (!shapeOk) return { shapeOk, checks: [] };
  const check = (label: string, value: string, digit: string): MrzCheck => ({ label, ok: digit === String(checkDigit(value)) });
  if (format === 'TD1') {
    const [l1, l2] = [lines[0]!, lines[1]!];
    return { shapeOk, checks: [
      check('documentNumber', l1.slice(5, 14), l1[14]!), check('birthDate', l2.slice(0, 6), l2[6]!),
      check('expiryDate', l2.slice(8, 14), l2[14]!),
      check('composite', l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29), l2[29]!)] };
  }
  const l2 = lines[1]!;
  const composite = format === 'TD3' ? l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43) : l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 35);
  return { shapeOk, checks: [
    check('documentNumber', l2.slice(0, 9), l2[9]!), check('birthDate', l2.slice(13, 19), l2[19]!),
    check('expiryDate', l2.slice(21, 27), l2[27]!), check('composite', composite, l2[length - 1]!)] };
}

export function mountIdentificationPanel(container: HTMLElement, opts: IdentificationPanelOptions): { destroy(): void } {
  const api = opts.identificationApi.replace(/\/+$/, '');
  let current: Identification | null = null;
  let documentTypes: DocumentType[] = [];
  let quality: Quality = { width: 0, height: 0, fps: 0 };
  let minimum: Quality = { width: 1280, height: 720, fps: 20 };
  const captured = new Map<StillKind, { url: string; figures: string }>();
  let pollTimer = 0;

  const qualityLine = h('p', { class: 'identification__quality', 'aria-live': 'off' });
  const errorLine = h('div', { class: 'notice notice--error', role: 'alert', hidden: true });
  const checklist = h('ol', { class: 'identification__checklist' });
  const stepArea = h('div', { class: 'identification__step' });
  const footer = h('div', { class: 'identification__footer' });
  const titleId = uniqueId('identification-title');
  replaceChildren(container,
    h('section', { class: 'panel identification', 'aria-labelledby': titleId },
      text('h3', 'identification.title', { class: 'heading-m', id: titleId }), qualityLine, errorLine, checklist, stepArea, footer));

  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const init: RequestInit = { method, credentials: 'same-origin', headers: { ...headers } };
    if (body instanceof Blob) {
      init.body = body;
      (init.headers as Record<string, string>)['Content-Type'] = body.type;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    const response = await fetch(`${api}${path}?lang=${encodeURIComponent(opts.lang)}`, init);
    const payload = response.status === 204 ? null : await response.json();
    if (!response.ok) throw new Refused(payload as Refusal);
    return payload as T;
  }

  function showError(error: unknown): void {
    const refusal = error instanceof Refused ? error.refusal : { code: 'internal', message: t('identification.error.network') };
    if (refusal.code === 'quality_too_low' && refusal.details) {
      minimum = { width: Number(refusal.details.minWidth), height: Number(refusal.details.minHeight), fps: Number(refusal.details.minFps) };
    }
    errorLine.hidden = false;
    errorLine.replaceChildren(h('p', { class: 'notice__text' }, refusal.message));
    announce(refusal.message, true);
  }

  async function run(action: () => Promise<Identification | void>): Promise<void> {
    errorLine.hidden = true;
    try {
      const result = await action();
      if (result) render(result);
    } catch (error) {
      showError(error);
    }
  }

  function step(name: Step, answers: Record<string, unknown> = {}): Promise<Identification> {
    return call<Identification>('POST', `/${current!.id}/steps`, { step: name, quality, answers });
  }

  // ---- live quality ----

  async function measure(): Promise<void> {
    const peer = typeof opts.peerConnection === 'function' ? opts.peerConnection() : opts.peerConnection;
    quality = peer ? await receivedQuality(peer, opts.remoteVideo) : { width: 0, height: 0, fps: 0 };
    const ok = quality.width >= minimum.width && quality.height >= minimum.height && quality.fps >= minimum.fps;
    qualityLine.className = `identification__quality ${ok ? 'identification__quality--ok' : 'identification__quality--low'}`;
    qualityLine.textContent = t(ok ? 'identification.quality.ok' : 'identification.quality.low', {
      width: quality.width, height: quality.height, fps: Math.round(quality.fps),
      minWidth: minimum.width, minHeight: minimum.height, minFps: minimum.fps });
  }
  const qualityTimer = window.setInterval(() => { void measure(); }, 1000);
  void measure();

  // ---- stills ----

  /** Draws the current frame of the received video at its own size (not the size it is shown at). */
  async function capture(kind: StillKind): Promise<void> {
    const video = opts.remoteVideo;
    const canvas = h('canvas', { width: video.videoWidth, height: video.videoHeight });
    canvas.getContext('2d')!.drawImage(video, 0, 0, video.videoWidth, video.videoHeight);
    const blob = await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('capture failed'))), 'image/jpeg', 0.92));
    await measure();
    const result = await fetch(`${api}/${current!.id}/stills/${kind}?width=${video.videoWidth}&height=${video.videoHeight}&fps=${quality.fps}`,
      { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'image/jpeg' }, body: blob });
    const payload = await result.json();
    if (!result.ok) throw new Refused(payload as Refusal);
    // A data: URL, not a blob: one: the pages' Content-Security-Policy allows images from 'self' and data: only.
    captured.set(kind, { url: canvas.toDataURL('image/jpeg', 0.92), figures: t('identification.stills.figures', {
      width: payload.width, height: payload.height, sharpness: Math.round(payload.sharpness), glare: (payload.glare * 100).toFixed(1) }) });
    announce(t('identification.stills.accepted', { kind: t(`identification.stills.${kind}`) }));
  }

  /** Two stills side by side, zoomed together with one slider (the document photo beside the live face). */
  function compare(left: StillKind, right: StillKind): HTMLElement {
    const slider = h('input', { type: 'range', min: 1, max: 4, step: 0.25, value: 1, id: uniqueId('zoom') });
    const images = [left, right].map((kind) => h('figure', { class: 'identification__figure' },
      h('div', { class: 'identification__viewport' },
        h('img', { src: captured.get(kind)?.url ?? '', alt: t(`identification.stills.${kind}`), class: 'identification__image' })),
      h('figcaption', {}, t(`identification.stills.${kind}`))));
    slider.addEventListener('input', () => {
      container.querySelectorAll<HTMLImageElement>('.identification__image').forEach((img) => { img.style.transform = `scale(${slider.value})`; });
    });
    return h('div', {}, h('div', { class: 'identification__compare' }, ...images), field(slider, t('identification.compare.zoom')).element);
  }

  // ---- rendering ----

  function confirmBox(label: string): { box: HTMLInputElement; element: HTMLElement } {
    const box = h('input', { type: 'checkbox', id: uniqueId('confirm') });
    return { box, element: field(box, label, undefined, 'checkbox').element };
  }

  function stepControls(identification: Identification): HTMLElement[] {
    const next = identification.nextStep;
    const type = documentTypes.find((d) => d.id === identification.documentType);
    const instruction = text('p', `identification.instruction.${next}`, { class: 'identification__instruction' });
    switch (next) {
      case 'CONSENT': {
        const consent = confirmBox(t('identification.consent.given'));
        return [instruction, consent.element, button('identification.complete', () => run(() =>
          consent.box.checked ? step('CONSENT', { consent: true }) : Promise.reject(new Refused({ code: 'invalid_input', message: t('identification.consent.needed') }))))];
      }
      case 'TILT': {
        const observed = confirmBox(t('identification.tilt.observed'));
        return [instruction, h('p', { class: 'identification__tilt' }, t(`identification.tilt.${identification.tilt}`)), observed.element,
          button('identification.complete', () => run(() => step('TILT', { instruction: identification.tilt, observed: observed.box.checked })))];
      }
      case 'STILLS':
        return [instruction, h('div', { class: 'identification__stills' }, ...STILL_KINDS.map((kind) => h('div', { class: 'identification__still' },
          button(`identification.stills.capture.${kind}`, () => run(async () => { await capture(kind); return current!; }), 'secondary'),
          captured.get(kind) ? h('img', { src: captured.get(kind)!.url, alt: t(`identification.stills.${kind}`), class: 'identification__thumb' }) : null,
          captured.get(kind) ? h('p', { class: 'field__hint' }, captured.get(kind)!.figures) : null))),
          button('identification.complete', () => run(() => step('STILLS')))];
      case 'SECURITY_FEATURES': {
        const boxes = (type?.securityFeatures ?? []).map((feature) => ({ feature, ...confirmBox(feature.label) }));
        return [instruction, h('div', {}, ...boxes.map((b) => b.element)), button('identification.complete', () => run(() =>
          step('SECURITY_FEATURES', { confirmed: boxes.filter((b) => b.box.checked).map((b) => b.feature.id) })))];
      }
      case 'FACE_COMPARISON': {
        const match = confirmBox(t('identification.compare.match'));
        return [instruction, compare('face', 'front'), match.element,
          button('identification.complete', () => run(() => step('FACE_COMPARISON', { match: match.box.checked })))];
      }
      case 'MRZ':
        return [instruction, ...mrzForm(type)];
      case 'CODE_SENT': {
        const email = h('input', { type: 'email', autocomplete: 'off', id: uniqueId('email') });
        return [instruction, field(email, t('identification.code.email')).element,
          button('identification.code.send', () => run(() => step('CODE_SENT', { email: email.value, language: opts.lang })))];
      }
      case 'CODE_CONFIRMED':
        return [instruction, h('p', { class: 'field__hint' }, t('identification.code.attemptsLeft', { count: identification.codeAttemptsLeft })),
          button('identification.code.resend', () => render({ ...identification, nextStep: 'CODE_SENT' }), 'secondary')];
      case 'RESULT':
        return [instruction, button('identification.result.verified', () => run(() =>
          call<Identification>('POST', `/${identification.id}/result`, { result: 'verified' })))];
      default:
        return [instruction, button('identification.complete', () => run(() => step(next)))];
    }
  }

  function mrzForm(type: DocumentType | undefined): HTMLElement[] {
    const mrz = h('textarea', { rows: 3, spellcheck: 'false', autocomplete: 'off', class: 'identification__mrz', id: uniqueId('mrz') });
    const status = h('ul', { class: 'identification__mrz-checks', 'aria-live': 'polite' });
    const inputs = ['documentNumber', 'familyName', 'givenNames', 'birthDate', 'expiryDate'].map((name) => {
      const input = h('input', { type: name.endsWith('Date') ? 'date' : 'text', autocomplete: 'off', id: uniqueId(name), name });
      return { name, input, element: field(input, t(`identification.mrz.${name}`)).element };
    });
    mrz.addEventListener('input', () => {
      if (!type?.mrz) return;
      const result = mrzChecks(mrz.value, type.mrz);
      replaceChildren(status, ...(result.shapeOk
        ? result.checks.map((check) => h('li', { class: check.ok ? 'ok' : 'bad' },
          t(check.ok ? 'identification.mrz.checkOk' : 'identification.mrz.checkBad', { field: t(`identification.mrz.check.${check.label}`) })))
        : [h('li', {}, t('identification.mrz.shape', { format: type.mrz }))]));
    });
    const submit = button('identification.complete', () => run(() => step('MRZ', {
      mrz: mrz.value, printed: Object.fromEntries(inputs.map((i) => [i.name, i.input.value])) })));
    return [...(type?.mrz ? [field(mrz, t('identification.mrz.label', { format: type.mrz })).element, status] : []),
      ...inputs.map((i) => i.element), submit];
  }

  function failAndAbort(identification: Identification, canAbort: boolean): HTMLElement {
    const reasons = (list: string[], prefix: string) => {
      const select = h('select', { id: uniqueId(prefix) });
      list.forEach((reason) => select.append(h('option', { value: reason }, t(`identification.${prefix}.${reason}`))));
      return select;
    };
    const failReason = reasons(FAILURE_REASONS, 'failure');
    const abortReason = reasons(ABORT_REASONS, 'abort');
    return h('div', { class: 'identification__actions' },
      canAbort ? field(abortReason, t('identification.abort.label')).element : null,
      canAbort ? button('identification.abort.button', () => run(() =>
        call<Identification>('POST', `/${identification.id}/abort`, { reason: abortReason.value })), 'secondary') : null,
      field(failReason, t('identification.failure.label')).element,
      button('identification.failure.button', () => run(() => call<Identification>('POST', `/${identification.id}/result`,
        { result: 'failed', reason: failReason.value })), 'warning'));
  }

  function render(identification: Identification): void {
    current = identification;
    minimum = identification.minimums;
    window.clearTimeout(pollTimer);
    const doneIndex = STEPS.indexOf(identification.nextStep);
    replaceChildren(checklist, ...STEPS.filter((s) => s !== 'RESULT').map((s, index) => {
      const state = identification.status === 'VERIFIED' || index < doneIndex ? 'done' : index === doneIndex ? 'current' : 'pending';
      return h('li', { class: `identification__item identification__item--${state}`, 'aria-current': state === 'current' ? 'step' : null },
        t(`identification.step.${s}`), h('span', { class: 'visually-hidden' }, ` – ${t(`identification.state.${state}`)}`));
    }));
    if (identification.status === 'IN_PROGRESS') {
      replaceChildren(stepArea, h('p', { class: 'field__hint' }, t('identification.attempt', { attempt: identification.attempt, max: identification.maxAttempts })),
        ...stepControls(identification));
      replaceChildren(footer, failAndAbort(identification, true));
      if (identification.nextStep === 'CODE_CONFIRMED') {
        // The citizen enters the code on their own screen; look for the answer every two seconds.
        pollTimer = window.setTimeout(() => run(() => call<Identification>('GET', `/${identification.id}`)), 2000);
      }
    } else if (identification.status === 'ABORTED') {
      replaceChildren(stepArea, h('p', {}, t('identification.aborted', { reason: t(`identification.abort.${identification.abortReason}`) })),
        button('identification.restart', () => run(() => call<Identification>('POST', `/${identification.id}/restart`))));
      replaceChildren(footer, failAndAbort(identification, false));
    } else {
      replaceChildren(stepArea, h('p', { class: `identification__result identification__result--${identification.status.toLowerCase()}` },
        identification.status === 'VERIFIED' ? t('identification.result.isVerified')
          : t('identification.result.isFailed', { reason: t(`identification.failure.${identification.failureReason}`) })),
        h('p', { class: 'field__hint' }, t('identification.result.seal', { seal: identification.seal ?? '' })),
        identification.review ? h('p', { class: 'field__hint' }, t('identification.result.review')) : null);
      replaceChildren(footer);
    }
    announce(t(`identification.step.${identification.nextStep}`));
  }

  function renderStart(): void {
    const select = h('select', { id: uniqueId('document') });
    documentTypes.forEach((d) => select.append(h('option', { value: d.id }, d.name)));
    replaceChildren(stepArea, text('p', 'identification.start.lead'), field(select, t('identification.start.document')).element,
      button('identification.start.button', () => run(() => call<Identification>('POST', '',
        { callId: opts.callId, caseId: opts.caseId, documentType: select.value }))));
  }

  void (async () => {
    try {
      documentTypes = await call<DocumentType[]>('GET', '/document-types');
      renderStart();
    } catch (error) {
      showError(error);
    }
  })();

  return {
    destroy() {
      window.clearInterval(qualityTimer);
      window.clearTimeout(pollTimer);
      container.replaceChildren();
    },
  };
}
