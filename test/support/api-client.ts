// A raw HTTPS client for integration tests that check the wire itself (status codes, headers,
// content types), authenticated with the admin client certificate from a test server's kubeconfig.
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  text(): string;
  json<T = Record<string, unknown>>(): T;
}

export interface RawClient {
  call(
    method: string,
    path: string,
    options?: { body?: string | Buffer; headers?: Record<string, string>; anonymous?: boolean; timeoutMs?: number },
  ): Promise<RawResponse>;
  /** Opens a watch and collects events until `until` says stop or the time runs out. */
  watch(path: string, until: (events: Record<string, unknown>[]) => boolean, timeoutMs?: number, onOpen?: () => void): Promise<Record<string, unknown>[]>;
  /** Sends a GET and hands back its response paused and unread, for a test that reads at its own pace or never. */
  open(path: string): Promise<IncomingMessage>;
}

interface KubeconfigDoc {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

/** Where a test server listens and the admin's TLS credentials, from its kubeconfig. */
export interface TlsCredentials {
  readonly host: string;
  readonly port: number;
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

export async function tlsCredentials(kubeconfigPath: string): Promise<TlsCredentials> {
  const doc = yaml.load(await readFile(kubeconfigPath, 'utf8')) as KubeconfigDoc;
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const url = new URL(doc.clusters[0]!.cluster.server);
  return {
    host: url.hostname,
    port: Number(url.port),
    ca: b64(doc.clusters[0]!.cluster['certificate-authority-data']),
    cert: b64(doc.users[0]!.user['client-certificate-data']),
    key: b64(doc.users[0]!.user['client-key-data']),
  };
}

export async function rawClient(kubeconfigPath: string): Promise<RawClient> {
  const { host, port, ca, cert, key } = await tlsCredentials(kubeconfigPath);
  const base = { hostname: host, port, ca };

  const call: RawClient['call'] = (method, path, options = {}) =>
    new Promise((resolve, reject) => {
      const req = request(
        { ...base, ...(options.anonymous ? {} : { cert, key }), method, path, headers: options.headers ?? {}, timeout: options.timeoutMs ?? 15_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body,
              text: () => body.toString('utf8'),
              json: <T>() => JSON.parse(body.toString('utf8')) as T,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(options.body);
    });

  const watch: RawClient['watch'] = (path, until, timeoutMs = 10_000, onOpen) =>
    new Promise((resolve, reject) => {
      const events: Record<string, unknown>[] = [];
      let buffered = '';
      const req = request({ ...base, cert, key, method: 'GET', path }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
          return;
        }
        onOpen?.();
        res.on('data', (c: Buffer) => {
          buffered += c.toString('utf8');
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
          }
          if (until(events)) {
            clearTimeout(timer);
            req.destroy();
            resolve(events);
          }
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve(events);
        });
      });
      const timer = setTimeout(() => {
        req.destroy();
        resolve(events);
      }, timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        if (until(events)) resolve(events);
        else reject(err);
      });
      req.end();
    });
  const open: RawClient['open'] = (path) =>
    new Promise((resolve, reject) => {
      const req = request({ ...base, cert, key, method: 'GET', path }, (res) => {
        res.pause();
        resolve(res);
      });
      req.on('error', reject);
      req.end();
    });
  return { call, watch, open };
}
