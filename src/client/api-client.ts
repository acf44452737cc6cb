// A small API client for components that run beside the API server: JSON requests over HTTPS
// with a bearer token and the cluster CA (or plain HTTP over an in-process connection), and
// watches read as newline-delimited events.
import * as https from 'node:https';
import * as http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export interface ApiClientOptions {
  readonly server: string;
  readonly caPem: string;
  /**
   * Opens a connection to the API server inside this process (see apiserver/in-process-connection):
   * requests go that way over plain HTTP, still with the token, instead of over TLS to `server`. For
   * components in the server's own process, where TLS and a socket protect nothing and cost much.
   */
  readonly connect?: () => Duplex;
  /** A bearer token, or a client certificate and key: one of the two. */
  readonly token?: string;
  readonly certPem?: string;
  readonly keyPem?: string;
  readonly userAgent?: string;
  /** Parallel connections for requests other than watches (default 16). */
  readonly maxSockets?: number;
}

export type PatchType = 'merge' | 'strategic' | 'json';

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export interface DeleteOptions {
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  readonly gracePeriodSeconds?: number;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

/** How long a watch hands events to its handler before it lets the event loop run. */
const watchSliceMs = 5;

export class ApiResponseError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiResponseError';
  }
}

export interface WatchEventLine {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: Record<string, unknown>;
}

export class ApiClient {
  private readonly url: URL;
  private readonly agent: http.Agent;
  /** Watches hold their connection for minutes: they get their own, so they never starve requests. */
  private readonly watchAgent: http.Agent;
  private readonly request: typeof http.request;

  constructor(private readonly options: ApiClientOptions) {
    this.url = new URL(options.server);
    if (!options.token && !(options.certPem && options.keyPem)) throw new Error('ApiClient needs a token or a client certificate and key');
    if (options.connect && !options.token) throw new Error('ApiClient on an in-process connection needs a token');
    const maxSockets = options.maxSockets ?? 16;
    const connect = options.connect;
    if (connect) {
      this.request = http.request;
      this.agent = new http.Agent({ keepAlive: true, maxSockets });
      this.watchAgent = new http.Agent({ keepAlive: false });
      for (const agent of [this.agent, this.watchAgent]) agent.createConnection = () => connect();
    } else {
      const tls = { ca: options.caPem, ...(options.certPem && options.keyPem ? { cert: options.certPem, key: options.keyPem } : {}) };
      this.request = https.request;
      this.agent = new https.Agent({ ...tls, keepAlive: true, maxSockets });
      this.watchAgent = new https.Agent({ ...tls, keepAlive: false });
    }
  }

  private open(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    signal?: AbortSignal,
    agent = this.agent,
  ): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = this.request(
        {
          agent,
          ...(this.options.connect ? {} : { hostname: this.url.hostname, port: this.url.port }),
          method,
          path,
          headers: {
            ...(this.options.token ? { Authorization: `Bearer ${this.options.token}` } : {}),
            Accept: 'application/json',
            'User-Agent': this.options.userAgent ?? 'skiff',
            ...(payload ? { 'Content-Type': contentType, 'Content-Length': String(payload.length) } : {}),
          },
          ...(signal ? { signal } : {}),
        },
        resolve,
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.open(method, path, body, contentType);
    const text = await readText(res);
    const status = res.statusCode ?? 0;
    if (status >= 400) {
      let reason = '';
      let message = text;
      try {
        const parsed = JSON.parse(text) as { reason?: string; message?: string };
        reason = parsed.reason ?? '';
        message = parsed.message ?? text;
      } catch {
        // Not a Status: keep the raw text.
      }
      throw new ApiResponseError(status, reason, `${method} ${path}: ${status} ${message}`);
    }
    return JSON.parse(text) as T;
  }

  /** A GET whose answer is text, not JSON (/metrics, logs). */
  async text(path: string): Promise<string> {
    const res = await this.open('GET', path);
    res.setEncoding('utf8');
    let text = '';
    for await (const c of res) text += c as string;
    if ((res.statusCode ?? 0) >= 400) throw new ApiResponseError(res.statusCode ?? 0, '', `GET ${path}: ${res.statusCode ?? 0} ${text}`);
    return text;
  }

  get<T = Record<string, unknown>>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  create<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  update<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }

  patch<T = Record<string, unknown>>(path: string, body: unknown, type: PatchType): Promise<T> {
    return this.call<T>('PATCH', path, body, patchContentTypes[type]);
  }

  delete<T = Record<string, unknown>>(path: string, options: DeleteOptions = {}): Promise<T> {
    const body = Object.keys(options).length ? { apiVersion: 'v1', kind: 'DeleteOptions', ...options } : undefined;
    return this.call<T>('DELETE', path, body);
  }

  /** Streams watch events to onEvent until the server ends the watch or the signal aborts. */
  async watch(path: string, onEvent: (e: WatchEventLine) => void, signal: AbortSignal): Promise<void> {
    const res = await this.open('GET', path, undefined, undefined, signal, this.watchAgent);
    if ((res.statusCode ?? 0) !== 200) {
      res.resume();
      throw new ApiResponseError(res.statusCode ?? 0, '', `watch ${path}: HTTP ${res.statusCode ?? 0}`);
    }
    res.setEncoding('utf8');
    let buffered = '';
    let sliceStart = performance.now();
    try {
      for await (const chunk of res) {
        buffered += chunk as string;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.trim()) onEvent(JSON.parse(line) as WatchEventLine);
        }
        // A burst of events (a thousand pods starting) runs every handler of every event; in the API
        // server's own process that must not hold the event loop: after a few milliseconds, yield to
        // it (the stream waits meanwhile, and the server's watch buffers or backs off).
        if (performance.now() - sliceStart >= watchSliceMs) {
          await new Promise((r) => setImmediate(r));
          sliceStart = performance.now();
        }
      }
    } catch (err) {
      if (!signal.aborted) throw err;
    }
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}

/** The whole body of a response as text (plain listeners: lighter than an async iterator per request). */
function readText(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}
