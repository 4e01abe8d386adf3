// Camera, microphone and speaker access, and the call's one PeerConnection negotiated over the
// control connection (media.offer / media.answer / media.candidate, docs/protocol.md).

import { Connection } from './connection.js';
import { Message } from './protocol.js';

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

/** The call's media: publishes the local camera and microphone, shows what the far side sends. */
export class CallMedia {
  private readonly peer: RTCPeerConnection;
  private qualityTimer = 0;
  private lastPackets = { received: 0, lost: 0 };
  private unsubscribe: Array<() => void> = [];

  constructor(private readonly connection: Connection, private readonly callId: string, private local: MediaStream,
    private readonly remoteVideo: HTMLVideoElement, iceServers: RTCIceServer[] = []) {
    this.peer = new RTCPeerConnection({ iceServers, bundlePolicy: 'max-bundle' });
    local.getTracks().forEach((track) => this.peer.addTrack(track, local));
    this.peer.addEventListener('track', (event) => {
      if (this.remoteVideo.srcObject !== event.streams[0]) this.remoteVideo.srcObject = event.streams[0] ?? new MediaStream([event.track]);
    });
    this.peer.addEventListener('icecandidate', (event) => {
      if (event.candidate) this.connection.notify(Message.mediaCandidate, { callId, candidate: event.candidate.toJSON() });
    });
    this.unsubscribe.push(connection.on(Message.mediaCandidate, (message) => {
      if (message.callId === callId && message.candidate) void this.peer.addIceCandidate(message.candidate as RTCIceCandidateInit).catch(() => undefined);
    }));
  }

  async start(): Promise<void> {
    const offer = await this.peer.createOffer();
    await this.peer.setLocalDescription(offer);
    const answer = await this.connection.request(Message.mediaOffer, { callId: this.callId, sdp: offer.sdp });
    await this.peer.setRemoteDescription({ type: 'answer', sdp: String(answer.sdp) });
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
    const sender = this.peer.getSenders().find((s) => s.track?.kind === 'video');
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
    window.clearInterval(this.qualityTimer);
    this.unsubscribe.forEach((u) => u());
    this.peer.close();
  }
}
