// What every integration test shares: a real wsd per test file, a project per test, and
// clients of the built SDK (dist/) whose every message, both ways, is checked against
// schemas/ (outbound through the WebSocket and fetch they are given, inbound through the
// `message` event).
import WebSocketPackage from 'ws';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { WsdClient, type ClientOptions, type TransportName } from '../../dist/esm/index.js';
import { createValidator } from './schemas.js';
import { freshProject, startWsd, type Wsd } from './wsd.js';

export const TRANSPORTS: TransportName[] = ['ws', 'sse', 'poll'];

const checkClient = createValidator('client');
const checkServer = createValidator('server');
const problems: string[] = [];
const clients: WsdClient[] = [];

/** A WebSocket (the `ws` package's) that checks every frame it sends. */
export class CheckedWebSocket extends WebSocketPackage {
  override send(data: unknown, ...rest: unknown[]): void {
    problems.push(...checkClient(JSON.parse(String(data))));
    (super.send as (...a: unknown[]) => void)(data, ...rest);
  }
}

/** fetch that checks every client message POSTed to /sse and /poll. */
export const checkedFetch: typeof fetch = (input, init) => {
  if (init?.method === 'POST' && /\/(sse|poll)\?/.test(String(input)) && typeof init.body === 'string') {
    problems.push(...checkClient(JSON.parse(init.body)));
  }
  return fetch(input, init);
};

/** Starts one wsd for the file (with `args`); `ctx.server` is it. */
export function useServer(args: string[] = []): { server: Wsd } {
  const ctx = {} as { server: Wsd };
  beforeAll(async () => {
    ctx.server = await startWsd(args);
  });
  afterAll(async () => {
    await ctx.server?.dispose();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    const found = problems.splice(0);
    expect(found, 'every message both ways matches schemas/').toEqual([]);
  });
  return ctx;
}

export { freshProject, startWsd };

type Opts = Partial<ClientOptions> & { transport?: TransportName };

/** A client (not yet connected) of the built SDK, checked against the schemas, closed after the test. */
export function makeClient(url: string, auth: { project: string; token: ClientOptions['token'] }, opts: Opts = {}): WsdClient {
  const { transport, ...rest } = opts;
  const c = new WsdClient({
    url,
    ...auth,
    transports: transport ? [transport] : TRANSPORTS,
    WebSocket: CheckedWebSocket as unknown as ClientOptions['WebSocket'],
    fetch: checkedFetch,
    reconnect: { minDelayMs: 50, maxDelayMs: 300 },
    connectTimeoutMs: 5000,
    requestTimeoutMs: 5000,
    ...rest,
  });
  c.on('message', (m) => problems.push(...checkServer(m)));
  clients.push(c);
  return c;
}

/** A client connected (and bound to `uid`, if given). */
export async function connected(url: string, auth: { project: string; token: ClientOptions['token'] }, opts: Opts = {}): Promise<WsdClient> {
  const c = makeClient(url, auth, opts);
  await c.connect();
  return c;
}

/** Collects events of one type so a test can await the n-th. */
export function collect<T>(subscribe: (push: (v: T) => void) => void) {
  const items: T[] = [];
  const waiters = new Set<() => void>();
  subscribe((v) => {
    items.push(v);
    for (const w of [...waiters]) w();
  });
  return {
    items,
    /** Resolves with the items once there are `n` (rejects after timeoutMs). */
    count(n: number, timeoutMs = 10000): Promise<T[]> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (items.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(items.slice(0, n));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${items.length} of ${n} within ${timeoutMs} ms: ${JSON.stringify(items)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
