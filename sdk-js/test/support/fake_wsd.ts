// A stand-in for wsd behind a fake WebSocket class, for unit tests of the client's own
// logic (queue, correlation, reconnect, heartbeat) with full control over timing and
// failures. It answers like wsd for the common calls; tests change what it does per type.
// Every message the client sends is checked against schemas/client/<type>.json.
// Integration tests use the real server; this never stands in for it there.
import { createValidator } from './schemas.js';

type Json = { type: string; [k: string]: unknown };
type Answer = (msg: Json, socket: FakeSocket) => void;

const validateClient = createValidator('client');

export class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readyState = 0;
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  readonly sent: Json[] = [];
  uid: string | undefined;
  readonly connId: string;
  private nodeListeners = new Map<string, (...a: unknown[]) => void>();

  constructor(readonly server: FakeWsd, readonly url: string) {
    this.connId = `c${++server.connCount}`;
    server.sockets.push(this);
    queueMicrotask(() => server.onOpen(this));
  }

  // ws-package style listeners (unexpected-response)
  on(event: string, listener: (...a: unknown[]) => void): void {
    this.nodeListeners.set(event, listener);
  }

  send(text: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    const msg = JSON.parse(text) as Json;
    this.server.errors.push(...validateClient(msg));
    this.sent.push(msg);
    this.server.received.push(msg);
    this.server.onClientMessage(msg, this);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    queueMicrotask(() => this.onclose?.({ code, reason }));
  }

  // ---- what the server does to this socket ----
  deliver(msg: Json): void {
    if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(msg) });
  }
  /** The server closes the connection with a close frame. */
  serverClose(code: number, reason: string): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  /** Refuses the handshake as the `ws` package reports it (HTTP status and JSON body). */
  refuseHandshake(status: number, body: object): void {
    const listener = this.nodeListeners.get('unexpected-response');
    const handlers = new Map<string, (arg?: unknown) => void>();
    listener?.({}, {
      statusCode: status,
      on: (ev: string, fn: (arg?: unknown) => void) => handlers.set(ev, fn),
    });
    handlers.get('data')?.(JSON.stringify(body));
    handlers.get('end')?.();
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({ code: 1006, reason: '' });
  }
  /** The connection fails before opening (nothing listens). */
  fail(): void {
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({ code: 1006, reason: '' });
  }
}

export class FakeWsd {
  readonly sockets: FakeSocket[] = [];
  readonly received: Json[] = [];
  readonly errors: string[] = [];
  connCount = 0;
  /** What happens to a new socket: open (default), fail, or a refusal. */
  admit: (socket: FakeSocket) => 'open' | 'fail' | { status: number; body: object } = () => 'open';
  /** Types the server does not answer (to test timeouts and dead links). */
  readonly silent = new Set<string>();
  /** Per-type answer overrides. */
  readonly answers = new Map<string, Answer>();
  private waiters: Array<() => void> = [];

  /** The WebSocket constructor for ClientOptions.WebSocket. */
  get WebSocket(): new (url: string) => WebSocket {
    const server = this;
    return class extends FakeSocket {
      constructor(url: string) {
        super(server, url);
      }
    } as unknown as new (url: string) => WebSocket;
  }

  get last(): FakeSocket {
    const s = this.sockets[this.sockets.length - 1];
    if (!s) throw new Error('no socket yet');
    return s;
  }

  get open(): FakeSocket[] {
    return this.sockets.filter((s) => s.readyState === 1);
  }

  /** Resolves once `pred` holds (checked after every message the client sends). */
  until(pred: () => boolean, what = 'condition', timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake wsd: no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`)), timeoutMs);
      const check = () => {
        if (!pred()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
      check();
    });
  }

  onOpen(socket: FakeSocket): void {
    const verdict = this.admit(socket);
    if (verdict === 'fail') return socket.fail();
    if (verdict !== 'open') return socket.refuseHandshake(verdict.status, verdict.body);
    socket.readyState = 1;
    socket.onopen?.({});
    socket.deliver({ type: 'connected', connId: socket.connId });
    this.notify();
  }

  onClientMessage(msg: Json, socket: FakeSocket): void {
    try {
      if (this.silent.has(msg.type)) return;
      const custom = this.answers.get(msg.type);
      if (custom) return custom(msg, socket);
      this.answerLikeWsd(msg, socket);
    } finally {
      this.notify();
    }
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private bound(): string[] {
    return [...new Set(this.open.map((s) => s.uid).filter((u): u is string => !!u))].sort();
  }

  private answerLikeWsd(msg: Json, s: FakeSocket): void {
    const needsBind = !['bind', 'list', 'online', 'ping', 'pong'].includes(msg.type);
    if (needsBind && !s.uid) return s.deliver({ type: 'error', code: 'not_bound', msg: 'bind a uid first' });
    switch (msg.type) {
      case 'bind':
        s.uid = msg.uid as string;
        return s.deliver({ type: 'bind_success', uid: s.uid });
      case 'send': {
        const live = this.open.filter((o) => o.uid === msg.to);
        for (const o of live) o.deliver({ type: 'direct', from: s.uid!, to: msg.to as string, msg: msg.msg, timestamp: Date.now() });
        return s.deliver({ type: 'send_success', to: msg.to as string, ...(live.length ? {} : { offline: true }) });
      }
      case 'broadcast':
        for (const o of this.open) o.deliver({ type: 'broadcast', msg: msg.msg, from: s.uid!, timestamp: Date.now() });
        return;
      case 'list':
        return s.deliver({ type: 'list', uids: this.bound() });
      case 'online':
        return s.deliver({ type: 'online_result', uid: msg.uid as string, online: this.bound().includes(msg.uid as string) });
      case 'ping':
        return s.deliver({ type: 'pong' });
      case 'room_create':
      case 'room_join':
        // A room that never had a message (tests script room messages themselves).
        return s.deliver({
          type: msg.type === 'room_create' ? 'room_created' : 'room_joined',
          roomId: msg.roomId as string,
          members: [s.uid!],
          offset: 0,
          epoch: '',
          ...(msg.since !== undefined ? { recovered: true } : {}),
        });
      case 'room_leave':
        return s.deliver({ type: 'room_left', roomId: msg.roomId as string });
      default:
        return;
    }
  }
}
