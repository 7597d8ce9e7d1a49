import { basename } from 'node:path';

/** A call the demo expected to succeed did not: the step, the status and the server's message. */
export class DemoStepError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    const message = typeof body === 'object' && body && 'message' in body ? String((body).message) : JSON.stringify(body);
    super(`${step} → HTTP ${status}：${message}`);
    this.name = 'DemoStepError';
  }
}

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The demo's only way into Duban: real HTTP against the listening API, as a named user.
 * `call` returns any status (for the steps that show a refusal); `ok` insists on 2xx.
 */
export class DemoHttp {
  private readonly tokens = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly password: string,
  ) {}

  async login(username: string, password = this.password): Promise<string> {
    const res = await this.raw('POST', '/api/v1/auth/login', { json: { username, password } });
    if (res.status !== 200) throw new DemoStepError(`${username} 登录`, res.status, await res.json().catch(() => null));
    const token = ((await res.json()) as { accessToken: string }).accessToken;
    this.tokens.set(username, token);
    return token;
  }

  /** Any status; the body parsed as JSON when it is JSON. */
  async call<T = unknown>(user: string, method: Method, url: string, json?: unknown): Promise<HttpResult<T>> {
    const res = await this.raw(method, url, { json, token: await this.token(user) });
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text) as unknown;
    return { status: res.status, body: body as T };
  }

  /** A 2xx or a DemoStepError naming the step. */
  async ok<T = unknown>(user: string, method: Method, url: string, json?: unknown): Promise<T> {
    const res = await this.call<T>(user, method, url, json);
    if (res.status < 200 || res.status >= 300) throw new DemoStepError(`${user} ${method} ${url}`, res.status, res.body);
    return res.body;
  }

  /** Multipart upload of one file in the `file` field. */
  async upload<T = unknown>(user: string, url: string, file: { name: string; content: Buffer; type?: string }): Promise<HttpResult<T>> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file.content)], { type: file.type ?? 'application/octet-stream' }), basename(file.name));
    const res = await fetch(this.baseUrl + url, { method: 'POST', body: form, headers: { authorization: `Bearer ${await this.token(user)}` } });
    const text = await res.text();
    const body: unknown = (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
    return { status: res.status, body: body as T };
  }

  /** A binary download (exports, bulletins) as a buffer; insists on 200. */
  async download(user: string, url: string): Promise<Buffer> {
    const res = await this.raw('GET', url, { token: await this.token(user) });
    if (res.status !== 200) throw new DemoStepError(`${user} 下载 ${url}`, res.status, await res.text());
    return Buffer.from(await res.arrayBuffer());
  }

  private async token(user: string): Promise<string> {
    return this.tokens.get(user) ?? (await this.login(user));
  }

  private raw(method: Method, url: string, opts: { json?: unknown; token?: string }): Promise<Response> {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    return fetch(this.baseUrl + url, { method, headers, body: opts.json === undefined ? undefined : JSON.stringify(opts.json) });
  }
}
