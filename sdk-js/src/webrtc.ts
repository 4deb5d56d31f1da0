// One-to-one audio or video calls over wsd's signaling messages, for web pages.
//
// The flow (both sides bound, each with a CallAgent):
//   caller                                   callee
//   room_create R
//   send(to, {wsdCall:'invite', roomId:R})  ─▶ 'incoming' event; call.accept():
//                                               getUserMedia, room_join R
//   room_member_joined(R, callee)  ◀──────────
//   webrtc_offer ─────────────────────────────▶ setRemoteDescription, webrtc_answer
//   webrtc_ice  ◀────────────────────────────▶ webrtc_ice
//   hangUp(): send {wsdCall:'hangup'}, room_leave R (either side)
//
// A peer that skips the invitation and sends webrtc_offer in a room both are in (the seed's
// example) is taken as an incoming call too: accept() answers it.
// The `wsdCall` direct messages are this helper's convention, not part of the protocol:
// { wsdCall: 'invite' | 'reject' | 'cancel' | 'hangup', roomId, media?, at }.
import type { WsdClient } from './client.js';
import { Emitter } from './emitter.js';
import { WsdError } from './errors.js';
import type { MessageContext, ServerMessageMap } from './types.js';

// The API below names WebRTC types of the DOM. A Node app compiles without the DOM lib,
// and these declarations are part of the package's types (checked unless skipLibCheck):
// these empty interfaces merge into the DOM's where it is loaded and stand in for them
// where it is not, so the package's types compile either way.
declare global {
  interface MediaStream {}
  interface MediaStreamConstraints {}
  interface RTCConfiguration {}
  interface RTCIceCandidateInit {}
  interface RTCIceServer {}
  interface RTCPeerConnection {}
}

/** RTCPeerConnection.connectionState (the DOM's RTCPeerConnectionState). */
export type PeerConnectionState = 'closed' | 'connected' | 'connecting' | 'disconnected' | 'failed' | 'new';

/** Where a call is. */
export type CallState = 'ringing' | 'connecting' | 'connected' | 'ended';

/** Why a call ended. */
export type CallEndReason =
  | 'hangup'          // this side hung up
  | 'remote_hangup'   // the peer hung up or left the room
  | 'rejected'        // the callee rejected
  | 'cancelled'       // the caller gave up before the callee accepted
  | 'no_answer'       // nobody accepted within inviteTimeoutMs
  | 'offline'         // the callee is not online
  | 'failed'          // the peer connection failed, or signaling did
  | 'closed';         // the agent was disposed

/** Options of a CallAgent. Every field is optional. */
export interface CallAgentOptions {
  /** ICE servers for each RTCPeerConnection. Default [] (host candidates only: same network). */
  iceServers?: RTCIceServer[];
  /** What to capture for a call. Default { audio: true, video: true }; false captures nothing. */
  media?: MediaStreamConstraints | false;
  /** Capture function. Default navigator.mediaDevices.getUserMedia. */
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  /** RTCPeerConnection constructor. Default the global one. */
  RTCPeerConnection?: new (configuration?: RTCConfiguration) => RTCPeerConnection;
  /** Which local ICE candidates to signal. Default: all. */
  candidateFilter?: (candidate: RTCIceCandidateInit) => boolean;
  /** How long an invitation rings before the call ends with 'no_answer', in ms. Default 30000. */
  inviteTimeoutMs?: number;
  /** Invitations older than this are ignored (a stored invitation read on a later bind), in ms. Default 60000. */
  maxInviteAgeMs?: number;
}

/** Options of one call (override the agent's). */
export interface CallOptions {
  /** The room to signal in. Default: a new random one. */
  roomId?: string;
  media?: MediaStreamConstraints | false;
  /** Use this stream instead of capturing one (the call does not stop its tracks). */
  localStream?: MediaStream;
}

/** Events of one call. */
export interface CallEvents {
  state: (state: CallState) => void;
  /** The peer's media arrived (once per stream). */
  remoteStream: (stream: MediaStream) => void;
  /** RTCPeerConnection.connectionState changed. */
  connectionState: (state: PeerConnectionState) => void;
  ended: (reason: CallEndReason, error?: WsdError) => void;
}

interface CallSignal {
  wsdCall: 'invite' | 'reject' | 'cancel' | 'hangup';
  roomId: string;
  media?: { audio: boolean; video: boolean };
  at?: number;
}

const isCallSignal = (msg: unknown): msg is CallSignal =>
  !!msg && typeof msg === 'object' && typeof (msg as CallSignal).wsdCall === 'string' && typeof (msg as CallSignal).roomId === 'string';

const randomId = (): string => {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c?.randomUUID) return c.randomUUID().replace(/-/g, '').slice(0, 16);
  return Math.random().toString(16).slice(2, 10) + Date.now().toString(16);
};

/** One call with one peer. */
export class Call extends Emitter<CallEvents> {
  private _state: CallState = 'ringing';
  private pc: RTCPeerConnection | undefined;
  private ownsStream = false;
  private remoteDescribed = false;
  private pendingCandidates: RTCIceCandidateInit[] = [];
  private pendingOffer: Record<string, unknown> | undefined;
  private offered = false;
  private endedWith: CallEndReason | undefined;
  private readonly cleanups: Array<() => void> = [];
  private ringTimer: ReturnType<typeof setTimeout> | undefined;
  /** The local stream sent to the peer, once there is one. */
  localStream: MediaStream | undefined;
  /** The peer's stream, once it arrived. */
  remoteStream: MediaStream | undefined;

  /** @internal Made by CallAgent. */
  constructor(
    private readonly agent: CallAgent,
    private readonly client: WsdClient,
    /** The other side's uid. */
    readonly peer: string,
    /** The room the signals go through. */
    readonly roomId: string,
    /** Who called. */
    readonly direction: 'outgoing' | 'incoming',
    private readonly options: Required<Pick<CallAgentOptions, 'iceServers' | 'inviteTimeoutMs'>> & CallAgentOptions,
    /** What the caller asked for (incoming calls). */
    readonly media?: { audio: boolean; video: boolean },
  ) {
    super();
    this.listen();
  }

  get state(): CallState {
    return this._state;
  }

  /** The RTCPeerConnection, once made. */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.pc;
  }

  /** Why the call ended (once it did). */
  get endReason(): CallEndReason | undefined {
    return this.endedWith;
  }

  /** Resolves when the peer connection reaches `connected`; rejects if the call ends first. */
  connected(timeoutMs = 30000): Promise<void> {
    if (this._state === 'connected') return Promise.resolve();
    if (this._state === 'ended') return Promise.reject(new WsdError('connection_lost', `the call ended: ${this.endedWith}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        offState();
        offEnded();
        reject(new WsdError('timeout', `the call did not connect within ${timeoutMs} ms`));
      }, timeoutMs);
      const offState = this.on('state', (s) => {
        if (s !== 'connected') return;
        clearTimeout(timer);
        offState();
        offEnded();
        resolve();
      });
      const offEnded = this.on('ended', (reason) => {
        clearTimeout(timer);
        offState();
        offEnded();
        reject(new WsdError('connection_lost', `the call ended: ${reason}`));
      });
    });
  }

  /**
   * Resolves with the end reason once the call has ended (at once if it already has: a
   * call can end before the caller's `await agent.call()` returns, e.g. when rejected).
   */
  whenEnded(): Promise<CallEndReason> {
    if (this.endedWith !== undefined) return Promise.resolve(this.endedWith);
    return new Promise((resolve) => {
      const off = this.on('ended', (reason) => {
        off();
        resolve(reason);
      });
    });
  }

  /** Incoming call: capture media, join the room (or answer the offer already received). */
  async accept(options: Omit<CallOptions, 'roomId'> = {}): Promise<void> {
    if (this.direction !== 'incoming') throw new Error('accept() is for incoming calls');
    if (this._state !== 'ringing') throw new Error(`cannot accept a call that is ${this._state}`);
    this.setState('connecting');
    try {
      await this.preparePeer(options);
      if (this.pendingOffer) {
        await this.answer(this.pendingOffer);
      } else {
        await this.client.joinRoom(this.roomId);  // the caller offers when it sees us join
      }
    } catch (error) {
      this.end('failed', error as WsdError);
      throw error;
    }
  }

  /** Incoming call: say no. */
  async reject(): Promise<void> {
    if (this._state === 'ended') return;
    const signal: CallSignal = { wsdCall: 'reject', roomId: this.roomId, at: Date.now() };
    this.end('rejected');
    await this.client.send(this.peer, signal).catch(() => undefined);
  }

  /** Ends the call (either side, any time): tells the peer, leaves the room, closes the connection. */
  async hangUp(): Promise<void> {
    if (this._state === 'ended') return;
    const kind = this._state === 'ringing' && this.direction === 'outgoing' ? 'cancel' : 'hangup';
    const joined = this.client.rooms.has(this.roomId);
    this.end(kind === 'cancel' ? 'cancelled' : 'hangup');
    await this.client.send(this.peer, { wsdCall: kind, roomId: this.roomId, at: Date.now() } satisfies CallSignal).catch(() => undefined);
    if (joined) await this.client.leaveRoom(this.roomId).catch(() => undefined);
  }

  // ---- the agent's side ---------------------------------------------------------------

  /** @internal Outgoing: room made; invite unless the peer is in it already. */
  async start(members: string[], options: CallOptions): Promise<void> {
    await this.preparePeer(options);
    if (members.includes(this.peer)) {
      await this.offer();
      return;
    }
    const media = this.constraints(options);
    const invite: CallSignal = {
      wsdCall: 'invite',
      roomId: this.roomId,
      media: { audio: !!(media && media.audio), video: !!(media && media.video) },
      at: Date.now(),
    };
    this.ringTimer = setTimeout(() => {
      if (this._state !== 'ringing') return;
      void this.client.send(this.peer, { wsdCall: 'cancel', roomId: this.roomId, at: Date.now() } satisfies CallSignal).catch(() => undefined);
      this.end('no_answer');
    }, this.options.inviteTimeoutMs);
    await this.client.send(this.peer, invite);
  }

  /** @internal Incoming without invitation: an offer in a room both are in. */
  holdOffer(sdp: Record<string, unknown>): void {
    this.pendingOffer = sdp;
  }

  /** @internal Ends without telling the peer (agent disposed, callee offline). */
  abort(reason: CallEndReason = 'closed'): void {
    this.end(reason);
  }

  // ---- internals -------------------------------------------------------------------------

  private constraints(options: CallOptions): MediaStreamConstraints | false {
    if (options.media !== undefined) return options.media;
    if (this.options.media !== undefined) return this.options.media;
    return { audio: true, video: true };
  }

  private async preparePeer(options: CallOptions): Promise<void> {
    const PC = this.options.RTCPeerConnection ?? (globalThis as { RTCPeerConnection?: typeof RTCPeerConnection }).RTCPeerConnection;
    if (!PC) throw new WsdError('transport_failed', 'no RTCPeerConnection here: pass options.RTCPeerConnection');
    const constraints = this.constraints(options);
    if (options.localStream) {
      this.localStream = options.localStream;
    } else if (constraints && (constraints.audio || constraints.video)) {
      const gum = this.options.getUserMedia ??
        ((c: MediaStreamConstraints) => (globalThis as { navigator?: Navigator }).navigator!.mediaDevices.getUserMedia(c));
      this.localStream = await gum(constraints);
      this.ownsStream = true;
    }
    if (this._state === 'ended') {
      this.stopLocal();
      throw new WsdError('connection_lost', 'the call ended while capturing media');
    }
    const pc = new PC({ iceServers: this.options.iceServers });
    this.pc = pc;
    if (this.localStream) {
      for (const track of this.localStream.getTracks()) pc.addTrack(track, this.localStream);
    } else if (this.direction === 'outgoing') {
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.addTransceiver('video', { direction: 'recvonly' });
    }
    pc.onicecandidate = (event) => {
      if (!event.candidate || this._state === 'ended') return;
      const init = event.candidate.toJSON();
      if (this.options.candidateFilter && !this.options.candidateFilter(init)) return;
      this.client.sendIce(this.roomId, this.peer, init as object).catch(() => undefined);
    };
    pc.ontrack = (event) => {
      const MS = (globalThis as { MediaStream?: typeof MediaStream }).MediaStream;
      const stream = event.streams[0] ?? this.remoteStream ?? (MS ? new MS() : undefined);
      if (!stream) return;
      if (!event.streams[0] && !stream.getTracks().includes(event.track)) stream.addTrack(event.track);
      if (stream !== this.remoteStream) {
        this.remoteStream = stream;
        this.emit('remoteStream', stream);
      }
    };
    pc.onconnectionstatechange = () => {
      const s = pc.connectionState;
      this.emit('connectionState', s);
      if (s === 'connected') {
        this.setState('connected');
      } else if (s === 'failed') {
        this.end('failed', new WsdError('transport_failed', 'the peer connection failed'));
      }
    };
  }

  private async offer(): Promise<void> {
    if (this.offered || !this.pc || this._state === 'ended') return;
    this.offered = true;
    if (this.ringTimer !== undefined) clearTimeout(this.ringTimer);
    this.setState('connecting');
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    await this.client.sendOffer(this.roomId, this.peer, { type: offer.type, sdp: offer.sdp });
  }

  private async answer(sdp: Record<string, unknown>): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    await pc.setRemoteDescription(sdp as unknown as RTCSessionDescriptionInit);
    this.remoteDescribed = true;
    await this.flushCandidates();
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await this.client.sendAnswer(this.roomId, this.peer, { type: answer.type, sdp: answer.sdp });
  }

  private async flushCandidates(): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    for (const c of this.pendingCandidates.splice(0)) await pc.addIceCandidate(c).catch(() => undefined);
  }

  private listen(): void {
    const mine = (m: { roomId: string; from?: string; uid?: string }, who: string | undefined) =>
      m.roomId === this.roomId && who === this.peer;
    const on = <K extends keyof ServerMessageMap>(type: K, fn: (m: ServerMessageMap[K], ctx: MessageContext) => void) =>
      this.cleanups.push(this.client.on(type, fn as never));
    on('room_member_joined', (m) => {
      if (mine(m, m.uid) && this.direction === 'outgoing' && this._state === 'ringing') {
        this.offer().catch((e: unknown) => this.end('failed', e as WsdError));
      }
    });
    on('room_member_left', (m) => {
      // Before media flows, a peer leaving the room ends the call. Once connected, media no
      // longer needs the room (the peer may just be reconnecting to wsd): only a hang-up
      // message or the peer connection failing ends it.
      if (mine(m, m.uid) && this._state === 'connecting') this.end('remote_hangup');
    });
    on('webrtc_offer', (m) => {
      if (!mine(m, m.from) || this.direction !== 'incoming') return;
      if (!this.pc) this.pendingOffer = m.sdp;
      else if (this._state === 'connecting' || this._state === 'connected') {
        this.answer(m.sdp).catch((e: unknown) => this.end('failed', e as WsdError));  // also renegotiation
      }
    });
    on('webrtc_answer', (m) => {
      if (!mine(m, m.from) || !this.pc || this.direction !== 'outgoing') return;
      this.pc
        .setRemoteDescription(m.sdp as unknown as RTCSessionDescriptionInit)
        .then(() => {
          this.remoteDescribed = true;
          return this.flushCandidates();
        })
        .catch((e: unknown) => this.end('failed', e as WsdError));
    });
    on('webrtc_ice', (m) => {
      if (!mine(m, m.from) || m.candidate === null) return;
      const c = m.candidate as RTCIceCandidateInit;
      if (this.pc && this.remoteDescribed) this.pc.addIceCandidate(c).catch(() => undefined);
      else this.pendingCandidates.push(c);
    });
    on('direct', (m) => {
      if (m.from !== this.peer || !isCallSignal(m.msg) || m.msg.roomId !== this.roomId) return;
      const kind = m.msg.wsdCall;
      if (kind === 'reject') this.end('rejected');
      else if (kind === 'cancel') this.end('cancelled');
      else if (kind === 'hangup') this.end('remote_hangup');
    });
    on('error', (m, ctx) => {
      const r = ctx.request as { type?: string; roomId?: string } | undefined;
      if (r?.roomId === this.roomId && r.type?.startsWith('webrtc_') && this._state !== 'ended') {
        this.end('failed', new WsdError(m.code ?? 'unknown', m.msg, { request: ctx.request! }));
      }
    });
  }

  private setState(state: CallState): void {
    if (this._state === state || this._state === 'ended') return;
    this._state = state;
    this.emit('state', state);
  }

  private stopLocal(): void {
    if (this.ownsStream) for (const t of this.localStream?.getTracks() ?? []) t.stop();
  }

  private end(reason: CallEndReason, error?: WsdError): void {
    if (this._state === 'ended') return;
    this.endedWith = reason;
    if (this.ringTimer !== undefined) clearTimeout(this.ringTimer);
    for (const off of this.cleanups.splice(0)) off();
    if (this.pc) {
      this.pc.onicecandidate = this.pc.ontrack = this.pc.onconnectionstatechange = null;
      this.pc.close();
    }
    this.stopLocal();
    this._state = 'ended';
    this.emit('state', 'ended');
    this.emit('ended', reason, error);
    this.agent.forget(this);
    // The room of the call is left too (hangUp() leaves it itself, after telling the peer).
    if (reason !== 'hangup' && reason !== 'cancelled' && this.client.rooms.has(this.roomId)) {
      this.client.leaveRoom(this.roomId).catch(() => undefined);
    }
  }
}

/** Events of a CallAgent. */
export interface CallAgentEvents {
  /** Someone calls: accept() or reject() it. */
  incoming: (call: Call) => void;
}

/** Places and receives one-to-one calls for one WsdClient (which must be bound). */
export class CallAgent extends Emitter<CallAgentEvents> {
  private readonly calls = new Set<Call>();
  private readonly options: Required<Pick<CallAgentOptions, 'iceServers' | 'inviteTimeoutMs'>> & CallAgentOptions;
  private readonly offs: Array<() => void> = [];

  constructor(private readonly client: WsdClient, options: CallAgentOptions = {}) {
    super();
    this.options = { ...options, iceServers: options.iceServers ?? [], inviteTimeoutMs: options.inviteTimeoutMs ?? 30000 };
    const maxAge = options.maxInviteAgeMs ?? 60000;
    this.offs.push(
      client.on('direct', (m) => {
        if (!isCallSignal(m.msg) || m.msg.wsdCall !== 'invite') return;
        if (typeof m.msg.at === 'number' && Date.now() - m.msg.at > maxAge) return;
        if (this.find(m.from, m.msg.roomId)) return;
        const call = new Call(this, client, m.from, m.msg.roomId, 'incoming', this.options, m.msg.media);
        this.calls.add(call);
        this.emit('incoming', call);
      }),
      client.on('webrtc_offer', (m) => {
        if (this.find(m.from, m.roomId)) return;  // the call's own listener takes it
        const call = new Call(this, client, m.from, m.roomId, 'incoming', this.options);
        call.holdOffer(m.sdp);
        this.calls.add(call);
        this.emit('incoming', call);
      }),
    );
  }

  /** Calls in progress. */
  get active(): ReadonlySet<Call> {
    return this.calls;
  }

  /**
   * Calls `to`: creates the room, captures media, and invites (or offers at once if `to` is
   * in the room already). Resolves with the ringing call; `call.connected()` waits for media.
   * Rejects (and the call ends 'offline') when `to` is not online.
   */
  async call(to: string, options: CallOptions = {}): Promise<Call> {
    if (!this.client.uid) throw new WsdError('not_bound', 'bind a uid before calling');
    const roomId = options.roomId ?? `call-${randomId()}`;
    const room = await this.client.createRoom(roomId);
    const call = new Call(this, this.client, to, roomId, 'outgoing', this.options);
    this.calls.add(call);
    if (!room.members.includes(to) && !(await this.client.online(to))) {
      call.abort('offline');
      throw new WsdError('target_not_in_room', `${to} is not online`);
    }
    try {
      await call.start(room.members, options);
    } catch (error) {
      await call.hangUp();
      throw error;
    }
    return call;
  }

  /** Ends every call without telling peers and stops listening. */
  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    for (const call of [...this.calls]) call.abort('closed');
  }

  /** @internal */
  forget(call: Call): void {
    this.calls.delete(call);
  }

  private find(peer: string, roomId: string): Call | undefined {
    for (const c of this.calls) if (c.peer === peer && c.roomId === roomId) return c;
    return undefined;
  }
}
