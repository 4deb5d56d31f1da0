// The admin API, as an operator's script would call it; every answer is schema-checked.
import { assertValid } from './schemas.mjs';
import { randomBytes } from 'node:crypto';

export async function call(server, method, path, body, token = server.adminToken) {
  const headers = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (res.status >= 400) assertValid('http/error_response', json);
  // Several gateways: nothing to wait for. The admin API answers a change once every live
  // gateway has applied it (docs/architecture.md, invariant 10).
  return { status: res.status, body: json };
}

export async function createProject(server, key, name = key) {
  const r = await call(server, 'POST', '/project', { key, name });
  if (r.status !== 200) throw new Error(`create project: ${r.status} ${JSON.stringify(r.body)}`);
  return assertValid('http/project_create_response', r.body);
}

export async function issueToken(server, projectKey, expiresAt) {
  const body = expiresAt === undefined ? { projectKey } : { projectKey, expiresAt };
  const r = await call(server, 'POST', '/token', body);
  if (r.status !== 200) throw new Error(`issue token: ${r.status} ${JSON.stringify(r.body)}`);
  return assertValid('http/token_response', r.body).token;
}

export const revokeToken = (server, projectKey, token) =>
  call(server, 'DELETE', `/token?projectKey=${encodeURIComponent(projectKey)}&token=${encodeURIComponent(token)}`);
export const patchToken = (server, projectKey, token, expiresAt) => call(server, 'PATCH', '/token', { projectKey, token, expiresAt });
export const deleteProject = (server, key) => call(server, 'DELETE', `/project?key=${encodeURIComponent(key)}`);
export async function listProjects(server) {
  const r = await call(server, 'GET', '/project');
  return assertValid('http/project_list_response', r.body).projects;
}

// A project of its own for one test, with one token.
export async function freshProject(server) {
  const project = `p_${randomBytes(6).toString('hex')}`;
  await createProject(server, project);
  const token = await issueToken(server, project);
  return { project, token };
}

// Project settings (PATCH /project) and server secrets (POST /project/secret).
export async function updateProject(server, key, settings) {
  const r = await call(server, 'PATCH', '/project', { key, settings });
  if (r.status !== 200) throw new Error(`update project: ${r.status} ${JSON.stringify(r.body)}`);
  return assertValid('http/project_update_response', r.body);
}

export async function rotateSecret(server, key, graceSeconds) {
  const body = graceSeconds === undefined ? { key } : { key, graceSeconds };
  const r = await call(server, 'POST', '/project/secret', body);
  if (r.status !== 200) throw new Error(`rotate secret: ${r.status} ${JSON.stringify(r.body)}`);
  return assertValid('http/project_secret_response', r.body);
}
