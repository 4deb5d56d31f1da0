// The admin API (docs/protocol.md "Admin API"): projects, tokens and webhooks, with the admin token
// as a bearer token. For operators' scripts and dashboards: never ship the admin token to
// a browser that end users run.
import { fetchFunction } from './env.js';
import { WsdError, errorFromResponse } from './errors.js';
import type {
  HttpProjectCreateResponse,
  HttpProjectListResponse,
  HttpTokenResponse,
} from './protocol.js';
import { endpoints, networkError, type Endpoints } from './transport.js';

/** Options of AdminClient. */
export interface AdminClientOptions {
  /** The server's base URL (http(s):// or ws(s)://). */
  url: string;
  /** The admin token (wsd --admin-token, or DATA_DIR/admin-token). */
  adminToken: string;
  /** fetch. Default: the global one. */
  fetch?: typeof fetch;
}

/** A project as GET /project lists it. */
export type ProjectInfo = HttpProjectListResponse['projects'][number];
/** A token as POST/PATCH /token answer it. */
export type TokenInfo = Omit<HttpTokenResponse, 'status'>;
/** A created project. */
export type CreatedProject = Omit<HttpProjectCreateResponse, 'status'>;

/** A hook event a webhook can choose (docs/webhooks.md, "What is posted"). */
export type WebhookEvent = 'connect' | 'disconnect' | 'online' | 'offline' | 'message' | 'room';
/** A webhook as GET /webhook lists it (schemas/http/webhook_list_response.json): never its secret. */
export interface WebhookInfo {
  id: string;
  url: string;
  /** Sorted, without repeats. */
  events: WebhookEvent[];
  createdAt: number;
}
/** A registered webhook, with its signing secret: POST /webhook is the only answer that shows it. */
export interface CreatedWebhook extends WebhookInfo {
  projectKey: string;
  secret: string;
}

/** Every call rejects with a WsdError carrying the server's code and HTTP status. */
export class AdminClient {
  private readonly ends: Endpoints;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: AdminClientOptions) {
    this.ends = endpoints(options.url);
    this.fetchFn = fetchFunction(options.fetch);
  }

  /** GET /healthz (no auth): true when the server answers ok. */
  async health(): Promise<boolean> {
    const body = await this.request<{ status: string }>('GET', '/healthz', undefined, false);
    return body.status === 'ok';
  }

  /** POST /project. `name` defaults to the server's choice (the key). Rejects `project_exists` (409). */
  async createProject(key: string, name?: string): Promise<CreatedProject> {
    const body = await this.request<HttpProjectCreateResponse>('POST', '/project', name === undefined ? { key } : { key, name });
    return strip(body);
  }

  /** GET /project: every project with its tokens, connections and online uids count. */
  async listProjects(): Promise<ProjectInfo[]> {
    return (await this.request<HttpProjectListResponse>('GET', '/project')).projects;
  }

  /** DELETE /project?key: its live connections close with 1008 project_deleted. */
  async deleteProject(key: string): Promise<void> {
    await this.request('DELETE', `/project?${new URLSearchParams({ key })}`);
  }

  /**
   * POST /token. `expiresAt` in ms since the epoch (below 1e11: seconds); null never
   * expires; left out: the server's default lifetime (30 days).
   */
  async createToken(projectKey: string, expiresAt?: number | null): Promise<TokenInfo> {
    const body = expiresAt === undefined ? { projectKey } : { projectKey, expiresAt };
    return strip(await this.request<HttpTokenResponse>('POST', '/token', body));
  }

  /** PATCH /token: a past `expiresAt` closes the token's live connections (1008 token_expired). */
  async updateToken(projectKey: string, token: string, expiresAt: number | null): Promise<TokenInfo> {
    return strip(await this.request<HttpTokenResponse>('PATCH', '/token', { projectKey, token, expiresAt }));
  }

  /** DELETE /token: its live connections close with 1008 token_revoked. */
  async revokeToken(projectKey: string, token: string): Promise<void> {
    await this.request('DELETE', `/token?${new URLSearchParams({ projectKey, token })}`);
  }

  /**
   * POST /webhook: `url` (http or https) receives the chosen events, signed with `secret`
   * (16-256 characters; generated when left out). Keep the returned secret: it is never
   * shown again. Rejects `project_not_found` (404) and `bad_request` (400).
   */
  async createWebhook(projectKey: string, url: string, events: WebhookEvent[], secret?: string): Promise<CreatedWebhook> {
    const body = secret === undefined ? { projectKey, url, events } : { projectKey, url, events, secret };
    return strip(await this.request<CreatedWebhook & { status: string }>('POST', '/webhook', body));
  }

  /** GET /webhook?projectKey: the project's webhooks, by id. */
  async listWebhooks(projectKey: string): Promise<WebhookInfo[]> {
    const body = await this.request<{ webhooks: WebhookInfo[] }>('GET', `/webhook?${new URLSearchParams({ projectKey })}`);
    return body.webhooks;
  }

  /** DELETE /webhook: its pending deliveries are abandoned. Rejects `webhook_not_found` (404). */
  async deleteWebhook(projectKey: string, id: string): Promise<void> {
    await this.request('DELETE', `/webhook?${new URLSearchParams({ projectKey, id })}`);
  }

  private async request<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = {};
    if (auth) headers.authorization = `Bearer ${this.options.adminToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchFn(this.ends.http + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (cause) {
      throw networkError(`${method} ${path.split('?')[0]} failed`, cause);
    }
    if (res.status >= 300) throw await errorFromResponse(res);
    const text = await res.text();
    try {
      return (text ? JSON.parse(text) : {}) as T;
    } catch (cause) {
      throw new WsdError('unexpected_response', `${method} ${path}: the answer is not JSON`, { cause, body: text });
    }
  }
}

function strip<T extends { status: string }>(body: T): Omit<T, 'status'> {
  const { status: _status, ...rest } = body;
  return rest;
}
