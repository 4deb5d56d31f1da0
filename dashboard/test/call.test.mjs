// The WebRTC call test of the dashboard: two pages (two participants) with chromium's fake
// camera and microphone join one room through wsd, one calls, the other answers, and a
// real peer connection reaches `connected` with the remote video playing on both sides.
// Then mute, camera off, hang up, and an audio-only call.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { choose, launchBrowser, openSection, projectWithToken, screenshot, signIn, startWsd, text } from './lib/harness.mjs';

let wsd;
let browser;
let alice;
let bob;

before(async () => {
  wsd = await startWsd();
  const token = await projectWithToken(wsd, 'calls');
  browser = await launchBrowser();
  alice = await browser.newPage();
  bob = await browser.newPage();
  for (const [page, uid, peer] of [[alice, 'alice', 'bob'], [bob, 'bob', 'alice']]) {
    await signIn(page, wsd);
    await openSection(page, 'call');
    await choose(page, 'calls', token);
    await page.fill('#call-uid', uid);
    await page.fill('#call-peer', peer);
    await page.fill('#call-room', 'room_1');
  }
});

after(async () => {
  await browser?.close();
  await wsd?.dispose();
});

const logTypes = (page) => page.$$eval('#call-log .log-line', (lines) => lines.map((l) => `${l.querySelector('.log-dir').textContent} ${l.dataset.type}`));

async function join(page, media) {
  await page.bringToFront();
  await page.selectOption('#call-media', media);
  await page.click('#call-join');
  await page.waitForFunction(() => document.querySelector('#call-conn-state')?.textContent === 'connected');
  await page.waitForSelector('#call-start:not([disabled])');
}

// Places a call from alice to bob and answers it; resolves when both are connected.
async function callAndAnswer() {
  await alice.bringToFront();
  await alice.click('#call-start');
  await bob.bringToFront();
  await bob.waitForSelector('#call-incoming:not([hidden])');
  assert.equal(await text(bob, '#call-incoming'), 'Incoming call from alice');
  await bob.click('#call-answer');
  for (const page of [alice, bob]) {
    await page.waitForFunction(() => document.querySelector('#call-pc-state')?.textContent === 'connected', null, { timeout: 20000 });
    await page.waitForFunction(() => document.querySelector('#call-state')?.textContent === 'connected');
  }
}

test('two pages join one room and a video call reaches connected with the remote video playing on both sides', async () => {
  await join(alice, 'video');
  await join(bob, 'video');
  await alice.waitForFunction(() => [...document.querySelectorAll('#call-members .chip')].map((c) => c.textContent).sort().join() === 'alice,bob');
  // Both show their own camera before any call.
  for (const page of [alice, bob]) await page.waitForFunction(() => document.querySelector('#local-video').videoWidth > 0);

  await callAndAnswer();
  for (const page of [alice, bob]) {
    await page.bringToFront();
    await page.waitForFunction(() => document.querySelector('#remote-video').videoWidth > 0, null, { timeout: 20000 });
    assert.equal(await page.isHidden('#remote-placeholder'), true);
  }

  // The call log shows the signaling both ways.
  const aliceLog = await logTypes(alice);
  const bobLog = await logTypes(bob);
  for (const entry of ['→ room_join', '← room_member_joined', '→ webrtc_offer', '← webrtc_answer', '→ webrtc_ice', '← webrtc_ice']) {
    assert.ok(aliceLog.includes(entry), `alice's log has no ${entry}: ${aliceLog.join(', ')}`);
  }
  for (const entry of ['← webrtc_offer', '→ webrtc_answer', '→ webrtc_ice', '← webrtc_ice', '• incoming']) {
    assert.ok(bobLog.includes(entry), `bob's log has no ${entry}: ${bobLog.join(', ')}`);
  }
  await alice.bringToFront();
  await screenshot(alice, '04-call-alice');
  await bob.bringToFront();
  await screenshot(bob, '04-call-bob');
  browser.assertNoPageErrors();
});

test('mute and camera off disable the local tracks; hanging up ends the call on both sides', async () => {
  await alice.bringToFront();
  await alice.click('#call-mute');
  await alice.waitForSelector('#call-mute[aria-pressed="true"]');
  assert.equal(await text(alice, '#call-mute'), 'Unmute');
  await alice.click('#call-camera');
  await alice.waitForSelector('#call-camera[aria-pressed="true"]');
  assert.equal(await alice.evaluate(() => document.querySelector('#local-video').srcObject.getTracks().every((t) => !t.enabled)), true);
  await alice.click('#call-mute');
  await alice.click('#call-camera');
  assert.equal(await alice.evaluate(() => document.querySelector('#local-video').srcObject.getTracks().every((t) => t.enabled)), true);

  await alice.click('#call-hangup');
  for (const page of [alice, bob]) {
    await page.waitForFunction(() => document.querySelector('#call-state')?.textContent === 'idle');
    await page.waitForSelector('#call-start:not([disabled])');
    assert.equal(await page.evaluate(() => document.querySelector('#remote-video').srcObject), null);
  }
  assert.ok((await logTypes(bob)).includes('• ended'));
  assert.match(await bob.$$eval('#call-log [data-type="ended"] .log-detail', (d) => d.at(-1).textContent), /remote_hangup/);
  browser.assertNoPageErrors();
});

test('an audio-only call connects with audio and no video', async () => {
  for (const page of [alice, bob]) {
    await page.bringToFront();
    await page.click('#call-leave');
    await page.waitForSelector('#call-join:not([disabled])');
  }
  await join(alice, 'audio');
  await join(bob, 'audio');
  await callAndAnswer();
  for (const page of [alice, bob]) {
    await page.bringToFront();
    await page.waitForFunction(() => document.querySelector('#remote-video').srcObject?.getAudioTracks().length === 1);
    assert.equal(await page.evaluate(() => document.querySelector('#remote-video').srcObject.getVideoTracks().length), 0);
    assert.equal(await page.isVisible('#remote-placeholder'), true);
    assert.equal(await page.isDisabled('#call-camera'), true);
  }
  await screenshot(bob, '04-call-audio-only');
  await bob.click('#call-hangup');
  await alice.waitForFunction(() => document.querySelector('#call-state')?.textContent === 'idle');
  browser.assertNoPageErrors();
});
