// Camera, microphone and speaker access, and the call's one PeerConnection, published to the SFU
// with WHIP (RFC 9725): the complete offer is POSTed once ICE gathering is done, the answer comes
// back in the 201 with the session's Location, DELETE ends it (docs/media.md).

import { CallMediaGrant } from './protocol.js';

/** The translation key of the fix-it message for a getUserMedia failure (Media Capture and Streams §9.2). */
export function deviceProblem(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'devices.problem.blocked';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'devices.problem.missing';
    case 'NotReadableError':
    case 'AbortError':
      return 'devices.problem.busy';
    case 'InsecureContext':
      return 'devices.problem.insecure';
    default:
      return 'devices.problem.unknown';
  }
}

export async function openCamera(videoDeviceId?: string): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('camera needs a secure origin', 'InsecureContext');
  return navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true },
    // 1280x720 at 20+ fps serves sign language and document checks (EN 301 549 §6.5).
    video: { ...(videoDeviceId ? { deviceId: { exact: videoDeviceId } } : {}), width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 25, min: 15 } },
  });
}

export function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((track) => track.stop());
}

/** Reports the microphone's loudness, 0..1, about ten times a second until stopped. */
export function listenToMicrophone(stream: MediaStream, onLevel: (level: number) => void): () => void {
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = window.setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    onLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
  }, 100);
  return () => { window.clearInterval(timer); void context.close(); };
}

/** Plays a short two-note chime on the default speaker; used for the speaker test and the clerk's ring. */
export function playChime(repeat = 1): void {
  const context = new AudioContext();
  const start = context.currentTime + 0.05;
  for (let i = 0; i < repeat; i += 1) {
    [659.25, 523.25].forEach((frequency, note) => {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = frequency;
      const at = start + i * 1.2 + note * 0.35;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.5);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.55);
    });
  }
  window.setTimeout(() => { void context.close(); }, repeat * 1200 + 800);
}

export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

/** Classifies a connection from round-trip time and inbound loss, the two figures people hear and see. */
export function classifyQuality(roundTripSeconds: number | null, lossFraction: number | null): Quality {
  if (roundTripSeconds === null && lossFraction === null) return 'unknown';
  const rtt = roundTripSeconds ?? 0;
  const loss = lossFraction ?? 0;
  if (rtt > 0.4 || loss > 0.08) return 'poor';
  if (rtt > 0.2 || loss > 0.02) return 'fair';
  return 'good';
}

/** Waits for every candidate to be in the local description: the SFU takes no trickled ones from us. */
function gatheringComplete(peer: RTCPeerConnection): Promise<void> {
  if (peer.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (peer.iceGatheringState !== 'complete') return;
      peer.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    peer.addEventListener('icegatheringstatechange', check);
  });
}

/** POSTs the complete offer (RFC 9725 4.2); returns the session URL for DELETE, with the answer applied. */
export async function whipPublish(peer: RTCPeerConnection, grant: CallMediaGrant, stillWanted: () => boolean): Promise<string | null> {
  await peer.setLocalDescription(await peer.createOffer());
  await gatheringComplete(peer);
  const response = await fetch(grant.whipUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${grant.token}` },
    body: peer.localDescription!.sdp,
  });
  if (response.status !== 201) throw new Error(`WHIP: HTTP ${response.status}`);
  const location = response.headers.get('Location');
  const session = location ? new URL(location, grant.whipUrl).href : null;
  const answer = await response.text();
  if (!stillWanted()) {
    whipDelete(session, grant.token);
    return null;
  }
  await peer.setRemoteDescription({ type: 'answer', sdp: answer });
  return session;
}

/** Hangs up at the SFU (RFC 9725 4.3): DELETE on the session resource, best effort. */
export function whipDelete(session: string | null, token: string): void {
  if (session) void fetch(session, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` }, keepalive: true }).catch(() => undefined);
}

/** The call's media: publishes the local camera and microphone, shows what the far side sends. */
export class CallMedia {
  private peer: RTCPeerConnection | null = null;
  private session: string | null = null;
  private closed = false;
  private qualityTimer = 0;
  private lastPackets = { received: 0, lost: 0 };

  /**
   * renew: a fresh grant for a reconnect, as the call's media token is short-lived. thirdVideo: where a third
   * participant (an interpreter) is shown; supervisorVideo: where a supervisor who whispers or barges in is
   * heard and seen. The SFU fills those slots when they join, with no renegotiation, and always puts a
   * supervisor in the last one (docs/media.md, "Slots"), so both can be in the call at once.
   * keepResolution: send the camera at its full size and let the frame rate give way when bandwidth is
   * short, as a video identification needs (the document must stay readable); otherwise the browser's
   * balanced default. onReconnectFailed: the reconnect after a failed connection could not publish again, e.g.
   * because renew found the call over.
   */
  constructor(private grant: CallMediaGrant, private local: MediaStream, private readonly remoteVideo: HTMLVideoElement,
    private readonly iceServers: RTCIceServer[], private readonly renew: () => Promise<CallMediaGrant>,
    private readonly thirdVideo: HTMLVideoElement | null = null, private readonly supervisorVideo: HTMLVideoElement | null = null,
    private readonly options: { keepResolution?: boolean; onReconnectFailed?: (error: unknown) => void } = {}) {}

  /** The call's PeerConnection now (a reconnect replaces it), for statistics; null before start and after close. */
  get peerConnection(): RTCPeerConnection | null {
    return this.peer;
  }

  /**
   * One PeerConnection: own audio and video sendrecv, so the same sections carry the other person back, plus
   * a recvonly audio+video pair for a third participant and one for a supervisor (docs/media.md, "Slots").
   */
  async start(): Promise<void> {
    const peer = new RTCPeerConnection({ iceServers: this.iceServers, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.peer = peer;
    this.local.getTracks().forEach((track) => peer.addTransceiver(track, { direction: 'sendrecv', streams: [this.local] }));
    // The extra pairs in the order the SFU counts its slots: the third participant's, then the supervisor's.
    const extra = [this.thirdVideo, this.supervisorVideo].filter((video): video is HTMLVideoElement => video !== null)
      .map((video) => ({ video, stream: new MediaStream(),
        transceivers: [peer.addTransceiver('audio', { direction: 'recvonly' }), peer.addTransceiver('video', { direction: 'recvonly' })] }));
    const remote = new MediaStream();
    peer.addEventListener('track', (event) => {
      const slot = extra.find((s) => s.transceivers.includes(event.transceiver));
      const [video, stream] = slot ? [slot.video, slot.stream] : [this.remoteVideo, remote];
      stream.addTrack(event.track);
      if (video.srcObject !== stream) video.srcObject = stream;
    });
    // A lost network cannot be repaired with an ICE restart here: a new session (POST) replaces the old one.
    peer.addEventListener('connectionstatechange', () => {
      if (peer.connectionState === 'failed' && this.peer === peer && !this.closed) {
        this.reconnect().catch((error: unknown) => { if (!this.closed) this.options.onReconnectFailed?.(error); });
      }
    });
    this.session = await whipPublish(peer, this.grant, () => !this.closed && this.peer === peer);
    if (this.session && this.options.keepResolution) await this.keepResolution(peer);
  }

  private async keepResolution(peer: RTCPeerConnection): Promise<void> {
    const sender = peer.getSenders().find((s) => s.track?.kind === 'video');
    if (!sender) return;
    const parameters = sender.getParameters();
    parameters.degradationPreference = 'maintain-resolution';
    await sender.setParameters(parameters);
  }

  async reconnect(): Promise<void> {
    this.endSession();
    this.peer?.close();
    this.grant = await this.renew();
    await this.start();
  }

  setMuted(muted: boolean): void {
    this.local.getAudioTracks().forEach((track) => { track.enabled = !muted; });
  }

  setCameraOff(off: boolean): void {
    this.local.getVideoTracks().forEach((track) => { track.enabled = !off; });
  }

  /** Moves to the next camera (front/back on a phone) without renegotiating: replaceTrack keeps the SDP. */
  async switchCamera(): Promise<MediaStream> {
    const cameras = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    const current = this.local.getVideoTracks()[0]?.getSettings().deviceId;
    const next = cameras[(cameras.findIndex((c) => c.deviceId === current) + 1) % Math.max(1, cameras.length)];
    if (!next || next.deviceId === current) return this.local;
    const stream = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: next.deviceId } } });
    const track = stream.getVideoTracks()[0]!;
    const sender = this.peer?.getSenders().find((s) => s.track?.kind === 'video');
    await sender?.replaceTrack(track);
    this.local.getVideoTracks().forEach((old) => { old.stop(); this.local.removeTrack(old); });
    this.local.addTrack(track);
    return this.local;
  }

  watchQuality(onQuality: (quality: Quality) => void): void {
    this.qualityTimer = window.setInterval(async () => {
      let rtt: number | null = null;
      let received = 0;
      let lost = 0;
      if (!this.peer) return;
      (await this.peer.getStats()).forEach((report) => {
        if (report.type === 'candidate-pair' && report.state === 'succeeded' && typeof report.currentRoundTripTime === 'number') rtt = report.currentRoundTripTime;
        if (report.type === 'inbound-rtp') { received += report.packetsReceived ?? 0; lost += report.packetsLost ?? 0; }
      });
      const newReceived = received - this.lastPackets.received;
      const newLost = lost - this.lastPackets.lost;
      this.lastPackets = { received, lost };
      const loss = newReceived + newLost > 0 ? newLost / (newReceived + newLost) : null;
      onQuality(classifyQuality(rtt, loss));
    }, 1500);
  }

  close(): void {
    this.closed = true;
    window.clearInterval(this.qualityTimer);
    this.endSession();
    this.peer?.close();
    this.peer = null;
  }

  private endSession(): void {
    const session = this.session;
    this.session = null;
    whipDelete(session, this.grant.token);
  }
}
