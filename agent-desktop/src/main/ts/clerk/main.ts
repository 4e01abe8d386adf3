// The clerk desktop: sign in, set a state, answer the ringing offer, serve the citizen on video with
// the pre-filled answers and the case form, have the citizen confirm, submit, wrap up. A clerk may invite
// an interpreter (spoken or sign language) as the call's third participant; interpreters use this desktop
// too: their offers name the kind of interpreting, and their call has the videos and the chat, not the case.

import { byId, formatDuration, h, replaceChildren } from '../shared/dom.js';
import { announce, button, connectionBanner, dialog, field, header, skipLink, text, toggleButton } from '../shared/components.js';
import { initI18n, language, languageName, onLanguageChange, t } from '../shared/i18n.js';
import { Connection, ProtocolError } from '../shared/connection.js';
import { CallMediaGrant, CaseView, ClerkStateName, Envelope, ErrorCode, Message, Rest } from '../shared/protocol.js';
import { Data, FieldError, FormView, renderForm, RenderedForm } from '../shared/forms.js';
import { loadForm } from '../shared/catalogue.js';
import { CallMedia, deviceProblem, openCamera, playChime, stopStream } from '../shared/media.js';
import { callHasEnded, callIsOver, checkCallAfterReconnect, noteCallEnded, renewMedia } from '../shared/call.js';
import { realTimeText } from '../shared/chat.js';
import { currentUser, signInForm, signOut, StaffUser } from '../shared/signin.js';
import { mountIdentificationPanel } from './identification.js';

interface Offer { offerId: string; kind: string; caseTypeName: string; language: string; waitedSeconds: number; ringSeconds: number }
interface Call {
  callId: string;
  /** clerk, or interpreter when this desktop joined someone else's call as its interpreter. */
  role: string;
  caseId: string;
  caseTypeId: string;
  formVersion: number;
  language: string;
  citizenName: string | null;
  media: CallMediaGrant;
  iceServers: RTCIceServer[];
  videoIdentification: boolean;
  recording: boolean;
  recordingConsent: boolean;
  form: FormView | null;
  /** The case as the server last told it (case.state, case.saved, case.changed). */
  case: CaseView | null;
  problem: string | null;
}

const connection = new Connection({ language, token: async () => null });
let user: StaffUser | null = null;
let state: ClerkStateName = 'offline';
let stateSince = Date.now();
/** The since of the newest clerk.state from the server: an older one (a read overtaken by a push) changes nothing. */
let serverSince = -Infinity;
/** The call ended while the desktop was disconnected: said on the wrap-up or idle view until the clerk acts. */
let endedWhileAway = false;
let reason = '';
let call: Call | null = null;
let caseForm: RenderedForm | null = null;
let media: CallMedia | null = null;
let camera: MediaStream | null = null;
let wrapUpSeconds = 0;
let offer: Offer | null = null;
let ringTimer = 0;
let clockTimer = 0;
let signOutButton: HTMLButtonElement | null = null;

const main = () => byId('main');
const stateBadge = h('span', { class: 'state-badge', id: 'clerk-state', 'data-state': 'offline' });
const stateClock = h('span', { class: 'state-clock', 'aria-hidden': 'true' });

const breakReasons = ['break.lunch', 'break.short', 'break.training', 'break.meeting'];

// --- shortcuts -----------------------------------------------------------------------------

const shortcuts: Array<{ keys: string; key: string; label: string; run: () => void }> = [
  { keys: 'Alt+A', key: 'a', label: 'shortcut.accept', run: () => offer && respond(Message.offerAccept) },
  { keys: 'Alt+D', key: 'd', label: 'shortcut.decline', run: () => offer && respond(Message.offerDecline) },
  { keys: 'Alt+M', key: 'm', label: 'shortcut.mute', run: () => document.querySelector<HTMLButtonElement>('#toggle-mute')?.click() },
  { keys: 'Alt+V', key: 'v', label: 'shortcut.camera', run: () => document.querySelector<HTMLButtonElement>('#toggle-camera')?.click() },
  { keys: 'Alt+E', key: 'e', label: 'shortcut.end', run: () => call && endCall() },
  { keys: 'Alt+R', key: 'r', label: 'shortcut.ready', run: () => setState('available') },
  { keys: 'Alt+B', key: 'b', label: 'shortcut.break', run: () => setState('break', breakReasons[1]) },
];

const shortcutList = () => h('dl', { class: 'shortcut-list' }, ...shortcuts.flatMap((s) => [h('dt', {}, h('kbd', {}, s.keys)), text('dd', s.label)]));
const help = dialog('shortcut.title', { onCancel: () => help.close() });
help.body.append(shortcutList(),
  h('div', { class: 'actions' }, button('dialog.close', () => help.close(), 'secondary')));

document.addEventListener('keydown', (event) => {
  if (!user) return;
  if (event.altKey && !event.ctrlKey && !event.metaKey) {
    const shortcut = shortcuts.find((s) => s.key === event.key.toLowerCase());
    if (shortcut) { event.preventDefault(); shortcut.run(); }
  } else if (event.key === '?' && !(event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement)) {
    help.open();
  }
});

// --- state ---------------------------------------------------------------------------------

async function setState(next: ClerkStateName, why?: string): Promise<void> {
  endedWhileAway = false;
  try {
    const reply = await connection.request(Message.clerkState, { state: next, ...(why ? { reason: why } : {}) });
    if (reply.type === Message.clerkState) applyState(reply);
  } catch (error) {
    announce(t('clerk.stateFailed', { code: (error as ProtocolError).code }), true);
  }
}

function showState(next: ClerkStateName, since: number, why: string): void {
  const changed = next !== state;
  state = next;
  stateSince = since;
  reason = why;
  stateBadge.dataset.state = next;
  stateBadge.textContent = t(`state.${next}`) + (why ? ` · ${t(why)}` : '');
  tickClock();
  if (changed) announce(t('clerk.stateNow', { state: t(`state.${next}`) }));
  if (next !== 'offered') closeOffer();
  // The call view stays until the call ends, whatever the state says meanwhile.
  if (!call && (changed || next === 'wrapup')) render();
}

function tickClock(): void {
  const seconds = (Date.now() - stateSince) / 1000;
  stateClock.textContent = formatDuration(seconds);
  const wrapClock = document.getElementById('wrapup-clock');
  if (wrapClock) {
    const left = wrapUpSeconds - seconds;
    wrapClock.textContent = formatDuration(Math.abs(left));
    wrapClock.dataset.over = String(left < 0);
  }
}

// --- offer ---------------------------------------------------------------------------------

const offerDialog = dialog('offer.title', { role: 'alertdialog', className: 'dialog--offer' });

function showOffer(message: Envelope): void {
  offer = {
    offerId: String(message.offerId), kind: String(message.kind ?? 'citizen'), caseTypeName: String(message.caseTypeName ?? message.caseTypeId ?? ''), language: String(message.language ?? ''),
    waitedSeconds: Number(message.waitedSeconds ?? 0), ringSeconds: Number(message.ringSeconds ?? 20),
  };
  const ring = h('progress', { class: 'offer__ring', max: offer.ringSeconds, value: offer.ringSeconds, 'aria-label': t('offer.ringing') });
  replaceChildren(offerDialog.body,
    h('div', { class: 'offer__pulse', 'aria-hidden': 'true' }),
    h('dl', { class: 'summary-list summary-list--compact' },
      offer.kind === 'citizen' ? null : text('dt', 'offer.kind'),
      offer.kind === 'citizen' ? null : h('dd', { id: 'offer-kind' }, t(`offer.kind.${offer.kind}`)),
      text('dt', 'offer.caseType'), h('dd', { id: 'offer-case-type' }, offer.caseTypeName),
      text('dt', 'offer.language'), h('dd', {}, languageName(offer.language)),
      text('dt', 'offer.waited'), h('dd', {}, formatDuration(offer.waitedSeconds))),
    ring,
    h('div', { class: 'actions' },
      button('offer.accept', () => respond(Message.offerAccept), 'primary', { 'aria-keyshortcuts': 'Alt+A', id: 'offer-accept' }),
      button('offer.decline', () => respond(Message.offerDecline), 'secondary', { 'aria-keyshortcuts': 'Alt+D' })));
  offerDialog.open();
  announce(t('offer.announce', { caseType: offer.caseTypeName }), true);
  playChime(3);
  let left = offer.ringSeconds;
  window.clearInterval(ringTimer);
  ringTimer = window.setInterval(() => {
    left -= 1;
    ring.value = Math.max(0, left);
    if (left > 0 && left % 4 === 0) playChime();
    if (left <= 0) closeOffer();
  }, 1000);
}

function closeOffer(): void {
  window.clearInterval(ringTimer);
  offer = null;
  if (offerDialog.element.open) offerDialog.close();
}

function respond(type: string): void {
  if (!offer) return;
  const offerId = offer.offerId;
  closeOffer();
  void connection.request(type, { offerId }).catch((error: ProtocolError) => announce(t('offer.failed', { code: error.code }), true));
}

// --- call ----------------------------------------------------------------------------------

async function startCall(message: Envelope): Promise<void> {
  const current: Call = {
    callId: String(message.callId), role: String(message.role ?? 'clerk'), caseId: String(message.caseId ?? ''),
    caseTypeId: String(message.caseTypeId ?? ''), formVersion: Number(message.formVersion ?? 1), language: String(message.language ?? 'hu'),
    citizenName: typeof message.citizenName === 'string' ? message.citizenName : null,
    media: message.media as CallMediaGrant, iceServers: Array.isArray(message.iceServers) ? (message.iceServers as RTCIceServer[]) : [],
    videoIdentification: message.videoIdentification === true, recording: message.recording === true, recordingConsent: message.recordingConsent === true,
    form: null, case: null, problem: null,
  };
  call = current;
  endedWhileAway = false;
  const stopChecking = checkCallAfterReconnect(connection, current.callId, () => callOver(current.callId));
  window.addEventListener('ablak:call-ended', stopChecking, { once: true });
  // The form and the case (with the citizen's pre-call answers) load while the camera starts; an interpreter has no case to read.
  const loading = current.role === 'interpreter' ? Promise.resolve() : Promise.all([
    loadForm(current.caseTypeId, current.formVersion, language()),
    connection.request(Message.caseWatch, { caseId: current.caseId, reason: accessReason(current), lang: language() }),
  ]).then(([form, state]) => { current.form = form; current.case = state as unknown as CaseView; })
    .catch((error: unknown) => { current.problem = error instanceof ProtocolError ? error.code : String(error); });
  try {
    camera ??= await openCamera();
  } catch (error) {
    announce(t(`${deviceProblem(error)}.title`), true);
  }
  await loading;
  if (call === current) render();
}

/** What the audit trail records for every read and write of the case during the call. */
function accessReason(current: Call): string {
  return `video call ${current.callId}`;
}

function endCall(): void {
  if (!call) return;
  void connection.request(Message.callEnd, { callId: call.callId }).catch(() => undefined);
}

function callView(current: Call): HTMLElement {
  const remote = h('video', { class: 'call__remote', autoplay: true, playsinline: true, 'aria-label': t('call.remoteVideoCitizen') });
  const self = h('video', { class: 'call__self', autoplay: true, muted: true, playsinline: true, 'aria-label': t('call.selfVideo') });
  const thirdVideo = h('video', { class: 'call__third', id: 'third-video', autoplay: true, playsinline: true, hidden: true,
    'aria-label': t(current.role === 'interpreter' ? 'call.thirdVideoOther' : 'call.thirdVideoInterpreter') });
  const supervisorVideo = h('video', { class: 'call__third', id: 'supervisor-video', autoplay: true, playsinline: true, hidden: true,
    'aria-label': t('call.supervisorVideo') });
  self.srcObject = camera;
  media?.close();
  media = camera ? new CallMedia(current.media, camera, remote, current.iceServers, () => renewMedia(connection, current.callId), thirdVideo,
    supervisorVideo, { onReconnectFailed: (error) => (callIsOver(error) ? callOver(current.callId) : announce(t('call.mediaFailed'), true)) }) : null;
  const participants = h('p', { class: 'hint', id: 'call-participants', role: 'status' });
  const offParticipants = connection.on(Message.callParticipants, (message) => {
    if (message.callId !== current.callId) return;
    const list = Array.isArray(message.participants) ? (message.participants as Array<Record<string, unknown>>) : [];
    const interpreter = list.find((p) => p.role === 'interpreter');
    // For the interpreter, the third video is the other party: shown while both are there.
    thirdVideo.hidden = current.role === 'interpreter' ? list.filter((p) => p.role !== 'supervisor').length < 3 : !interpreter;
    supervisorVideo.hidden = !list.some((p) => p.role === 'supervisor');
    participants.textContent = interpreter
      ? t('call.interpreterJoined', { kind: t(`offer.kind.${String(interpreter.kind)}`), language: languageName(String(interpreter.language)) })
      : message.invite ? t('call.inviteSent') : '';
  });
  if (current.role === 'interpreter') return interpreterView(current, remote, self, [thirdVideo, supervisorVideo], participants, offParticipants);
  const quality = h('p', { class: 'call__quality', role: 'status', 'data-quality': 'unknown' }, t('call.quality.unknown'));
  media?.watchQuality((value) => { quality.dataset.quality = value; quality.textContent = t(`call.quality.${value}`); });
  void media?.start().catch(() => announce(t('call.mediaFailed'), true));
  const recording = h('p', { class: 'call__recording', hidden: !current.recording }, h('span', { class: 'dot', 'aria-hidden': 'true' }), t('call.recording'));
  const chat = realTimeText(connection, current.callId, 'chat.me', 'chat.citizen');

  caseForm = current.form ? renderForm(current.form, { idPrefix: 'case' }) : null;
  caseForm?.setData(current.case?.data ?? {});
  // What the citizen answered before the call, as they said it, beside the form the clerk completes.
  const precall = new Set(current.form?.ui.groups.flatMap((g) => g.elements.filter((e) => e.precall).map((e) => e.field)) ?? []);
  const answered = caseForm?.describe().filter((line) => precall.has(line.field)) ?? [];
  const caseStatus = h('div', { class: 'case-status', role: 'status', id: 'case-status' });
  const saveStatus = h('p', { class: 'hint', id: 'case-save-status', 'aria-live': 'off' });
  const problem = (key: string, params: Record<string, string> = {}) =>
    caseStatus.replaceChildren(h('p', { class: 'notice notice--error' }, t(key, params)));
  const refused = (error: ProtocolError) => {
    const errors = Array.isArray(error.details.errors) ? (error.details.errors as FieldError[]) : [];
    if (errors.length) caseForm?.showErrors(errors);
    if (error.code === ErrorCode.invalidFormData) problem('case.invalid', { message: error.message });
    else problem('case.submitFailed', { code: error.code });
  };
  const saves = autosave(current, saveStatus, refused);
  if (current.problem) problem('case.submitFailed', { code: current.problem });

  let submitKey: string | null = null;
  const submit = button('case.submit', () => {
    if (!current.case) return;
    // One key per confirmed version: a retried click after a lost reply submits nothing twice.
    submitKey ??= crypto.randomUUID();
    void connection.request(Message.caseSubmit, { caseId: current.caseId, idempotencyKey: submitKey, reason: accessReason(current), lang: language() })
      .then((reply) => {
        const view = reply.caseView as CaseView;
        current.case = view;
        submit.disabled = true;
        review.disabled = true;
        caseForm?.setReadOnly(true);
        caseStatus.replaceChildren(h('p', { class: 'notice notice--success' }, t('case.submitted', { number: String(view.caseNumber) })));
        announce(t('case.submitted', { number: String(view.caseNumber) }));
      })
      .catch(refused);
  }, 'primary', { disabled: true, id: 'case-submit' });
  const review = button('case.review', () => {
    if (!caseForm || caseForm.validate().length) return;
    void saves.flush()
      .then((view) => connection.request(Message.caseReview, { callId: current.callId, caseId: current.caseId, version: view.version }))
      .then(() => caseStatus.replaceChildren(h('p', {}, t('case.waitingForCitizen'))))
      .catch(refused);
  }, 'secondary');
  const offChanged = connection.on(Message.caseChanged, (message) => {
    const view = message as unknown as CaseView;
    if (view.id !== current.caseId) return;
    if (!current.case || view.version >= current.case.version) current.case = view;
    const confirmed = view.status === 'CONFIRMED' && view.confirmedVersion === view.version;
    if (confirmed && submit.disabled && view.status !== 'SUBMITTED') {
      submit.disabled = false;
      caseStatus.replaceChildren(h('p', { class: 'notice notice--success' }, t('case.citizenConfirmed')));
      announce(t('case.citizenConfirmed'));
    } else if (view.status === 'DRAFT') {
      submit.disabled = true;
      submitKey = null;
    }
  });
  caseForm?.onChange((data) => {
    submit.disabled = true; // saving a confirmed case returns it to DRAFT: the citizen confirms again
    saves.change(data);
  });
  // Recording needs the citizen's consent, given before they joined; the server refuses without it too.
  const record = button('call.recordStart', () => {
    void connection.request(Message.callRecording, { callId: current.callId, recording: !current.recording })
      .catch((e: ProtocolError) => announce(t('call.recordFailed', { code: e.code }), true));
  }, 'secondary', { id: 'toggle-recording', disabled: !current.recordingConsent, title: current.recordingConsent ? '' : t('call.recordNoConsent') });
  const showRecording = (on: boolean) => {
    current.recording = on;
    recording.hidden = !on;
    record.textContent = t(on ? 'call.recordStop' : 'call.recordStart');
    record.dataset.i18n = on ? 'call.recordStop' : 'call.recordStart';
  };
  showRecording(current.recording);
  const offRecording = connection.on(Message.callRecording, (message) => showRecording(message.recording === true));
  // For case types that need it, the identification checklist on the citizen's received video.
  const identificationArea = h('div', { id: 'identification-panel' });
  const identification = current.videoIdentification ? mountIdentificationPanel(identificationArea, { identificationApi: Rest.identifications,
    callId: current.callId, caseId: current.caseId, remoteVideo: remote, peerConnection: () => media?.peerConnection ?? null, lang: language() }) : null;
  window.addEventListener('ablak:call-ended', () => { offChanged(); offRecording(); offParticipants(); chat.close(); saves.stop(); identification?.destroy(); }, { once: true });

  const invite = dialog('call.inviteTitle', { onCancel: () => invite.close() });
  const kind = h('select', { id: 'invite-kind', class: 'select' },
    h('option', { value: 'sign-language' }, t('call.inviteSignLanguage')), h('option', { value: 'interpreter' }, t('call.inviteInterpreter')));
  const inviteLanguage = h('select', { id: 'invite-language', class: 'select' },
    ...['hu', 'en', 'de'].map((code) => h('option', { value: code }, languageName(code))));
  inviteLanguage.value = current.language;
  const kindField = field(kind, t('call.inviteKind'));
  invite.body.append(kindField.element, field(inviteLanguage, t('call.inviteLanguage')).element, h('div', { class: 'actions' },
    button('call.inviteSend', () => {
      kindField.setError(null);
      void connection.request(Message.callInvite, { callId: current.callId, kind: kind.value, language: inviteLanguage.value })
        .then(() => { invite.close(); participants.textContent = t('call.inviteSent'); announce(t('call.inviteSent')); })
        .catch((e: ProtocolError) => kindField.setError(t(e.code === 'no_interpreter' ? 'call.noInterpreter' : 'offer.failed', { code: e.code })));
    }, 'primary', { id: 'invite-send' }),
    button('dialog.close', () => invite.close(), 'secondary')));
  const transfer = dialog('call.transferTitle', { onCancel: () => transfer.close() });
  const queue = h('input', { id: 'transfer-queue', class: 'input' });
  const queueField = field(queue, t('call.transferQueue'));
  transfer.body.append(queueField.element, h('div', { class: 'actions' },
    button('call.transferSend', () => {
      if (!queue.value.trim()) { queueField.setError(t('validation.required')); return; }
      void connection.request(Message.callTransfer, { callId: current.callId, queueId: queue.value.trim() }).then(() => transfer.close()).catch((e: ProtocolError) => queueField.setError(t('offer.failed', { code: e.code })));
    }), button('dialog.close', () => transfer.close(), 'secondary')));

  return h('div', { class: 'desk-call' },
    h('h1', { class: 'visually-hidden', tabindex: -1 }, t('clerk.inCall')),
    h('section', { class: 'desk-call__media', 'aria-label': t('call.video') },
      h('div', { class: 'call__stage' }, remote, self, thirdVideo, supervisorVideo, h('div', { class: 'call__badges' }, recording, quality)),
      participants,
      h('div', { class: 'call__controls', role: 'toolbar', 'aria-label': t('call.controls') },
        toggleButton('call.mute', (on) => media?.setMuted(on), { id: 'toggle-mute', 'aria-keyshortcuts': 'Alt+M' }),
        toggleButton('call.cameraOff', (on) => media?.setCameraOff(on), { id: 'toggle-camera', 'aria-keyshortcuts': 'Alt+V' }),
        record,
        button('call.invite', () => invite.open(), 'secondary', { id: 'call-invite' }),
        button('call.transfer', () => transfer.open(), 'secondary'),
        button('call.end', endCall, 'warning', { 'aria-keyshortcuts': 'Alt+E' })),
      chat.element),
    h('section', { class: 'desk-call__case', 'aria-labelledby': 'case-title' },
      h('h2', { class: 'heading-l', id: 'case-title' }, t('case.title')),
      current.citizenName ? h('p', { class: 'caption', id: 'citizen-name' }, current.citizenName) : null,
      h('details', { class: 'panel panel--tinted', open: true },
        text('summary', 'case.answers'),
        answered.length
          ? h('dl', { class: 'summary-list summary-list--compact' }, ...answered.flatMap((line) => [h('dt', {}, line.label), h('dd', {}, line.value)]))
          : text('p', 'case.noAnswers')),
      identificationArea,
      caseForm?.element ?? text('p', 'case.noForm'),
      saveStatus,
      caseStatus,
      h('div', { class: 'actions' }, review, submit)));
}

/** The interpreter's side of a call: both other participants on video, the chat, and leaving (the call goes on). */
function interpreterView(current: Call, remote: HTMLVideoElement, self: HTMLVideoElement, [thirdVideo, supervisorVideo]: HTMLVideoElement[],
  participants: HTMLElement, offParticipants: () => void): HTMLElement {
  thirdVideo!.hidden = false;
  void media?.start().catch(() => announce(t('call.mediaFailed'), true));
  const chat = realTimeText(connection, current.callId, 'chat.me', 'chat.citizen');
  window.addEventListener('ablak:call-ended', () => { offParticipants(); chat.close(); }, { once: true });
  return h('div', { class: 'desk-call desk-call--interpreter' },
    h('h1', { class: 'heading-l', tabindex: -1 }, t('call.interpreting')),
    h('section', { class: 'desk-call__media', 'aria-label': t('call.video') },
      h('div', { class: 'call__stage' }, remote, self, thirdVideo!, supervisorVideo!),
      participants,
      h('div', { class: 'call__controls', role: 'toolbar', 'aria-label': t('call.controls') },
        toggleButton('call.mute', (on) => media?.setMuted(on), { id: 'toggle-mute', 'aria-keyshortcuts': 'Alt+M' }),
        toggleButton('call.cameraOff', (on) => media?.setCameraOff(on), { id: 'toggle-camera', 'aria-keyshortcuts': 'Alt+V' }),
        button('call.leaveInterpreting', endCall, 'warning', { 'aria-keyshortcuts': 'Alt+E' })),
      chat.element));
}

interface Autosave {
  change(data: Data): void;
  /** Saves what is pending now and resolves with the case as saved. */
  flush(): Promise<CaseView>;
  stop(): void;
}

/**
 * Autosave with case.save, 600 ms after the last change, one save at a time, always from the version
 * last seen. When someone else saved first (version_conflict) the clerk's whole form is saved again
 * on top of the case's current version: the clerk is the one editing during the call.
 */
function autosave(current: Call, status: HTMLElement, refused: (error: ProtocolError) => void): Autosave {
  let pending: Data | null = null;
  let timer = 0;
  let running: Promise<CaseView> | null = null;
  const save = async (data: Data): Promise<CaseView> => {
    const request = () => connection.request(Message.caseSave, {
      caseId: current.caseId, expectedVersion: current.case?.version ?? 0, data, reason: accessReason(current), lang: language(),
    });
    let reply: Envelope;
    try {
      reply = await request();
    } catch (error) {
      if (!(error instanceof ProtocolError && error.code === ErrorCode.versionConflict)) throw error;
      const latest = await connection.request(Message.caseWatch, { caseId: current.caseId, reason: accessReason(current), lang: language() });
      current.case = latest as unknown as CaseView;
      announce(t('case.versionConflict'));
      reply = await request();
    }
    current.case = reply as unknown as CaseView;
    status.textContent = t('case.saved', { time: new Date().toLocaleTimeString(language(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }) });
    return current.case;
  };
  const run = (): Promise<CaseView> => {
    window.clearTimeout(timer);
    const previous = running ?? Promise.resolve(current.case!);
    running = previous.catch(() => current.case!).then(() => {
      if (pending === null) return current.case!;
      const data = pending;
      pending = null;
      return save(data);
    });
    running.catch(refused);
    return running;
  };
  return {
    change(data) {
      pending = data;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => { void run(); }, 600);
    },
    flush: run,
    stop() { window.clearTimeout(timer); },
  };
}

function wrapUpView(): HTMLElement {
  const disposition = h('select', { id: 'disposition', class: 'select' },
    ...['resolved', 'follow-up', 'referred', 'no-show', 'technical'].map((d) => h('option', { value: d }, t(`disposition.${d}`))));
  return h('section', { class: 'panel wrapup' },
    h('h1', { class: 'heading-l', tabindex: -1 }, t('wrapup.title')),
    endedWhileAwayNotice(),
    h('p', { class: 'wrapup__clock-label' }, t('wrapup.timeLeft')),
    h('p', { class: 'wrapup__clock', id: 'wrapup-clock', role: 'timer', 'aria-live': 'off' }, formatDuration(wrapUpSeconds)),
    field(disposition, t('wrapup.disposition')).element,
    h('div', { class: 'actions' }, button('wrapup.done', () => {
      endedWhileAway = false;
      void connection.request(Message.wrapUpDone, { disposition: disposition.value }).catch((e: ProtocolError) => announce(t('clerk.stateFailed', { code: e.code }), true));
    }, 'primary', { 'aria-keyshortcuts': 'Alt+R' })));
}

function endedWhileAwayNotice(): HTMLElement | null {
  return endedWhileAway ? h('div', { class: 'notice notice--warning', id: 'call-ended-away' }, text('p', 'call.endedWhileAway')) : null;
}

function idleView(): HTMLElement {
  const why = h('select', { id: 'break-reason', class: 'select' }, ...breakReasons.map((r) => h('option', { value: r }, t(r))));
  if (reason) why.value = reason;
  return h('div', { class: 'desk-idle' },
    h('section', { class: 'panel desk-idle__state' },
      h('h1', { class: 'heading-l', tabindex: -1 }, t('clerk.hello', { name: user?.name ?? '' })),
      endedWhileAwayNotice(),
      h('p', { class: 'lead' }, t(`clerk.state.${state}`)),
      h('div', { class: 'actions' },
        button('clerk.goAvailable', () => { void setState('available'); }, 'primary', { 'aria-keyshortcuts': 'Alt+R', disabled: state === 'available' }),
        button('clerk.goOffline', () => { void setState('offline'); }, 'quiet', { disabled: state === 'offline' }))),
    h('section', { class: 'panel' },
      text('h2', 'clerk.breakTitle', { class: 'heading-m' }),
      field(why, t('clerk.breakReason')).element,
      h('div', { class: 'actions' }, button('clerk.goBreak', () => { void setState('break', why.value); }, 'secondary', { 'aria-keyshortcuts': 'Alt+B' }))),
    h('section', { class: 'panel' },
      text('h2', 'shortcut.title', { class: 'heading-m' }),
      shortcutList(),
      text('p', 'shortcut.hint', { class: 'hint' })));
}

function render(): void {
  if (signOutButton) signOutButton.hidden = !user;
  document.querySelector<HTMLElement>('.state-indicator')?.toggleAttribute('hidden', !user);
  if (!user) {
    replaceChildren(main(), h('div', { class: 'screen screen--narrow' }, signInForm((signedIn) => { void signedInAs(signedIn); })));
    return;
  }
  const content = call ? callView(call) : state === 'wrapup' ? wrapUpView() : idleView();
  replaceChildren(main(), content);
  document.body.dataset.view = call ? 'call' : state === 'wrapup' ? 'wrapup' : 'idle';
  main().querySelector<HTMLElement>('h1')?.focus();
}

async function signedInAs(signedIn: StaffUser): Promise<void> {
  user = signedIn;
  serverSince = -Infinity;
  connection.stop();
  connection.start();
  render();
}

/**
 * The server pushes the clerk's state on every change and once on each (re)connection (docs/protocol.md,
 * "clerk.state"); that read may arrive after a newer push, so the newest since wins.
 */
function applyState(message: Envelope): void {
  const since = Number(message.since ?? Date.now());
  if (since < serverSince) return;
  serverSince = since;
  if (typeof message.wrapUpSeconds === 'number') wrapUpSeconds = message.wrapUpSeconds;
  // since 0: the clerk was never signed in to routing; the clock counts from now.
  showState(message.state as ClerkStateName, since > 0 ? since : Date.now(), String(message.reason ?? ''));
}

connection.on(Message.clerkState, applyState);
connection.on(Message.welcome, (message) => { if (typeof message.wrapUpSeconds === 'number') wrapUpSeconds = message.wrapUpSeconds; });
connection.on(Message.offer, showOffer);
connection.on(Message.offerRevoked, () => { closeOffer(); announce(t('offer.revoked')); });
/**
 * call.started comes when a call starts, and again on every new connection while the clerk is in one (docs/protocol.md,
 * "Rejoining a call"): after a reload it brings the desktop back into the call. The call shown already is kept as it is
 * (its media renews its own grant); one that ended is not brought back; another call replaces the one shown.
 */
connection.on(Message.callStarted, (message) => {
  const callId = String(message.callId);
  if (callHasEnded(callId) || call?.callId === callId) return;
  closeOffer();
  if (call) closeCall();
  void startCall(message);
});
function closeCall(): void {
  window.dispatchEvent(new Event('ablak:call-ended'));
  media?.close();
  media = null;
  call = null;
  caseForm = null;
}

connection.on(Message.callEnded, (message) => {
  noteCallEnded(message.callId);
  // The end may arrive as a reply and as a push: the first one ends the call, the rest change nothing.
  if (!call || call.callId !== message.callId) return;
  closeCall();
  if (typeof message.wrapUpSeconds === 'number') wrapUpSeconds = message.wrapUpSeconds;
  announce(t('call.ended'));
  render();
});

/**
 * The call ended while the desktop was disconnected (its call.ended reached nobody), found when the connection
 * or the media came back. The view follows the state the server pushed on reconnection: wrap-up, or idle.
 */
function callOver(callId: string): void {
  noteCallEnded(callId);
  if (!call || call.callId !== callId) return;
  closeCall();
  endedWhileAway = true;
  announce(t('call.endedWhileAway'), true);
  render();
}

async function start(): Promise<void> {
  await initI18n();
  signOutButton = button('signin.signOut', () => {
    void signOut().finally(() => { connection.stop(); stopStream(camera); camera = null; user = null; render(); });
  }, 'quiet', { class: 'button button--quiet button--small' });
  byId('app').prepend(skipLink(), await header('clerk.appName', h('div', { class: 'state-indicator' }, stateBadge, stateClock), signOutButton), connectionBanner(connection));
  // Signed out on another tab or node: the server closes the socket with 4002.
  connection.onState((now) => { if (now === 'ended') { user = null; stopStream(camera); camera = null; render(); } });
  showState('offline', Date.now(), '');
  clockTimer = window.setInterval(tickClock, 1000);
  onLanguageChange(() => { stateBadge.textContent = t(`state.${state}`) + (reason ? ` · ${t(reason)}` : ''); if (!call) render(); });
  user = await currentUser();
  if (user) connection.start();
  render();
  window.addEventListener('pagehide', () => window.clearInterval(clockTimer));
}

void start();
