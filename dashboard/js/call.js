// WebRTC call test: this page is one participant. Join a room as a uid (a WsdClient of the
// JS SDK over WebSocket), then call the peer uid or answer its call (the SDK's CallAgent
// does room_create/room_join and webrtc_offer/answer/ice). Local and remote video, mute
// and camera controls, and a log of every signaling message in both directions.
// The SDK is the ESM build of sdk-js, embedded in wsd under /dashboard/sdk/.
import { base } from './api.js';
import { t } from './i18n.js';
import * as store from './store.js';
import { $, el } from './ui.js';

const MAX_LOG = 400;
// Messages the log shows (both ways); pings, pongs and the like are left out.
const LOGGED_TYPES = /^(connected|bind|bind_success|error|direct|send|send_success)$|^room_|^webrtc_/;

let sdk;          // the SDK module, once loaded
let client;       // WsdClient while joined
let agent;        // CallAgent while joined
let localStream;  // our camera/microphone while joined
let call;         // the call in progress (or ringing)
let members = [];

export function init() {
  $('#call-setup').addEventListener('submit', (e) => {
    e.preventDefault();
    join().catch(showError);
  });
  $('#call-leave').addEventListener('click', () => leave().catch(showError));
  $('#call-start').addEventListener('click', () => startCall().catch(showError));
  $('#call-answer').addEventListener('click', () => answer().catch(showError));
  $('#call-hangup').addEventListener('click', () => call?.hangUp().catch(showError));
  $('#call-mute').addEventListener('click', () => toggleTracks('audio', '#call-mute'));
  $('#call-camera').addEventListener('click', () => toggleTracks('video', '#call-camera'));
  $('#call-log-clear').addEventListener('click', () => $('#call-log').replaceChildren());
  window.addEventListener('langchange', render);
  render();
}

export async function show() {
  if (sdk) return;
  try {
    sdk = await import('../sdk/index.js');
    $('#call-no-sdk').hidden = true;
  } catch (e) {
    $('#call-no-sdk').hidden = false;
    $('#call-join').disabled = true;
  }
}

// Signed out: end everything.
export function stop() {
  leave().catch(() => {});
}

// ---- joining and leaving ---------------------------------------------------------------

async function join() {
  await show();
  if (!sdk) return;
  const { project, token } = store.get();
  if (!project || !token) throw new Error(t('config.needToken'));
  hideError();
  const uid = $('#call-uid').value.trim();
  const room = $('#call-room').value.trim();
  setFormEnabled(false);
  await capture();
  client = new sdk.WsdClient({
    url: base().href, project, token, uid, transports: ['ws'], reconnect: false, mode: 'long', WebSocket: LoggedWebSocket,
  });
  watchClient(client);
  try {
    await client.connect();
    const joined = await client.joinRoom(room);
    members = joined.members;
  } catch (e) {
    await leave();
    throw e;
  }
  agent = new sdk.CallAgent(client, { iceServers: iceServers(), media: constraints() });
  agent.on('incoming', onIncoming);
  render();
}

async function leave() {
  const c = client;
  if (call) await call.hangUp().catch(() => {});
  agent?.dispose();
  agent = undefined;
  client = undefined;
  if (c) {
    if (c.rooms.size) await Promise.all([...c.rooms].map((r) => c.leaveRoom(r).catch(() => {})));
    await c.close();
  }
  for (const track of localStream?.getTracks() ?? []) track.stop();
  localStream = undefined;
  $('#local-video').srcObject = null;
  members = [];
  setFormEnabled(true);
  endCallView();
}

function constraints() {
  return { audio: true, video: $('#call-media').value === 'video' };
}

function iceServers() {
  const urls = $('#call-ice').value.split(/[\s,]+/).filter(Boolean);
  return urls.length ? [{ urls }] : [];
}

async function capture() {
  try {
    localStream = await navigator.mediaDevices.getUserMedia(constraints());
    $('#local-video').srcObject = localStream;
    log('•', 'media', localStream.getTracks().map((x) => `${x.kind}: ${x.label || 'track'}`).join(', '));
  } catch (e) {
    localStream = undefined;
    showError(new Error(t('call.noMedia', { msg: e.message })));
  }
}

// ---- calling -----------------------------------------------------------------------------

async function startCall() {
  const peer = $('#call-peer').value.trim();
  const roomId = $('#call-room').value.trim();
  hideError();
  const placed = await agent.call(peer, { roomId, media: constraints(), localStream });
  follow(placed);
}

function onIncoming(incoming) {
  if (call) {
    incoming.reject().catch(() => {});
    return;
  }
  log('•', 'incoming', `${incoming.peer} in ${incoming.roomId}`);
  follow(incoming);
  const box = $('#call-incoming');
  box.textContent = t('call.incoming', { peer: incoming.peer });
  box.hidden = false;
}

async function answer() {
  if (!call || call.direction !== 'incoming') return;
  $('#call-incoming').hidden = true;
  await call.accept({ media: constraints(), localStream });
  render();
}

// Shows the state of `c` as it goes, until it ends.
function follow(c) {
  call = c;
  $('#remote-peer').textContent = `· ${c.peer}`;
  c.on('state', (state) => {
    log('•', 'call', state);
    render();
  });
  c.on('connectionState', (state) => {
    log('•', 'peer connection', state);
    $('#call-pc-state').textContent = state;
    $('#call-pc-state').className = `badge ${state === 'connected' ? 'good' : state === 'failed' ? 'bad' : 'neutral'}`;
  });
  c.on('remoteStream', (stream) => {
    log('•', 'remote stream', stream.getTracks().map((x) => x.kind).join(' + '));
    $('#remote-video').srcObject = stream;
    render();
  });
  c.on('ended', (reason, error) => {
    log('•', 'ended', error ? `${reason}: ${error.message}` : reason);
    if (call === c) endCallView();
  });
  render();
}

function endCallView() {
  call = undefined;
  $('#remote-video').srcObject = null;
  $('#call-incoming').hidden = true;
  $('#remote-peer').textContent = '';
  $('#call-pc-state').textContent = '–';
  $('#call-pc-state').className = 'badge neutral';
  render();
}

function toggleTracks(kind, button) {
  const tracks = localStream?.getTracks().filter((x) => x.kind === kind) ?? [];
  if (!tracks.length) return;
  const off = tracks[0].enabled;
  for (const track of tracks) track.enabled = !off;
  $(button).setAttribute('aria-pressed', String(off));
  log('•', kind === 'audio' ? 'microphone' : 'camera', off ? 'off' : 'on');
  render();
}

// ---- the log -------------------------------------------------------------------------------

// The browser's WebSocket, logging every signaling frame that goes out or comes in: the
// SDK takes it as options.WebSocket, so the log shows the wire, whatever the SDK sends.
class LoggedWebSocket extends WebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', (event) => logFrame('←', event.data));
  }

  send(data) {
    logFrame('→', data);
    super.send(data);
  }
}

function logFrame(direction, data) {
  let msg;
  try {
    msg = JSON.parse(data);
  } catch {
    return;
  }
  if (LOGGED_TYPES.test(msg.type ?? '')) log(direction, msg.type, describeMessage(msg));
}

// Room members and the connection's state, from the client's events.
function watchClient(c) {
  c.on('message', (msg) => {
    if (msg.type === 'room_member_joined' && !members.includes(msg.uid)) members = [...members, msg.uid];
    if (msg.type === 'room_member_left') members = members.filter((m) => m !== msg.uid);
    if (msg.type === 'room_joined' || msg.type === 'room_created') members = msg.members;
    if (msg.type === 'room_left') members = [];
    renderMembers();
  });
  c.on('state', ({ to, error }) => {
    log('•', 'client', error ? `${to}: ${error.message}` : to);
    renderConnState(to);
  });
}

function describeMessage(msg) {
  const peer = msg.from ? `from ${msg.from}` : msg.to ? `to ${msg.to}` : '';
  switch (msg.type) {
    case 'webrtc_offer':
    case 'webrtc_answer': return `${peer} in ${msg.roomId}: ${msg.sdp?.type} (${msg.sdp?.sdp?.length ?? 0} bytes of SDP)`;
    case 'webrtc_ice': return `${peer}: ${candidateText(msg.candidate)}`;
    case 'room_joined':
    case 'room_created': return `${msg.roomId}: ${msg.members.join(', ')}`;
    case 'room_member_joined':
    case 'room_member_left': return `${msg.uid} in ${msg.roomId}`;
    case 'direct':
    case 'send': return `${peer}: ${JSON.stringify(msg.msg)}`;
    case 'error': return `${msg.code ?? ''} ${msg.msg}`;
    default: {
      const { type, ...rest } = msg;
      return JSON.stringify(rest);
    }
  }
}

// "host 192.168.1.5:50000 udp" out of a candidate line.
function candidateText(candidate) {
  if (!candidate || !candidate.candidate) return 'end of candidates';
  const parts = candidate.candidate.split(' ');
  return `${parts[7] ?? '?'} ${parts[4] ?? '?'}:${parts[5] ?? '?'} ${parts[2] ?? ''}`;
}

function log(direction, type, detail = '') {
  const list = $('#call-log');
  const now = new Date();
  const time = `${now.toLocaleTimeString('en-GB')}.${String(now.getMilliseconds()).padStart(3, '0')}`;
  const kind = direction === '→' ? 'out' : direction === '←' ? 'in' : 'local';
  list.append(
    el(
      'li',
      { class: `log-line ${kind}`, 'data-type': type },
      el('span', { class: 'log-time' }, time),
      el('span', { class: 'log-dir' }, direction),
      el('span', { class: 'log-type' }, type),
      el('span', { class: 'log-detail' }, String(detail)),
    ),
  );
  while (list.children.length > MAX_LOG) list.firstElementChild.remove();
  list.scrollTop = list.scrollHeight;
}

// ---- rendering ---------------------------------------------------------------------------

function setFormEnabled(enabled) {
  for (const id of ['#call-uid', '#call-peer', '#call-room', '#call-media', '#call-ice', '#call-join']) $(id).disabled = !enabled;
}

function showError(e) {
  const box = $('#call-error');
  box.textContent = e.code ? `${e.code}: ${e.message}` : e.message;
  box.hidden = false;
  render();
}

function hideError() {
  $('#call-error').hidden = true;
}

function renderConnState(state) {
  const badge = $('#call-conn-state');
  badge.textContent = state ?? t('call.notJoined');
  badge.className = `badge ${state === 'connected' ? 'good' : state === 'closed' ? 'bad' : 'neutral'}`;
}

function renderMembers() {
  $('#call-members').replaceChildren(...members.map((m) => el('span', { class: 'chip' }, m)));
}

function render() {
  const joined = !!agent;
  const state = call?.state;
  const active = !!call && state !== 'ended';
  $('#call-leave').disabled = !client;
  $('#call-start').disabled = !joined || active;
  $('#call-answer').disabled = !(active && call.direction === 'incoming' && state === 'ringing');
  $('#call-hangup').disabled = !active;
  const audio = localStream?.getAudioTracks()[0];
  const video = localStream?.getVideoTracks()[0];
  $('#call-mute').disabled = !audio;
  $('#call-mute').textContent = audio && !audio.enabled ? t('call.unmute') : t('call.mute');
  $('#call-camera').disabled = !video;
  $('#call-camera').textContent = video && !video.enabled ? t('call.cameraOn') : t('call.cameraOff');
  $('#call-state').textContent = state ?? t('call.idle');
  $('#call-state').className = `badge ${state === 'connected' ? 'good' : state === 'ringing' ? 'warn' : 'neutral'}`;
  $('#local-placeholder').hidden = !!video;
  $('#remote-placeholder').hidden = !!call?.remoteStream?.getVideoTracks().length;
  if (!client) renderConnState(undefined);
  renderMembers();
}
