// Every name the apps use to talk to the server, in one place. The session messages follow
// docs/protocol.md, the case messages its "Message types of cases", the queue, clerk, call and
// wallboard messages the contract the server implements (docs/protocol.md once published), the
// REST paths docs/openapi.yaml and docs/openapi-cases.yaml, and the media WHIP (RFC 9725, docs/media.md).
// Envelope: {"type": "...", "id": "c-1", ...fields}; replies carry "ref": <id>; failures are
// {"type": "error", "code": "...", "message": "...", "ref": "<id>"}.

export const WEBSOCKET_PATH = '/ws';

export const Rest = {
  /** POST → 201 {token, visitId, expiresAt}: an anonymous, signed, short-lived citizen visit token. */
  visits: '/api/visits',
  /** POST {username, password} → 200 User {id, name, role, expiresAt} + session cookie; 401 invalid_credentials. */
  login: '/api/auth/login',
  /** POST → 204: ends the session. */
  logout: '/api/auth/logout',
  /** GET → 200 User, or 401 without a session. */
  me: '/api/auth/me',
  /** GET ?lang=xx → CatalogueView of the cases module (life events → case types). */
  catalogue: '/api/catalogue',
  /** GET ?lang=xx → FormView of one form version (schema, ui, texts, inputMasks); 410 when withdrawn. */
  form: (caseTypeId: string, version: number) => `/api/forms/${encodeURIComponent(caseTypeId)}/${version}`,
  /** POST {caseType, language, answers} (Authorization: Bearer <visit token>) → 201 {caseView, citizenToken}. */
  cases: '/api/cases',
  /** GET (Bearer visit token + Case-Token, or staff cookie + Access-Reason) → Summary {caseId, version, status, caseTypeName, lines}. */
  caseSummary: (caseId: string) => `/api/cases/${encodeURIComponent(caseId)}/summary`,
  /** The booking page for a video appointment (?caseType=&lang=). */
  appointments: '/appointments/',
  /** Video identification (docs/video-identification.md): the clerk's checklist, the citizen's guide at /guide. */
  identifications: '/api/identifications',
} as const;

export const Message = {
  // session
  hello: 'hello', // → {token} (citizens; staff are known by the session cookie); reply welcome
  welcome: 'welcome', // ← {connectionId, user:{id, name, role, expiresAt}, resumeToken, resumeTtlSeconds, heartbeatSeconds, maxMessageBytes}
  resume: 'resume', // → {token: the last resumeToken}; reply resumed, or error resume_failed (then hello)
  resumed: 'resumed', // ← the fields of welcome plus previousConnectionId
  ping: 'ping',
  pong: 'pong',
  error: 'error',
  // citizen in the queue
  queueJoin: 'queue.join', // → {caseTypeId, language, caseId, caseToken, kiosk, consent:{recording}, appointmentId?, appointmentToken?} or {callbackId, callbackToken, kiosk, consent}; reply queue.joined
  queueJoined: 'queue.joined', // ← {contactId, queueId, position, estimatedWaitSeconds, callbackAvailable}; from a call-back also caseTypeId, language, caseId, caseToken
  queueLeave: 'queue.leave', // → {callback?: {email}}: keep the place and e-mail me when my turn is near; reply queue.left {contactId, callback?: {callbackId, email}}
  queueLeft: 'queue.left',
  queuePosition: 'queue.position', // ← {contactId, position, estimatedWaitSeconds}; also at once on every hello/resume while waiting
  // clerk
  clerkState: 'clerk.state', // → {state, reason?}; ← {state, reason?, since}
  offer: 'queue.offer', // ← {offerId, kind: citizen | interpreter | sign-language, contactId, caseTypeId, caseTypeName, language, waitedSeconds, ringSeconds, callId (interpreters)}
  offerAccept: 'queue.offer.accept', // → {offerId}; reply queue.offer.accepted
  offerDecline: 'queue.offer.decline', // → {offerId}; reply queue.offer.declined
  offerRevoked: 'queue.offer.revoked', // ← {offerId, reason: timeout | abandoned | taken}
  wrapUpDone: 'wrapup.done', // → {disposition}; reply clerk.state
  // the call (both sides)
  callStarted: 'call.started', // ← {callId, caseId, role, videoIdentification, recording, media:{whipUrl, token}, iceServers}; to the clerk also caseTypeId, formVersion, language, citizenName?
  callEnded: 'call.ended', // ← {callId, reason, wrapUpSeconds?, queueId?: the citizen waits again there}
  callEnd: 'call.end', // → {callId}
  callRecording: 'call.recording', // → {callId, recording} (clerk); ← {callId, recording}
  callMedia: 'call.media', // → {callId}; reply call.media {callId, media:{whipUrl, token}}: a fresh grant to publish again
  callInvite: 'call.invite', // → {callId, kind: 'sign-language' | 'interpreter', language} (clerk); reply call.invited; error no_interpreter
  callInvited: 'call.invited', // ← {callId, kind, language}: routing looks for the interpreter
  callParticipants: 'call.participants', // ← {callId, participants: [{role, userId?, kind?, language?}], invite?: {kind, language}}; role supervisor after a barge-in
  callTransfer: 'call.transfer', // → {callId, queueId}
  chatText: 'chat.text', // ↔ {callId, text, final}: real-time text, sent as it is typed
  identificationStep: 'identification.step', // ← to the citizen: {callId, caseId, id, status, nextStep, attempt, tilt, codeSent, codeAttemptsLeft, failureReason}
  // the case (docs/protocol.md "Message types of cases"; citizens add caseToken, staff reason)
  caseWatch: 'case.watch', // → {caseId, caseToken | reason, lang}; reply case.state with the Case, then case.changed pushes
  caseState: 'case.state',
  caseChanged: 'case.changed', // ← the Case {id, status, version, data, confirmedVersion, caseNumber, ...}
  caseSave: 'case.save', // → {caseId, expectedVersion, data, caseToken | reason, lang}; reply case.saved with the Case
  caseSaved: 'case.saved',
  caseReview: 'case.review', // → {callId, caseId, version} (clerk); ← {caseId, version}: the citizen reads the summary and confirms
  caseConfirm: 'case.confirm', // → {caseId, caseToken, version, lang}; reply case.confirmed with the Case
  caseConfirmed: 'case.confirmed',
  caseSubmit: 'case.submit', // → {caseId, idempotencyKey, reason, lang}; reply case.submitted {caseView, replayed}
  caseSubmitted: 'case.submitted',
  // supervisor
  wallboardSubscribe: 'wallboard.subscribe', // → {}; reply wallboard.snapshot
  wallboardSnapshot: 'wallboard.snapshot', // ← {queues:[QueueFigures], clerks:[ClerkRow]}
  callMonitor: 'call.monitor', // → {callId, mode: 'listen' | 'whisper' | 'barge', reason?}; reply {callId, mode, clerkId, media:{whipUrl, token}, iceServers}
  callMonitorEnd: 'call.monitor.end', // → {callId}; reply call.monitor.ended {callId}
  callMonitorEnded: 'call.monitor.ended',
} as const;

/** Error codes the apps act on (docs/protocol.md "Errors" and the modules' sections). */
export const ErrorCode = {
  resumeFailed: 'resume_failed',
  queueClosed: 'queue_closed',
  alreadyQueued: 'already_queued',
  unauthenticated: 'unauthenticated',
  tokenExpired: 'token_expired',
  tokenInvalid: 'token_invalid',
  versionConflict: 'version_conflict',
  invalidFormData: 'invalid_form_data',
  /** A call message for a call that has ended or never existed; to a citizen with waiting: true when they wait in a queue again. */
  unknownCall: 'unknown_call',
  /** Also: a call message from someone who is not (or no longer) one of the call's participants. */
  forbidden: 'forbidden',
} as const;

/** WebSocket close codes with a meaning for the client (docs/protocol.md "Close codes"). */
export const CloseCode = {
  noHello: 4001,
  sessionEnded: 4002,
} as const;

export type MessageType = (typeof Message)[keyof typeof Message];

export interface Envelope {
  type: string;
  id?: string;
  ref?: string;
  [field: string]: unknown;
}

export interface ErrorMessage extends Envelope {
  type: 'error';
  code: string;
  message: string;
}

export type ClerkStateName = 'offline' | 'available' | 'offered' | 'busy' | 'wrapup' | 'break' | 'notresponding';

export interface QueueFigures {
  queueId: string;
  name: string | Record<string, string>;
  waiting: number;
  longestWaitSeconds: number;
  /** null while nobody who could take the queue is signed in. */
  estimatedWaitSeconds: number | null;
  /** 0..1: answered within the target over answered plus abandoned after the grace time. */
  serviceLevel: number | null;
  abandonedToday: number;
  /** Optional per-queue thresholds; the wallboard has documented defaults. */
  thresholds?: { longestWaitAmberSeconds?: number; longestWaitRedSeconds?: number; serviceLevelAmber?: number; serviceLevelRed?: number };
}

export interface ClerkRow {
  clerkId: string;
  name: string;
  state: ClerkStateName;
  reason?: string;
  sinceEpochMillis: number;
  queue?: string;
  /** The call a busy clerk is in: what a supervisor monitors. */
  callId?: string;
}

export type MonitorMode = 'listen' | 'whisper' | 'barge';

/** The media part of call.started: where and with what this participant publishes over WHIP. */
export interface CallMediaGrant { whipUrl: string; token: string }

export type CaseStatus = 'DRAFT' | 'CONFIRMED' | 'SUBMITTED';

/** A case as replies and case.changed carry it (Case of docs/openapi-cases.yaml). */
export interface CaseView {
  id: string;
  caseType: string;
  formVersion: number;
  language: string;
  status: CaseStatus;
  version: number;
  data: Record<string, unknown>;
  confirmedVersion: number | null;
  caseNumber: string | null;
}
