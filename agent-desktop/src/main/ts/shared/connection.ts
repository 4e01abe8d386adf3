// The control-protocol client: one WebSocket per page, requests matched to replies by id/ref,
// typed errors, heartbeats, and automatic reconnect that resumes with the last resume token so the
// server restores the citizen's place in the queue (docs/protocol.md, "Resume" and "Heartbeats").

import { CloseCode, Envelope, ErrorCode, ErrorMessage, Message, WEBSOCKET_PATH } from './protocol.js';

/** 'ended': the server closed the staff session (sign-out elsewhere); the page must sign in again. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'ended';

/** A typed failure: the server's error code, or one of the client's own (timeout, closed). */
export class ProtocolError extends Error {
  /** The error message's other fields, e.g. errors: [{path, message}] for invalid case data. */
  constructor(readonly code: string, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ProtocolError';
  }
}

interface Pending {
  resolve(reply: Envelope): void;
  reject(error: ProtocolError): void;
  timer: number;
}

export interface ConnectionOptions {
  /** Returns the credential for hello: a citizen visit token, or null for a staff session cookie. */
  token: () => Promise<string | null>;
  language: () => string;
  url?: string;
  requestTimeoutMs?: number;
}

const MAX_BACKOFF_MS = 15_000;

export class Connection {
  private socket: WebSocket | null = null;
  private state: ConnectionState = 'closed';
  private nextId = 1;
  private attempt = 0;
  private resumeToken: string | null = null;
  private heartbeatSeconds = 20;
  private heartbeatTimer = 0;
  private silenceTimer = 0;
  private reconnectTimer = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly handlers = new Map<string, Set<(message: Envelope) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly waitingForOpen: Array<() => void> = [];

  constructor(private readonly options: ConnectionOptions) {}

  get currentState(): ConnectionState {
    return this.state;
  }

  /** Calls the listener with the state now and on every change; returns the function that stops it. */
  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  /** Subscribes to pushed messages of one type; returns the unsubscribe function. */
  on(type: string, handler: (message: Envelope) => void): () => void {
    if (!this.handlers.has(type)) this.handlers.set(type, new Set());
    this.handlers.get(type)!.add(handler);
    return () => this.handlers.get(type)?.delete(handler);
  }

  start(): void {
    if (this.state !== 'closed' && this.state !== 'ended') return;
    this.setState('connecting');
    this.open();
  }

  /** Closes for good (sign out, kiosk reset): no reconnect, pending requests fail. */
  stop(): void {
    window.clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    this.resumeToken = null;
    this.setState('closed');
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'bye');
    this.failPending('closed', 'connection closed');
  }

  /** Sends a request and resolves with the reply whose ref is its id, or rejects with a ProtocolError. */
  async request(type: string, fields: Record<string, unknown> = {}): Promise<Envelope> {
    await this.whenOpen();
    const id = `c-${this.nextId++}`;
    return new Promise<Envelope>((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(id);
        reject(new ProtocolError('timeout', `no reply to ${type}`));
      }, this.options.requestTimeoutMs ?? 10_000);
      this.pending.set(id, { resolve, reject, timer });
      this.send({ ...fields, type, id });
    });
  }

  /**
   * Sends a request whose reply nobody waits for (real-time text as it is typed): every request needs
   * an id, but a lost keystroke is not worth a retry or an error on screen.
   */
  notify(type: string, fields: Record<string, unknown> = {}): void {
    if (this.state === 'open') this.send({ ...fields, type, id: `c-${this.nextId++}` });
  }

  private whenOpen(): Promise<void> {
    if (this.state === 'open') return Promise.resolve();
    if (this.state === 'closed') return Promise.reject(new ProtocolError('closed', 'not connected'));
    return new Promise((resolve) => this.waitingForOpen.push(resolve));
  }

  private url(): string {
    if (this.options.url) return this.options.url;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}${WEBSOCKET_PATH}`;
  }

  private open(): void {
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url());
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => { void this.greet(socket); });
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopHeartbeat();
      if (event.code === CloseCode.sessionEnded) {
        this.resumeToken = null;
        this.setState('ended');
        this.failPending('closed', 'session ended');
        return;
      }
      if (this.state !== 'closed') this.scheduleReconnect();
    });
  }

  /** Authenticates a fresh socket: resume when a token is held (same user, same queue place), else hello. */
  private async greet(socket: WebSocket): Promise<void> {
    if (this.resumeToken) {
      const token = this.resumeToken;
      this.resumeToken = null; // a resume token works once
      this.handshake(socket, { type: Message.resume, token }, (error) => {
        if (error.code === ErrorCode.resumeFailed) void this.sayHello(socket);
        else this.refused(error);
      });
    } else {
      await this.sayHello(socket);
    }
  }

  private async sayHello(socket: WebSocket): Promise<void> {
    const token = await this.options.token().catch(() => null);
    this.handshake(socket, { type: Message.hello, ...(token ? { token } : {}) }, (error) => this.refused(error));
  }

  private handshake(socket: WebSocket, message: Envelope, onError: (error: ProtocolError) => void): void {
    const id = `c-${this.nextId++}`;
    const timer = window.setTimeout(() => socket.close(4000, 'no welcome'), this.options.requestTimeoutMs ?? 10_000);
    this.pending.set(id, {
      timer,
      resolve: (welcome) => {
        this.attempt = 0;
        this.resumeToken = typeof welcome.resumeToken === 'string' ? welcome.resumeToken : null;
        if (typeof welcome.heartbeatSeconds === 'number' && welcome.heartbeatSeconds > 0) this.heartbeatSeconds = welcome.heartbeatSeconds;
        this.startHeartbeat();
        this.setState('open');
        this.waitingForOpen.splice(0).forEach((resume) => resume());
        this.dispatch(welcome);
      },
      reject: (error) => { if (error.code !== 'closed') onError(error); },
    });
    this.send({ ...message, id });
  }

  /** hello refused (expired visit, no session): nothing a reconnect would fix. */
  private refused(error: ProtocolError): void {
    this.dispatch({ type: Message.error, code: error.code, message: error.message });
    this.stop();
  }

  private receive(data: unknown): void {
    let message: Envelope;
    try {
      message = JSON.parse(String(data)) as Envelope;
    } catch {
      return; // The server only sends JSON; a broken frame is ignored rather than crashing the page.
    }
    this.resetSilenceTimer();
    if (message.type === Message.ping) {
      this.send({ type: Message.pong, ref: message.id });
      return;
    }
    const pending = message.ref ? this.pending.get(message.ref) : undefined;
    if (pending && message.ref) {
      this.pending.delete(message.ref);
      window.clearTimeout(pending.timer);
      if (message.type === Message.error) {
        const error = message as ErrorMessage;
        const { type: _type, ref: _ref, code, message: text, ...details } = error;
        pending.reject(new ProtocolError(code, text, details));
      } else {
        pending.resolve(message);
      }
      return;
    }
    this.dispatch(message);
  }

  private dispatch(message: Envelope): void {
    this.handlers.get(message.type)?.forEach((handler) => handler(message));
    this.handlers.get('*')?.forEach((handler) => handler(message));
  }

  private send(message: Envelope): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeatTimer = window.setInterval(() => this.send({ type: Message.ping, id: `c-${this.nextId++}` }), this.heartbeatSeconds * 1000);
    this.resetSilenceTimer();
  }

  private stopHeartbeat(): void {
    window.clearInterval(this.heartbeatTimer);
    window.clearTimeout(this.silenceTimer);
  }

  /** Browsers cannot see ping frames: a pong (or anything) missing for two intervals means the connection is dead. */
  private resetSilenceTimer(): void {
    window.clearTimeout(this.silenceTimer);
    if (this.state !== 'open') return;
    // 4000, not 4002: the close event echoes the code, and 4002 means the session ended (sign in again).
    this.silenceTimer = window.setTimeout(() => this.socket?.close(4000, 'heartbeat timeout'), this.heartbeatSeconds * 2500);
  }

  private scheduleReconnect(): void {
    this.setState('reconnecting');
    // Exponential backoff with full jitter so a restarted node is not hit by every client at once.
    const ceiling = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt);
    this.attempt += 1;
    window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = window.setTimeout(() => this.open(), Math.random() * ceiling + 250);
  }

  private failPending(code: string, message: string): void {
    for (const [id, pending] of this.pending) {
      window.clearTimeout(pending.timer);
      pending.reject(new ProtocolError(code, message));
      this.pending.delete(id);
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.stateListeners.forEach((listener) => listener(state));
  }
}
