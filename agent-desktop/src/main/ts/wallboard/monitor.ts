// A supervisor's media while monitoring a call: one PeerConnection whose own audio and video
// sections start without tracks (listening: nothing is captured, nothing is sent) and receive-only
// slots for everyone in the call. Changing mode only attaches or detaches the microphone and the
// camera with replaceTrack, so the SDP never changes; the SFU decides whom the tracks reach
// (docs/media.md "Supervisors"), so a page that sent anyway would still not be heard.

import { h } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import { whipDelete, whipPublish } from '../shared/media.js';
import { CallMediaGrant, MonitorMode } from '../shared/protocol.js';

/** Slots received: citizen, clerk, and room for another supervisor who barged in (our own pair is the first). */
const RECEIVE_SLOTS = 3;

export class MonitorMedia {
  private peer: RTCPeerConnection | null = null;
  private session: string | null = null;
  private closed = false;
  private microphone: MediaStreamTrack | null = null;
  private camera: MediaStreamTrack | null = null;
  private audioSender: RTCRtpSender | null = null;
  private videoSender: RTCRtpSender | null = null;
  private readonly tiles = new Map<number, { stream: MediaStream; tile: HTMLElement; video: HTMLVideoElement }>();

  constructor(private readonly grant: CallMediaGrant, private readonly iceServers: RTCIceServer[], private readonly stage: HTMLElement) {}

  async start(): Promise<void> {
    const peer = new RTCPeerConnection({ iceServers: this.iceServers, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.peer = peer;
    // Slot 0 is our own pair, sendrecv without tracks yet, so whispering or barging in needs no new offer;
    // like every slot it also brings someone in the call to us.
    this.audioSender = peer.addTransceiver('audio', { direction: 'sendrecv' }).sender;
    this.videoSender = peer.addTransceiver('video', { direction: 'sendrecv' }).sender;
    for (let i = 1; i < RECEIVE_SLOTS; i += 1) {
      peer.addTransceiver('audio', { direction: 'recvonly' });
      peer.addTransceiver('video', { direction: 'recvonly' });
    }
    peer.addEventListener('track', (event) => {
      this.show(Math.floor(peer.getTransceivers().indexOf(event.transceiver) / 2), event.track);
    });
    this.session = await whipPublish(peer, this.grant, () => !this.closed && this.peer === peer);
  }

  /** Attaches what the mode sends: nothing to listen, the microphone to whisper, microphone and camera to barge in. */
  async setMode(mode: MonitorMode): Promise<void> {
    const speak = mode !== 'listen';
    const show = mode === 'barge';
    if (speak && !this.microphone) {
      this.microphone = (await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } })).getAudioTracks()[0] ?? null;
    }
    if (show && !this.camera) {
      this.camera = (await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } } })).getVideoTracks()[0] ?? null;
    }
    await this.audioSender?.replaceTrack(speak ? this.microphone : null);
    await this.videoSender?.replaceTrack(show ? this.camera : null);
    // Devices are released as soon as the mode no longer needs them: the browser's indicator tells the truth.
    if (!speak) { this.microphone?.stop(); this.microphone = null; }
    if (!show) { this.camera?.stop(); this.camera = null; }
  }

  close(): void {
    this.closed = true;
    whipDelete(this.session, this.grant.token);
    this.session = null;
    this.peer?.close();
    this.peer = null;
    this.microphone?.stop();
    this.camera?.stop();
    this.tiles.forEach(({ tile }) => tile.remove());
    this.tiles.clear();
  }

  /** One tile per slot: its audio plays at once, the tile shows while its video flows. */
  private show(slot: number, track: MediaStreamTrack): void {
    let entry = this.tiles.get(slot);
    if (!entry) {
      const video = h('video', { class: 'monitor__video', autoplay: true, playsinline: true, 'aria-label': t('monitor.participantVideo', { n: slot + 1 }) });
      const tile = h('figure', { class: 'monitor__tile', hidden: true, 'data-slot': slot }, video,
        h('figcaption', { class: 'monitor__caption' }, t('monitor.participant', { n: slot + 1 })));
      const stream = new MediaStream();
      video.srcObject = stream;
      this.stage.append(tile);
      entry = { stream, tile, video };
      this.tiles.set(slot, entry);
    }
    const { stream, tile, video } = entry;
    stream.addTrack(track);
    void video.play().catch(() => undefined);
    if (track.kind === 'video') {
      track.addEventListener('unmute', () => { tile.hidden = false; });
      track.addEventListener('mute', () => { tile.hidden = true; });
    }
  }
}
