// The admin API as the page calls it: the admin token lives in sessionStorage (this tab
// only, gone when it closes) and travels only in the Authorization header, never in a
// URL. URLs are relative to the page, so the dashboard also works behind a path prefix.

const TOKEN_KEY = 'wsd.adminToken';

export const base = () => new URL('.', location.href);
export const serverUrl = (path) => new URL(path, base());

export const adminToken = () => sessionStorage.getItem(TOKEN_KEY);
export const setAdminToken = (token) => sessionStorage.setItem(TOKEN_KEY, token);
export const clearAdminToken = () => sessionStorage.removeItem(TOKEN_KEY);

// An HTTP answer >= 400: `status`, and `code` / `msg` from wsd's error body.
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.msg ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? 'http_error';
    this.body = body;
  }
}

// Listeners for a 401 on an admin call: the token is no longer good.
const unauthorizedListeners = new Set();
export const onUnauthorized = (fn) => unauthorizedListeners.add(fn);

async function parse(res) {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { msg: text };
  }
}

// An admin call; resolves with the JSON answer, rejects with ApiError (or a TypeError when
// the server cannot be reached).
export async function admin(method, path, body, token = adminToken()) {
  const headers = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(serverUrl(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await parse(res);
  if (res.status === 401) for (const fn of unauthorizedListeners) fn();
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

export const listProjects = () => admin('GET', 'project');
export const createProject = (key, name) => admin('POST', 'project', name ? { key, name } : { key });
export const deleteProject = (key) => admin('DELETE', `project?key=${encodeURIComponent(key)}`);
export const issueToken = (projectKey, expiresAt) =>
  admin('POST', 'token', expiresAt === undefined ? { projectKey } : { projectKey, expiresAt });
export const updateToken = (projectKey, token, expiresAt) => admin('PATCH', 'token', { projectKey, token, expiresAt });
export const revokeToken = (projectKey, token) =>
  admin('DELETE', `token?projectKey=${encodeURIComponent(projectKey)}&token=${encodeURIComponent(token)}`);

// Project settings: `settings` names only the fields to change; the answer has them all.
export const updateProject = (key, settings) => admin('PATCH', 'project', { key, settings });
// A new server secret; the one it replaces stays valid `graceSeconds` (0: not at all).
export const rotateSecret = (key, graceSeconds) => admin('POST', 'project/secret', { key, graceSeconds });

export const listWebhooks = (projectKey) => admin('GET', `webhook?projectKey=${encodeURIComponent(projectKey)}`);
export const addWebhook = (projectKey, url, events) => admin('POST', 'webhook', { projectKey, url, events });
export const removeWebhook = (projectKey, id) =>
  admin('DELETE', `webhook?projectKey=${encodeURIComponent(projectKey)}&id=${encodeURIComponent(id)}`);

// POST /mail with a project token (the seed's API: project and token in the query).
// Resolves with {status, body, retryAfter} for every answer that came back.
export async function sendMail(project, token, mail) {
  const url = serverUrl(`mail?project=${encodeURIComponent(project)}&token=${encodeURIComponent(token)}`);
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(mail) });
  return { status: res.status, body: await parse(res), retryAfter: res.headers.get('retry-after') };
}

// GET /admin/events?project=P, read with fetch (EventSource cannot send the header).
// Calls onReady(data) for `event: ready` and onEvent(event) for each event, until `signal`
// aborts or the stream ends; resolves when it ends, rejects on errors.
export async function streamEvents(project, { signal, onReady, onEvent }) {
  const res = await fetch(serverUrl(`admin/events?project=${encodeURIComponent(project)}`), {
    headers: { authorization: `Bearer ${adminToken()}`, accept: 'text/event-stream' },
    signal,
  });
  if (res.status === 401) for (const fn of unauthorizedListeners) fn();
  if (!res.ok) throw new ApiError(res.status, await parse(res));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      dispatchBlock(block, onReady, onEvent);
    }
  }
}

// One SSE block: `event:` and `data:` lines; comments (`: keepalive`) carry nothing.
function dispatchBlock(block, onReady, onEvent) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length === 0) return;
  const json = JSON.parse(data.join('\n'));
  if (type === 'ready') onReady?.(json);
  else onEvent?.(json);
}
