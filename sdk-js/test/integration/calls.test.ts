// The WebRTC call helper's signaling against a real wsd, in Node, with a scripted
// RTCPeerConnection (the real one runs in test/browser): invitation, accept, reject, no
// answer, offline callee, hang-up from either side, and a seed-style peer that just
// sends webrtc_offer in a room both are in.
import { describe, expect, test } from 'vitest';
import { CallAgent, type Call, type CallEndReason } from '../../dist/esm/index.js';
import { connected, freshProject, useServer } from '../support/harness.js';

const ctx = useServer();

// Connects once it has a local and a remote description and one remote candidate.
class FakePeerConnection {
  static made: FakePeerConnection[] = [];
  connectionState: RTCPeerConnectionState = 'new';
  onicecandidate: ((e: { candidate: { toJSON(): RTCIceCandidateInit } | null }) => void) | null = null;
  ontrack: unknown = null;
  onconnectionstatechange: (() => void) | null = null;
  local: RTCSessionDescriptionInit | undefined;
  remote: RTCSessionDescriptionInit | undefined;
  readonly candidates: RTCIceCandidateInit[] = [];
  constructor(readonly config: RTCConfiguration) {
    FakePeerConnection.made.push(this);
  }
  addTrack(): void {}
  addTransceiver(): void {}
  async createOffer() {
    return { type: 'offer' as const, sdp: 'v=0 fake offer' };
  }
  async createAnswer() {
    return { type: 'answer' as const, sdp: 'v=0 fake answer' };
  }
  async setLocalDescription(d: RTCSessionDescriptionInit) {
    this.local = d;
    for (const address of ['127.0.0.1', '192.0.2.9']) {
      const init = { candidate: `candidate:1 1 udp 1 ${address} 9 typ host`, sdpMid: '0', sdpMLineIndex: 0 };
      queueMicrotask(() => this.onicecandidate?.({ candidate: { toJSON: () => init } }));
    }
    this.check();
  }
  async setRemoteDescription(d: RTCSessionDescriptionInit) {
    this.remote = d;
    this.check();
  }
  async addIceCandidate(c: RTCIceCandidateInit) {
    this.candidates.push(c);
    this.check();
  }
  close(): void {
    this.connectionState = 'closed';
  }
  private check(): void {
    if (this.local && this.remote && this.candidates.length > 0 && this.connectionState === 'new') {
      this.connectionState = 'connected';
      this.onconnectionstatechange?.();
    }
  }
}

const options = {
  media: false as const,
  RTCPeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection,
  candidateFilter: (c: RTCIceCandidateInit) => (c.candidate ?? '').includes(' 127.0.0.1 '),
};

async function pair() {
  const auth = await freshProject(ctx.server);
  const alice = await connected(ctx.server.url, auth, { transport: 'ws', uid: 'alice' });
  const bob = await connected(ctx.server.url, auth, { transport: 'poll', uid: 'bob' });
  return { auth, alice, bob, aliceAgent: new CallAgent(alice, options), bobAgent: new CallAgent(bob, options) };
}

const ended = (call: Call): Promise<CallEndReason> => call.whenEnded();
const incoming = (agent: CallAgent) => new Promise<Call>((resolve) => agent.on('incoming', resolve));

describe('CallAgent', () => {
  test('invite, accept: offer, answer and candidates cross, both sides connect', async () => {
    FakePeerConnection.made = [];
    const { alice, bob, aliceAgent, bobAgent } = await pair();
    const ringing = incoming(bobAgent);
    const call = await aliceAgent.call('bob', { roomId: 'call-1' });
    expect(call.state).toBe('ringing');
    expect([...alice.rooms]).toEqual(['call-1']);
    const theirs = await ringing;
    expect(theirs).toMatchObject({ peer: 'alice', roomId: 'call-1', direction: 'incoming', media: { audio: false, video: false } });
    await theirs.accept();
    await Promise.all([call.connected(10000), theirs.connected(10000)]);
    const [callerPc, calleePc] = [call.peerConnection, theirs.peerConnection] as unknown as FakePeerConnection[];
    expect(calleePc!.remote).toEqual({ type: 'offer', sdp: 'v=0 fake offer' });
    expect(callerPc!.remote).toEqual({ type: 'answer', sdp: 'v=0 fake answer' });
    // Only the candidates the filter let through were signalled.
    for (const pc of [callerPc!, calleePc!]) expect(pc.candidates.map((c) => c.candidate)).toEqual(['candidate:1 1 udp 1 127.0.0.1 9 typ host']);
    expect(callerPc!.config.iceServers).toEqual([]);
    expect([...bob.rooms]).toEqual(['call-1']);

    const bobEnded = ended(theirs);
    const bobLeft = bob.once('room_left');  // the callee leaves the room when the call ends
    await call.hangUp();
    expect(await bobEnded).toBe('remote_hangup');
    expect(call.endReason).toBe('hangup');
    expect((callerPc as FakePeerConnection).connectionState).toBe('closed');
    await bobLeft;
    expect([...alice.rooms, ...bob.rooms]).toEqual([]);
    expect(aliceAgent.active.size + bobAgent.active.size).toBe(0);
  });

  test('reject: the caller is told', async () => {
    const { aliceAgent, bobAgent } = await pair();
    bobAgent.on('incoming', (c) => void c.reject());
    const call = await aliceAgent.call('bob');
    expect(await ended(call)).toBe('rejected');
  });

  test('no answer within inviteTimeoutMs: the call ends and the callee is told it was cancelled', async () => {
    const { alice, bobAgent } = await pair();
    const agent = new CallAgent(alice, { ...options, inviteTimeoutMs: 300 });
    const ringing = incoming(bobAgent);
    const call = await agent.call('bob');
    const theirs = await ringing;
    const [mine, other] = await Promise.all([ended(call), ended(theirs)]);
    expect([mine, other]).toEqual(['no_answer', 'cancelled']);
  });

  test('an offline callee: call() rejects and the call ends offline', async () => {
    const { aliceAgent, alice } = await pair();
    const left = alice.once('room_left');
    await expect(aliceAgent.call('nobody')).rejects.toMatchObject({ code: 'target_not_in_room' });
    expect(aliceAgent.active.size).toBe(0);
    await left;
    expect([...alice.rooms]).toEqual([]);
  });

  test('the callee hangs up: the caller ends remote_hangup', async () => {
    const { aliceAgent, bobAgent } = await pair();
    bobAgent.on('incoming', (c) => void c.accept());
    const call = await aliceAgent.call('bob');
    await call.connected(10000);
    const theirs = [...bobAgent.active][0]!;
    const callerEnded = ended(call);
    await theirs.hangUp();
    expect(await callerEnded).toBe('remote_hangup');
  });

  test("a seed-style peer's webrtc_offer in a shared room rings too, and accept() answers it", async () => {
    const { alice, bob, bobAgent } = await pair();
    await alice.createRoom('shared');
    await bob.joinRoom('shared');
    const ringing = incoming(bobAgent);
    const answered = alice.once('webrtc_answer');
    await alice.sendOffer('shared', 'bob', { type: 'offer', sdp: 'v=0 seed offer' });
    const call = await ringing;
    expect(call).toMatchObject({ peer: 'alice', roomId: 'shared' });
    await call.accept();
    expect((await answered)[0]).toMatchObject({ from: 'bob', sdp: { type: 'answer', sdp: 'v=0 fake answer' } });
  });
});
