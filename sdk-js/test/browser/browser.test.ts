// The SDK in a real browser (Debian's chromium, driven by playwright-core): the built ES
// module loaded by a page, the browser's own WebSocket, EventSource and fetch, against a
// real wsd on another origin; fallback behind a proxy; and a WebRTC call between two pages
// with fake camera and microphone whose RTCPeerConnections reach `connected` on loopback.
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { connected, freshProject, TRANSPORTS, useServer } from '../support/harness.js';
import { launchChromium, startPageServer, type Browser } from '../support/browser.js';
import { startProxy, type Proxy } from '../support/proxy.js';

const ctx = useServer();
let browser: Browser;
let pages: { url: string; close(): Promise<void> };
const opened: Page[] = [];

beforeAll(async () => {
  pages = await startPageServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await pages?.close();
});
afterEach(async () => {
  for (const page of opened.splice(0)) {
    await page.evaluate(() => (window as any).client?.close()).catch(() => undefined);
    await page.close();
  }
  expect(browser.errors.splice(0), 'no uncaught errors in the pages').toEqual([]);
});

async function page(): Promise<Page> {
  const p = await browser.open(pages.url);
  opened.push(p);
  return p;
}

type Auth = { project: string; token: string };

// In the page: a WsdClient as window.client, its `direct` messages in window.directs.
async function connectIn(p: Page, url: string, auth: Auth, options: Record<string, unknown>): Promise<{ connId: string; transport: string }> {
  return p.evaluate(
    async ({ url, auth, options }) => {
      const w = window as any;
      const c = new w.wsd.WsdClient({ url, ...auth, reconnect: { minDelayMs: 50, maxDelayMs: 300 }, ...options });
      w.client = c;
      w.directs = [];
      w.failed = [];
      c.on('direct', (m: unknown) => w.directs.push(m));
      c.on('transport_failed', (f: { transport: string; error: { code: string } }) => w.failed.push([f.transport, f.error.code]));
      return c.connect();
    },
    { url, auth, options },
  );
}

describe.each(TRANSPORTS)('in chromium, over %s', (transport) => {
  test("connects with the browser's own API, sends, receives and queries", async () => {
    const auth = await freshProject(ctx.server);
    const p = await page();
    const info = await connectIn(p, ctx.server.url, auth, { transports: [transport], uid: 'browser' });
    expect(info.transport).toBe(transport);
    const node = await connected(ctx.server.url, auth, { transport: 'ws', uid: 'node' });
    const atNode = node.once('direct');
    const sent = await p.evaluate(() => (window as any).client.send('node', { from: 'the page' }));
    expect(sent).toMatchObject({ to: 'node', offline: false });
    expect((await atNode)[0]).toMatchObject({ from: 'browser', msg: { from: 'the page' } });
    await p.evaluate(() => {
      (window as any).nextDirect = (window as any).client.once('direct');  // a block: evaluate would await the promise
    });
    await node.send('browser', 'to the page');
    const [direct] = await p.evaluate(() => (window as any).nextDirect);
    expect(direct).toMatchObject({ from: 'node', to: 'browser', msg: 'to the page' });
    expect(await p.evaluate(() => (window as any).client.list())).toEqual(['browser', 'node']);
    expect(await p.evaluate(() => (window as any).client.broadcast('hi all'))).toMatchObject({ timestamp: expect.any(Number) });
  });
});

describe('in chromium, fallback and refusals', () => {
  let proxy: Proxy;
  beforeAll(async () => {
    proxy = await startProxy(ctx.server.port);
  });
  afterAll(async () => {
    await proxy.close();
  });

  test.each([
    [['/ws'], 'sse'],
    [['/ws', '/sse'], 'poll'],
  ])('with %j refused, the page lands on %s', async (blocked, expected) => {
    proxy.block(blocked);
    const auth = await freshProject(ctx.server);
    const p = await page();
    const info = await connectIn(p, proxy.url, auth, { uid: 'fb', connectTimeoutMs: 5000 });
    expect(info.transport).toBe(expected);
    expect(await p.evaluate(() => (window as any).failed.map((f: string[]) => f[0]))).toEqual(blocked.map((b) => b.slice(1)));
    expect(await p.evaluate(() => (window as any).client.online('fb'))).toBe(true);
    proxy.block([]);
  });

  // A browser's WebSocket sees only 1006; the transport asks the plain GET of /ws why, so
  // the client closes at once with the server's code instead of trying SSE and polling.
  test('a wrong token: the WebSocket transport learns invalid_token from the plain GET of /ws and the client closes', async () => {
    const auth = await freshProject(ctx.server);
    const p = await page();
    const result = await p.evaluate(async ({ url, project }) => {
      const w = window as any;
      const c = new w.wsd.WsdClient({ url, project, token: 'wrong' });
      w.client = c;
      const failed: string[] = [];
      c.on('transport_failed', (f: { transport: string }) => failed.push(f.transport));
      const err = await c.connect().catch((e: { code: string; status: number }) => ({ code: e.code, status: e.status }));
      return { err, failed, state: c.state };
    }, { url: ctx.server.url, project: auth.project });
    expect(result).toEqual({ err: { code: 'invalid_token', status: 401 }, failed: [], state: 'closed' });
  });

  test('an EventSource stream that drops resumes the same session, losing nothing', async () => {
    const auth = await freshProject(ctx.server);
    const p = await page();
    const info = await connectIn(p, proxy.url, auth, { transports: ['sse'], uid: 'resumer' });
    const node = await connected(ctx.server.url, auth, { transport: 'ws', uid: 'n' });
    await p.evaluate(() => {
      const w = window as any;
      w.drops = 0;
      w.client.on('disconnect', () => w.drops++);
      w.nextDirect = w.client.once('direct');
    });
    proxy.cut();
    await node.send('resumer', 'sent while the stream was down');
    const [direct] = await p.evaluate(() => (window as any).nextDirect);
    expect(direct.msg).toBe('sent while the stream was down');
    expect(await p.evaluate(() => [(window as any).client.connId, (window as any).drops])).toEqual([info.connId, 0]);
  });
});

describe('a WebRTC call between two pages', () => {
  test('with fake camera and microphone, both RTCPeerConnections reach connected over loopback; hanging up ends it on both', async () => {
    if (process.env.WSD_BROWSER_NETNS === 'isolated') expect(Object.keys(networkInterfaces())).toEqual(['lo']);
    const auth = await freshProject(ctx.server);
    const alice = await page();
    const bob = await page();
    await connectIn(alice, ctx.server.url, auth, { uid: 'alice', transports: ['ws'] });
    await connectIn(bob, ctx.server.url, auth, { uid: 'bob', transports: ['sse'] });  // any transport signals

    // Only loopback candidates are signalled (chromium gathers them with
    // --allow-loopback-in-peer-connection); run.sh also gives the test a network namespace
    // with nothing but loopback, where it can, so the media stays on 127.0.0.1.
    const setup = () => {
      const w = window as any;
      w.receivedIce = [];
      w.client.on('webrtc_ice', (m: { candidate: { candidate?: string } | null }) => w.receivedIce.push(m.candidate?.candidate));
      w.agent = new w.wsd.CallAgent(w.client, {
        iceServers: [],
        candidateFilter: (c: { candidate?: string }) => / 127\.0\.0\.1 \d+ typ /.test(c.candidate ?? ''),
      });
    };
    await alice.evaluate(setup);
    await bob.evaluate(setup);
    await bob.evaluate(() => {
      const w = window as any;
      w.incoming = new Promise((resolve, reject) => {
        w.agent.on('incoming', (call: any) => {
          w.call = call;
          call.on('remoteStream', (s: MediaStream) => ((document.getElementById('remote') as HTMLVideoElement).srcObject = s));
          call.accept().then(() => call.connected(20000)).then(() => resolve({ from: call.peer, media: call.media }), reject);
        });
      });
    });

    const aliceSide = await alice.evaluate(async () => {
      const w = window as any;
      const call = await w.agent.call('bob');
      w.call = call;
      call.on('remoteStream', (s: MediaStream) => ((document.getElementById('remote') as HTMLVideoElement).srcObject = s));
      await call.connected(20000);
      return { state: call.state, pc: call.peerConnection.connectionState, roomId: call.roomId };
    });
    expect(aliceSide).toMatchObject({ state: 'connected', pc: 'connected' });
    expect(await bob.evaluate(() => (window as any).incoming)).toEqual({ from: 'alice', media: { audio: true, video: true } });

    // Each side receives the other's audio and video, on a loopback candidate pair, and
    // the remote video actually plays frames.
    const media = async (p: Page) =>
      p.evaluate(async () => {
        const w = window as any;
        const pc: RTCPeerConnection = w.call.peerConnection;
        const video = document.getElementById('remote') as HTMLVideoElement;
        await new Promise<void>((resolve) => {
          if (video.videoWidth > 0) return resolve();
          video.addEventListener('resize', () => resolve(), { once: true });
        });
        // The pair in use shows in the stats as nominated and succeeded; chromium may mark
        // it a moment after the connection state says connected, so the stats are read
        // again until it does (or the test's timeout ends the wait).
        let stats: RTCStatsReport;
        let pair: any;
        for (;;) {
          stats = await pc.getStats();
          stats.forEach((s: any) => {
            if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s;
          });
          if (pair) break;
          await new Promise((r) => setTimeout(r, 50));  // a polling interval, not a wait for something
        }
        const local = stats.get(pair.localCandidateId);
        return {
          kinds: (w.call.remoteStream as MediaStream).getTracks().map((t) => t.kind).sort(),
          width: video.videoWidth,
          local: local?.address,
          received: w.receivedIce as string[],
        };
      });
    // Each side sends to loopback candidates only; in the isolated namespace its own end
    // of the pair in use is loopback too (chromium hides a peer-reflexive remote address).
    for (const side of [alice, bob]) {
      const m = await media(side);
      expect(m.kinds).toEqual(['audio', 'video']);
      expect(m.width).toBeGreaterThan(0);
      expect(m.received.length).toBeGreaterThan(0);
      for (const c of m.received) expect(c).toMatch(/ 127\.0\.0\.1 \d+ typ /);
      if (process.env.WSD_BROWSER_NETNS === 'isolated') expect(m.local).toBe('127.0.0.1');
    }

    await bob.evaluate(() => {
      (window as any).ended = (window as any).call.whenEnded();
    });
    await alice.evaluate(() => (window as any).call.hangUp());
    expect(await bob.evaluate(() => (window as any).ended)).toBe('remote_hangup');
    expect(await alice.evaluate(() => [(window as any).call.state, (window as any).call.endReason])).toEqual(['ended', 'hangup']);
  });
});
