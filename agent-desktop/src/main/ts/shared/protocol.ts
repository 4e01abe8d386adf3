// Every name the apps use to talk to the server, in one place so they can be aligned with
// docs/protocol.md (WebSocket control protocol) and docs/openapi.yaml (REST). The session messages
// (hello, welcome, resume, resumed, ping, pong, error) and the REST paths below follow those
// documents; the queue, call and case messages follow the protocol document's naming and will be
// aligned here as the modules publish theirs.
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
  /** GET ?lang=xx → FormView of the case type's current form version (schema, ui, texts, inputMasks). */
  caseTypeForm: (caseTypeId: string) => `/api/case-types/${encodeURIComponent(caseTypeId)}/form`,
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
  queueJoin: 'queue.join', // → {caseTypeId, language, answers, kiosk}; reply queue.joined {contactId}
  queueJoined: 'queue.joined',
  queueLeave: 'queue.leave', // → {callback?: {phone}}
  queuePosition: 'queue.position', // ← {position, estimatedWaitSeconds}
  // clerk
  clerkState: 'clerk.state', // → {state, reason?}; ← {state, reason?, since}
  offer: 'queue.offer', // ← {offerId, contactId, caseTypeId, caseTypeName, language, waitedSeconds, ringSeconds}
  offerAccept: 'queue.offer.accept', // → {offerId}
  offerDecline: 'queue.offer.decline', // → {offerId}
  offerRevoked: 'queue.offer.revoked', // ← {offerId, reason}
  wrapUpDone: 'wrapup.done', // → {disposition}
  // the call (both sides)
  callStarted: 'call.started', // ← {callId, caseId, recording, videoIdentification, iceServers?}; to the clerk also {form: FormView, answers}
  callEnded: 'call.ended', // ← {callId, reason}
  callEnd: 'call.end', // → {callId}
  callRecording: 'call.recording', // ← {callId, recording}
  callInvite: 'call.invite', // → {callId, kind: 'sign-language' | 'interpreter', language}: a third party joins
  callTransfer: 'call.transfer', // → {callId, queueId}
  mediaOffer: 'media.offer', // → {callId, sdp}; reply media.answer {sdp}
  mediaAnswer: 'media.answer',
  mediaCandidate: 'media.candidate', // ↔ {callId, candidate}
  chatText: 'chat.text', // ↔ {callId, text, final}: real-time text, sent as it is typed
  // the case
  caseUpdate: 'case.update', // → {caseId, data} (clerk autosave); ← {caseId, data, version}
  caseReview: 'case.review', // → {caseId, data}: clerk asks the citizen to confirm; the server sends case.summary
  caseSummary: 'case.summary', // ← {caseId, lines:[SummaryLine {group, field, label, value}]}: ask the citizen to confirm
  caseConfirm: 'case.confirm', // → {caseId}
  caseConfirmed: 'case.confirmed', // ← {caseId}
  caseSubmit: 'case.submit', // → {caseId, data}; reply case.submitted, or error code "case.invalid" with errors:[{path, message}]
  caseSubmitted: 'case.submitted', // ← {caseId, caseNumber}
  // supervisor
  wallboardSubscribe: 'wallboard.subscribe', // → {}; reply wallboard.snapshot
  wallboardSnapshot: 'wallboard.snapshot', // ← {queues:[QueueFigures], clerks:[ClerkRow]}
} as const;

/** Error codes the apps act on (docs/protocol.md "Errors" and the modules' sections). */
export const ErrorCode = {
  resumeFailed: 'resume_failed',
  queueClosed: 'queue_closed',
  unauthenticated: 'unauthenticated',
  tokenExpired: 'token_expired',
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
  estimatedWaitSeconds: number;
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
}
