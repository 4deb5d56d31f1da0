// Debian's chromium driven by playwright-core (no browser download): a fresh profile per
// launch, and a local HTTP server for the test pages and the built SDK (dist/). Pages
// connect to wsd on 127.0.0.1 (another origin: CORS is part of what is tested).
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { SDK } from './paths.js';

export const CHROMIUM = process.env.WSD_CHROMIUM ?? '/usr/bin/chromium';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/** Serves /dist/** and /test/browser/pages/** of sdk-js on 127.0.0.1. */
export async function startPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!));
    const allowed = path.startsWith('/dist/') || path.startsWith('/test/browser/pages/');
    const file = join(SDK, path);
    if (!allowed || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface Browser {
  context: BrowserContext;
  /** Opens the test page with the SDK loaded as window.wsd; page errors fail `errors`. */
  open(pagesUrl: string): Promise<Page>;
  /** Uncaught errors of any page. */
  errors: string[];
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (apt-get install chromium; deploy/local/install-deps.sh does)`);
  const profile = mkdtempSync(join(tmpdir(), 'wsd-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      // WebRTC on loopback only: gather 127.0.0.1 candidates (the tests signal no others).
      '--allow-loopback-in-peer-connection',
    ],
  });
  const errors: string[] = [];
  return {
    context,
    errors,
    async open(pagesUrl) {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${pagesUrl}/test/browser/pages/index.html`);
      await page.waitForFunction(() => (window as unknown as { sdkReady?: boolean }).sdkReady === true);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
