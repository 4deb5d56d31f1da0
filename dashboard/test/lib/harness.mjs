// What every dashboard test needs: a real wsd (started as the integration suite starts
// it: own data dir, free port, SMTP sink for mail), Debian's chromium driven by
// playwright-core with a fresh profile and fake camera and microphone, and screenshots
// saved as artifacts (WSD_SCREENSHOTS, by default build/dashboard-screenshots).
//
// The wsd and SMTP helpers are the integration suite's (server/test/integration/lib);
// smtp.mjs loads ajv from that suite's node_modules (deploy/local/test.sh installs both).
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../../server/test/integration/lib/server.mjs';
import { startSmtpSink } from '../../../server/test/integration/lib/smtp.mjs';
import { startDevProxy } from './dev_proxy.mjs';

export const CHROMIUM = process.env.WSD_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = process.env.WSD_SCREENSHOTS ?? new URL('../../../build/dashboard-screenshots', import.meta.url).pathname;

const ARGS = [
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
  // Loopback ICE candidates too, so a call connects on a machine with no other interface.
  '--allow-loopback-in-peer-connection',
];

// wsd (`wsd all`) with an SMTP sink as its relay; `args` are extra wsd flags.
// With WSD_DASHBOARD_FROM_DISK=1 the page comes from the files on disk (lib/dev_proxy.mjs).
export async function startWsd(args = []) {
  const sink = await startSmtpSink();
  const server = await startServer(['--smtp-url', sink.url, ...args]);
  const proxy = process.env.WSD_DASHBOARD_FROM_DISK === '1' ? await startDevProxy(server.url) : null;
  return {
    server,
    sink,
    url: proxy?.url ?? server.url,
    adminToken: server.adminToken,
    async dispose() {
      await proxy?.close();
      await server.dispose();
      await sink.stop();
    },
  };
}

// The admin API from the test itself (fixtures the page then shows).
export async function adminCall(wsd, method, path, body) {
  const res = await fetch(`${wsd.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${wsd.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function projectWithToken(wsd, key) {
  await adminCall(wsd, 'POST', '/project', { key, name: key });
  return (await adminCall(wsd, 'POST', '/token', { projectKey: key })).token;
}

// A chromium with a fresh profile. `pageErrors` collects uncaught errors of every page;
// a test ends with assertNoPageErrors().
export async function launchBrowser({ viewport = { width: 1360, height: 900 } } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (apt-get install chromium)`);
  const profile = mkdtempSync(join(tmpdir(), 'wsd-dashboard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,  // playwright adds --user-data-dir=<profile>: a fresh one per launch
    viewport,
    locale: 'en-US',
  });
  const pageErrors = [];
  const track = (page) => page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.stack ?? e}`));
  context.on('page', track);
  for (const page of context.pages()) track(page);
  return {
    context,
    pageErrors,
    newPage: (options) => (options ? newPageWith(context, options) : context.newPage()),
    assertNoPageErrors() {
      if (pageErrors.length) throw new Error(`uncaught errors in the page:\n${pageErrors.join('\n')}`);
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// A page with its own viewport (a phone), in the same profile.
async function newPageWith(context, { viewport }) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  return page;
}

// Opens the dashboard and signs in with the admin token; resolves once the console shows.
export async function signIn(page, wsd, hash = '') {
  await page.goto(`${wsd.url}/${hash}`);
  await page.fill('#admin-token', wsd.adminToken);
  await page.click('#sign-in-submit');
  await page.waitForSelector('#app-view:not([hidden])');
  await page.waitForSelector('[data-nav].active');
}

export async function openSection(page, name) {
  await page.click(`[data-nav="${name}"]`);
  await page.waitForSelector(`#section-${name}:not([hidden])`);
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));  // clicks scroll; the shot starts at the top
  await page.screenshot({ path, fullPage: true });
  return path;
}

// Chooses project and token in the context bar.
export async function choose(page, project, token) {
  await page.waitForSelector(`#ctx-project option[value="${project}"]`, { state: 'attached' });
  await page.selectOption('#ctx-project', project);
  if (token) {
    await page.waitForSelector(`#ctx-token option[value="${token}"]`, { state: 'attached' });
    await page.selectOption('#ctx-token', token);
  }
}

// Text content of `selector`, trimmed.
export const text = async (page, selector) => ((await page.textContent(selector)) ?? '').trim();
