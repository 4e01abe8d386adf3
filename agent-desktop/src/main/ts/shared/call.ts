// Whether the call a page shows is still running and still this user's. Pushes are not replayed after a
// lost connection (docs/protocol.md, "Resume"): a call.ended sent while the page was away reached nobody,
// so when the connection comes back the page asks call.media for its call, and a refusal says it is over.
// The media's own reconnect asks the same question when it renews its grant.

import { Connection, ProtocolError } from './connection.js';
import { CallMediaGrant, ErrorCode, Message } from './protocol.js';

/** unknown_call: the call has ended; forbidden: this user is no longer one of its participants. */
export function callIsOver(error: unknown): error is ProtocolError {
  return error instanceof ProtocolError && (error.code === ErrorCode.unknownCall || error.code === ErrorCode.forbidden);
}

/** A fresh media grant for the call; fails with a ProtocolError for which callIsOver holds once the call is gone. */
export async function renewMedia(connection: Connection, callId: string): Promise<CallMediaGrant> {
  return (await connection.request(Message.callMedia, { callId })).media as CallMediaGrant;
}

/**
 * Each time the connection is open again after 'reconnecting', checks the call and calls onOver with the
 * refusal if it is over. Returns the function that stops checking.
 */
export function checkCallAfterReconnect(connection: Connection, callId: string, onOver: (error: ProtocolError) => void): () => void {
  let wasLost = false;
  let checking = true;
  const stopListening = connection.onState((state) => {
    if (state === 'reconnecting') wasLost = true;
    if (state !== 'open' || !wasLost) return;
    wasLost = false;
    void renewMedia(connection, callId).catch((error: unknown) => { if (checking && callIsOver(error)) onOver(error); });
  });
  return () => { checking = false; stopListening(); };
}

/**
 * Calls this page was told have ended (call.ended, or unknown_call when it asked). The server sends call.started
 * again on every new connection of a user in a call (docs/protocol.md, "Rejoining a call"); one that crosses the
 * call's end may arrive after its call.ended and must not bring the call back. Call ids are never reused.
 */
const endedCalls = new Set<string>();

export function noteCallEnded(callId: unknown): void {
  if (typeof callId === 'string') endedCalls.add(callId);
}

export function callHasEnded(callId: string): boolean {
  return endedCalls.has(callId);
}
