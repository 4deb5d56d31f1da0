// The admin API (docs/protocol.md "Admin API"): projects and tokens, with the admin token
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
