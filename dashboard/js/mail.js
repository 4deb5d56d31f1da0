// Mail test: POST /mail with the chosen project and token (the seed's fields: to, subject,
// text, html, fromName), and what came back: status, message, and the token's rate-limit
// window (count of max, allowed or not, Retry-After on 429).
import { sendMail } from './api.js';
import { t } from './i18n.js';
import * as store from './store.js';
import { $ } from './ui.js';

let last;  // the last answer, to render again in another language
let defaultsFilled = false;

export function init() {
  $('#mail-form').addEventListener('submit', onSend);
  window.addEventListener('langchange', () => {
    fillDefaults(true);
    if (last) renderResult(last);
  });
  fillDefaults(false);
}

// The seed's example as defaults, in the page's language (kept once the user typed).
function fillDefaults(languageChanged) {
  const fields = { '#mail-subject': 'mail.defaultSubject', '#mail-text': 'mail.defaultText', '#mail-html': 'mail.defaultHtml', '#mail-from-name': 'mail.defaultFromName' };
  for (const [id, key] of Object.entries(fields)) {
    const input = $(id);
    if (!defaultsFilled || (languageChanged && input.dataset.edited !== 'true')) input.value = t(key);
    input.addEventListener('input', () => (input.dataset.edited = 'true'), { once: true });
  }
  defaultsFilled = true;
}

function mailBody() {
  const to = $('#mail-to').value.split(',').map((s) => s.trim()).filter(Boolean);
  const body = { to: to.length === 1 ? to[0] : to, subject: $('#mail-subject').value };
  for (const [id, name] of [['#mail-text', 'text'], ['#mail-html', 'html'], ['#mail-from-name', 'fromName']]) {
    const value = $(id).value;
    if (value.trim()) body[name] = value;
  }
  return body;
}

async function onSend(event) {
  event.preventDefault();
  const { project, token } = store.get();
  const button = $('#mail-send');
  if (!project || !token) {
    renderResult({ status: 0, body: { status: 'error', msg: t('config.needToken') } });
    return;
  }
  button.disabled = true;
  button.textContent = t('mail.sending');
  try {
    renderResult(await sendMail(project, token, mailBody()));
  } catch (e) {
    renderResult({ status: 0, body: { status: 'error', msg: e.message } });
  } finally {
    button.disabled = false;
    button.textContent = t('mail.send');
  }
}

function renderResult(answer) {
  last = answer;
  const { status, body, retryAfter } = answer;
  $('#mail-none').hidden = true;
  $('#mail-result').hidden = false;
  const badge = $('#mail-status');
  badge.hidden = false;
  badge.textContent = status ? `${status}${body?.code ? ` · ${body.code}` : ''}` : 'error';
  badge.className = `badge ${status === 200 ? 'good' : status === 429 ? 'warn' : 'bad'}`;
  $('#mail-msg').textContent = body?.msg ?? '';
  const limit = body?.rateLimit;
  $('#mail-allowed').hidden = !limit;
  $('#mail-used').hidden = !limit;
  $('#mail-meter').parentElement.hidden = !limit;
  if (limit) {
    $('#mail-allowed').textContent = limit.allowed ? t('mail.allowed') : t('mail.refused');
    $('#mail-allowed').className = `badge ${limit.allowed ? 'good' : 'bad'}`;
    $('#mail-used').textContent = t('mail.used', { count: limit.count, max: limit.max });
    const share = limit.max > 0 ? Math.min(1, limit.count / limit.max) : 1;
    const meter = $('#mail-meter');
    meter.style.width = `${Math.round(share * 100)}%`;
    meter.className = `meter-fill ${share >= 1 ? 'full' : share >= 0.7 ? 'high' : ''}`;
  }
  const retry = $('#mail-retry');
  retry.hidden = !retryAfter;
  if (retryAfter) retry.textContent = t('mail.retryAfter', { s: retryAfter });
  $('#mail-raw').textContent = JSON.stringify(body, null, 2);
}
