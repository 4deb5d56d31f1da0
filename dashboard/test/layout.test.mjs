// Every section of the dashboard at a desktop (1280×800) and a phone (390×844) width, with
// data in it (a project, tokens, a webhook, console messages): a screenshot of each into
// SCREENSHOTS (layout-desktop-*.png, layout-phone-*.png), no horizontal scrolling of the
// page, no snippet, URL or log box wider than the box it sits in, no snippet line cut off
// (they wrap), every date in ISO 8601
// order (2027-01-04 12:00), and the product's name on the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminCall, choose, launchBrowser, openSection, projectWithToken, screenshot, signIn, startWsd } from './lib/harness.mjs';

const SECTIONS = ['projects', 'tokens', 'config', 'console', 'call', 'mail', 'live', 'settings'];
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const ISO_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;
// A token expiring on 4 January 2027 at 12:00 local time: written 04/01/2027 by en-GB.
const EXPIRES = new Date(2027, 0, 4, 12, 0).getTime();

let wsd;
let browser;
let token;

before(async () => {
  wsd = await startWsd();
  token = await projectWithToken(wsd, 'layout');
  await adminCall(wsd, 'PATCH', '/token', { projectKey: 'layout', token, expiresAt: EXPIRES });
  await adminCall(wsd, 'POST', '/webhook', { projectKey: 'layout', url: 'https://backend.example/wsd-hooks/with/a/rather/long/path/that/must/wrap', events: ['connect', 'message'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await wsd?.dispose();
});

// What overflows in the visible section: the page itself, and each box that holds code,
// a URL or a log line against the element it sits in.
function overflowOf(page) {
  return page.evaluate(() => {
    const problems = [];
    const page = document.scrollingElement;
    if (page.scrollWidth > window.innerWidth) problems.push(`the page is ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
    const boxes = document.querySelectorAll('.section:not([hidden]) :is(.code-block, pre, .url-row, .log-line, .card, .callout)');
    for (const box of boxes) {
      const outer = box.parentElement.getBoundingClientRect();
      const inner = box.getBoundingClientRect();
      if (inner.width > 0 && inner.right > outer.right + 1) {
        problems.push(`${box.id || box.className} is ${Math.round(inner.right - outer.right)}px wider than ${box.parentElement.id || box.parentElement.className}`);
      }
    }
    // Snippets wrap their long lines (a URL with its token): all of the code is in view.
    for (const pre of document.querySelectorAll('.section:not([hidden]) pre.code')) {
      if (pre.scrollWidth > pre.clientWidth + 1) problems.push(`${pre.id || 'a snippet'} hides ${pre.scrollWidth - pre.clientWidth}px of its lines`);
    }
    return problems;
  });
}

for (const [name, viewport] of Object.entries(SIZES)) {
  test(`${name} (${viewport.width}×${viewport.height}): every section fits the width, and its screenshot is taken`, { timeout: 90000 }, async () => {
    const page = await browser.newPage({ viewport });
    await signIn(page, wsd);
    for (const section of SECTIONS) {
      await openSection(page, section);
      // The one project and its one token are chosen by themselves.
      if (section === 'config') await page.waitForSelector('#config-ws-snippet');
      if (section === 'settings') await page.waitForSelector('#webhooks-table tbody tr');
      if (section === 'console') {
        await page.click('#console-connect');
        await page.waitForSelector('#console-log .log-line.in >> text=bind_success');
      }
      assert.deepEqual(await overflowOf(page), [], `${section} at ${name} width`);
      await screenshot(page, `layout-${name}-${section}`);
    }
    await page.close();  // and with it the console's session
    browser.assertNoPageErrors();
  });
}

test('dates are written in ISO 8601 order, never day/month/year, and the page names wsd', async () => {
  const page = await browser.newPage({ viewport: SIZES.desktop });
  await signIn(page, wsd);
  const dates = [];
  await page.waitForSelector('#projects-table tbody tr');
  dates.push(...(await page.$$eval('#projects-table tbody td[data-label="Created"]', (cells) => cells.map((c) => c.textContent))));
  await openSection(page, 'tokens');
  await choose(page, 'layout');
  await page.waitForSelector('#tokens-table tbody tr');
  const [created, expires] = await page.$$eval('#tokens-table tbody tr:first-child td', (cells) => [cells[1].textContent, cells[2].textContent]);
  dates.push(created, expires);
  assert.equal(expires, '2027-01-04 12:00');
  await openSection(page, 'settings');
  await page.waitForSelector('#webhooks-table tbody tr');
  dates.push(await page.$eval('#webhooks-table tbody tr td[data-label="Created"]', (c) => c.textContent));
  for (const date of dates) assert.match(date, ISO_DATE);
  for (const section of SECTIONS) {
    await openSection(page, section);
    assert.doesNotMatch(await page.innerText('body'), /\b\d{1,2}\/\d{1,2}\/\d{4}\b/, `a day/month date in ${section}`);
  }
  assert.match(await page.title(), /wsd/);
  assert.equal((await page.textContent('.brand-title')).trim(), 'wsd');
  assert.doesNotMatch(await page.content(), /WebSocket Admin/);
  await page.close();
  browser.assertNoPageErrors();
});
