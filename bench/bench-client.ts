// An HTTPS client for benchmarks: the admin client certificate from a skiff kubeconfig, keep-alive
// agents with a fixed number of sockets, and no per-request parsing beyond what a phase asks for,
// so the client's own work stays small next to the server's.
import { Agent, request } from 'node:https';
import { readFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import yaml from 'js-yaml';

export interface BenchResponse {
  readonly status: number;
  readonly body: Buffer;
}

export interface BenchRequestOptions {
  readonly body?: string;
  readonly contentType?: string;
  readonly accept?: string;
  readonly timeoutMs?: number;
}

/** A watch stream: every complete line goes to `onLine` the moment its bytes arrive. */
export interface OpenWatch {
  close(): void;
}

interface Credentials {
  readonly hostname: string;
  readonly port: number;
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

export class BenchClient {
  private constructor(private readonly credentials: Credentials) {}

  /** The admin client of a kubeconfig; `port`, when given, replaces its server's (a stand-in on the same host). */
  static async fromKubeconfig(file: string, port?: number): Promise<BenchClient> {
    const doc: unknown = yaml.load(await readFile(file, 'utf8'));
    const cluster = firstEntry(doc, 'clusters', 'cluster');
    const user = firstEntry(doc, 'users', 'user');
    const server = new URL(stringField(cluster, 'server'));
    const b64 = (value: string) => Buffer.from(value, 'base64');
    return new BenchClient({
      hostname: server.hostname,
      port: port ?? Number(server.port),
      ca: b64(stringField(cluster, 'certificate-authority-data')),
      cert: b64(stringField(user, 'client-certificate-data')),
      key: b64(stringField(user, 'client-key-data')),
    });
  }

  /** A keep-alive agent that never opens more than `sockets` connections. */
  agent(sockets: number): Agent {
    const { ca, cert, key } = this.credentials;
    return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, maxTotalSockets: sockets, ca, cert, key, scheduling: 'fifo' });
  }

  request(agent: Agent, method: string, path: string, options: BenchRequestOptions = {}): Promise<BenchResponse> {
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    return new Promise((resolve, reject) => {
      const req = request(
        { hostname: this.credentials.hostname, port: this.credentials.port, agent, method, path, headers, timeout: options.timeoutMs ?? 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(options.body);
    });
  }

  /** Opens a watch; resolves once the server has answered 200, rejects on anything else. */
  watch(agent: Agent, path: string, onLine: (line: string, receivedAt: number) => void): Promise<OpenWatch> {
    let buffered = '';
    const decoder = new StringDecoder('utf8');
    return this.stream(agent, path, {
      onChunk: (chunk) => {
        const receivedAt = performance.now();
        buffered += decoder.write(chunk);
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (line !== '') onLine(line, receivedAt);
        }
      },
    });
  }

  /**
   * Opens a watch whose bytes go to `onChunk` as they arrive, undecoded (for watchers too many to
   * afford a string per event); `onEnd` hears whether the server ended the response or it broke.
   */
  stream(agent: Agent, path: string, handlers: { onChunk: (chunk: Buffer) => void; onEnd?: (how: 'ended' | 'broken') => void }): Promise<OpenWatch> {
    return new Promise((resolve, reject) => {
      const req = request(
        { hostname: this.credentials.hostname, port: this.credentials.port, agent, method: 'GET', path, headers: { accept: 'application/json' } },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
            return;
          }
          let closedHere = false;
          res.on('data', handlers.onChunk);
          res.on('error', () => undefined);
          res.on('close', () => {
            if (!closedHere) handlers.onEnd?.(res.complete ? 'ended' : 'broken');
          });
          resolve({
            close: () => {
              closedHere = true;
              req.destroy();
            },
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  }
}

function firstEntry(doc: unknown, listField: string, entryField: string): Record<string, unknown> {
  if (typeof doc !== 'object' || doc === null) throw new Error('kubeconfig is not a YAML mapping');
  const list: unknown = (doc as Record<string, unknown>)[listField];
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  const entry: unknown = typeof first === 'object' && first !== null ? (first as Record<string, unknown>)[entryField] : undefined;
  if (typeof entry !== 'object' || entry === null) throw new Error(`kubeconfig has no ${listField}[0].${entryField}`);
  return entry as Record<string, unknown>;
}

function stringField(entry: Record<string, unknown>, field: string): string {
  const value = entry[field];
  if (typeof value !== 'string' || value === '') throw new Error(`kubeconfig has no ${field}`);
  return value;
}
