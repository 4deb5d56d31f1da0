// The admin client (projects, tokens) and the mail API against a real wsd; mail goes to a
// real SMTP server on loopback (test/support/smtp.ts). Every HTTP answer is checked
// against schemas/http.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AdminClient, MailClient, sendMail, WsdError } from '../../dist/esm/index.js';
import { connected, freshProject, startWsd, useServer } from '../support/harness.js';
import { problems } from '../support/schemas.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp.js';
import type { Wsd } from '../support/wsd.js';

const ctx = useServer();  // no mail relay: POST /mail answers mail_not_configured

// fetch that checks each admin or mail answer against its schema.
const answers: string[] = [];
function checking(schemaFor: (method: string, path: string, status: number) => string | undefined): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const url = new URL(String(input));
    const name = schemaFor(init?.method ?? 'GET', url.pathname, res.status);
    if (name) answers.push(...problems(name, await res.clone().json()));
    return res;
  };
}
const adminSchema = (method: string, path: string, status: number) => {
  if (status >= 400) return 'http/error_response';
  if (path === '/healthz') return 'http/healthz_response';
  if (path === '/project') return method === 'POST' ? 'http/project_create_response' : method === 'GET' ? 'http/project_list_response' : 'http/status_success_response';
  if (path === '/token') return method === 'DELETE' ? 'http/status_success_response' : 'http/token_response';
  if (path === '/webhook') return method === 'POST' ? 'http/webhook_create_response' : method === 'GET' ? 'http/webhook_list_response' : 'http/status_success_response';
  return undefined;
};
const mailSchema = (_m: string, _p: string, status: number) => (status === 200 ? 'http/mail_response' : 'http/error_response');

describe('AdminClient', () => {
  const admin = () => new AdminClient({ url: ctx.server.url, adminToken: ctx.server.adminToken, fetch: checking(adminSchema) });

  test('health', async () => {
    expect(await admin().health()).toBe(true);
  });

  test('projects: create, list with tokens, delete; a duplicate key is project_exists (409)', async () => {
    const a = admin();
    const created = await a.createProject('proj_a', 'Project A');
    expect(created).toEqual({ key: 'proj_a', name: 'Project A', createdAt: expect.any(Number) });
    await expect(a.createProject('proj_a')).rejects.toMatchObject({ code: 'project_exists', status: 409 });
    const token = await a.createToken('proj_a');
    const listed = (await a.listProjects()).find((p) => p.key === 'proj_a');
    expect(listed).toMatchObject({ name: 'Project A', connections: 0, online: 0, tokens: [{ token: token.token, expiresAt: token.expiresAt }] });
    await a.deleteProject('proj_a');
    expect((await a.listProjects()).some((p) => p.key === 'proj_a')).toBe(false);
    await expect(a.deleteProject('proj_a')).rejects.toMatchObject({ code: 'project_not_found', status: 404 });
    expect(answers.splice(0)).toEqual([]);
  });

  test('tokens: default expiry, never-expiring, update, revoke; unknown ones are token_not_found', async () => {
    const a = admin();
    await a.createProject('proj_t');
    const t = await a.createToken('proj_t');
    expect(t.projectKey).toBe('proj_t');
    expect(t.expiresAt! - t.createdAt).toBe(30 * 24 * 3600 * 1000);
    const forever = await a.createToken('proj_t', null);
    expect(forever.expiresAt).toBeNull();
    const later = Date.now() + 3600_000;
    expect((await a.updateToken('proj_t', t.token, later)).expiresAt).toBe(later);
    await a.revokeToken('proj_t', t.token);
    await expect(a.revokeToken('proj_t', t.token)).rejects.toMatchObject({ code: 'token_not_found', status: 404 });
    await expect(a.createToken('no_such_project')).rejects.toMatchObject({ code: 'project_not_found' });
    expect(answers.splice(0)).toEqual([]);
  });

  test('a token the admin client issues lets a client connect; expiring it closes that client', async () => {
    const a = admin();
    await a.createProject('proj_x');
    const t = await a.createToken('proj_x');
    const c = await connected(ctx.server.url, { project: 'proj_x', token: t.token }, { transport: 'ws' });
    const closed = c.once('state', (s) => s.to === 'closed');
    await a.updateToken('proj_x', t.token, Date.now() - 1000);
    expect((await closed)[0].error?.code).toBe('token_expired');
  });

  test('webhooks: create with a generated or given secret, list without secrets, delete; unknown ones are webhook_not_found', async () => {
    const a = admin();
    await a.createProject('proj_w');
    const generated = await a.createWebhook('proj_w', 'http://127.0.0.1:9/hook', ['message', 'connect']);
    expect(generated).toEqual({
      projectKey: 'proj_w', id: expect.stringMatching(/^wh_/), url: 'http://127.0.0.1:9/hook',
      events: ['connect', 'message'], secret: expect.stringMatching(/^[0-9a-f]{64}$/), createdAt: expect.any(Number),
    });
    const given = await a.createWebhook('proj_w', 'https://example.com/h', ['online'], 'my-own-secret-0123');
    expect(given.secret).toBe('my-own-secret-0123');
    const listed = await a.listWebhooks('proj_w');
    expect(listed.map((h) => h.id)).toEqual([generated.id, given.id].sort());
    expect(listed.every((h) => !('secret' in h))).toBe(true);
    await a.deleteWebhook('proj_w', generated.id);
    expect((await a.listWebhooks('proj_w')).map((h) => h.id)).toEqual([given.id]);
    await expect(a.deleteWebhook('proj_w', generated.id)).rejects.toMatchObject({ code: 'webhook_not_found', status: 404 });
    await expect(a.createWebhook('proj_w', 'ftp://x', ['room'])).rejects.toMatchObject({ code: 'bad_request', status: 400 });
    await expect(a.listWebhooks('no_such_project')).rejects.toMatchObject({ code: 'project_not_found', status: 404 });
    expect(answers.splice(0)).toEqual([]);
  });

  test('a wrong admin token is unauthorized (401)', async () => {
    const bad = new AdminClient({ url: ctx.server.url, adminToken: 'wrong', fetch: checking(adminSchema) });
    const err = (await bad.listProjects().catch((e: unknown) => e)) as WsdError;
    expect(err).toBeInstanceOf(WsdError);
    expect(err).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(answers.splice(0)).toEqual([]);
  });

  test('an unreachable server is transport_failed', async () => {
    const gone = new AdminClient({ url: 'http://127.0.0.1:1', adminToken: 'x' });
    await expect(gone.health()).rejects.toMatchObject({ code: 'transport_failed' });
  });
});

describe('mail', () => {
  let mailServer: Wsd;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
    mailServer = await startWsd(['--smtp-url', `smtp://127.0.0.1:${sink.port}`, '--smtp-starttls', 'off', '--mail-limit', '2']);
  });
  afterAll(async () => {
    await mailServer?.dispose();
    await sink?.close();
  });

  test('MailClient.send: the relay gets the mail; the answer has its id and the rate-limit window', async () => {
    const p = await freshProject(mailServer);
    const mail = new MailClient({ url: mailServer.url, ...p, fetch: checking(mailSchema) });
    const before = sink.mails.length;
    const r = await mail.send({ to: ['one@example.com', 'two@example.com'], subject: '测试邮件', text: 'hello', fromName: '通知服务' });
    expect(r).toEqual({ msg: 'Email sent successfully', rateLimit: { allowed: true, count: 1, max: 2 }, id: expect.any(String) });
    const [got] = (await sink.waitFor(before + 1)).slice(before);
    expect(got!.to.sort()).toEqual(['one@example.com', 'two@example.com']);
    expect(got!.data).toContain(r.id!);
    expect(answers.splice(0)).toEqual([]);
  });

  test('over the limit: mail_rate_limited (429) with Retry-After and the window', async () => {
    const p = await freshProject(mailServer);
    const client = await connected(mailServer.url, p, { transport: 'ws' });
    await client.sendMail({ to: 'a@example.com', subject: '1', text: 'x' });
    await sendMail({ url: mailServer.url, ...p, fetch: checking(mailSchema) }, { to: 'a@example.com', subject: '2', html: '<p>x</p>' });
    const err = (await client.sendMail({ to: 'a@example.com', subject: '3' }).catch((e: unknown) => e)) as WsdError;
    expect(err).toMatchObject({ code: 'mail_rate_limited', status: 429, rateLimit: { allowed: false, max: 2 } });
    expect(err.retryAfter).toBeGreaterThan(0);
    expect(answers.splice(0)).toEqual([]);
  });

  test('bad requests: invalid_address, bad_request, invalid_token', async () => {
    const p = await freshProject(mailServer);
    const mail = new MailClient({ url: mailServer.url, ...p, fetch: checking(mailSchema) });
    await expect(mail.send({ to: 'not an address', subject: 's' })).rejects.toMatchObject({ code: 'invalid_address', status: 400 });
    await expect(mail.send({ subject: 's' } as never)).rejects.toMatchObject({ code: 'bad_request', status: 400 });
    const wrong = new MailClient({ url: mailServer.url, project: p.project, token: 'nope', fetch: checking(mailSchema) });
    await expect(wrong.send({ to: 'a@example.com', subject: 's' })).rejects.toMatchObject({ code: 'invalid_token', status: 401 });
    expect(answers.splice(0)).toEqual([]);
  });

  test('a server without a relay answers mail_not_configured (503)', async () => {
    const p = await freshProject(ctx.server);
    await expect(sendMail({ url: ctx.server.url, ...p, fetch: checking(mailSchema) }, { to: 'a@example.com', subject: 's' }))
      .rejects.toMatchObject({ code: 'mail_not_configured', status: 503 });
    expect(answers.splice(0)).toEqual([]);
  });
});
