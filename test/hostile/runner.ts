// Sends the hostile-input suite's requests to a test server over a pool of keep-alive TLS
// connections, a fixed number at a time, and judges each answer by the suite-wide rules and the
// case's own check. Every request has a deadline: a server that stops answering is a failure too.
import { Agent, request } from 'node:https';
import { tlsCredentials } from '../support/index.js';
import type { HostileCase, HostileResponse } from './cases.js';
import { clip, kubeWouldRefuse } from './oracle.js';
import { errorMessage } from '../../src/lang/index.js';

export interface Failure {
  readonly cls: string;
  readonly request: string;
  readonly problem: string;
}

export interface RunReport {
  readonly sent: number;
  readonly byClass: Record<string, { sent: number; refused: number; accepted: number }>;
  readonly failures: Failure[];
  readonly statusCounts: Record<number, number>;
  /** The slowest answers (watches aside), slowest first: where the server spent its time. */
  readonly slowest: { readonly ms: number; readonly request: string; readonly status: number }[];
}

/** Error answers are Status objects of a few hundred bytes; one this big echoes its input. */
const maxErrorBytes = 64 * 1024;
/** Past this much of an answer the rest is drained unread. */
const maxKeptBytes = 8 * 1024 * 1024;
const requestDeadlineMs = 15_000;
const maxBodyBytes = 3 * 1024 * 1024;
/** How long a watch is read before the client lets go. */
const watchReadMs = 300;

export interface HostileClient {
  send(c: HostileCase, retried?: boolean): Promise<HostileResponse>;
  close(): void;
}

/** A client certificate from a CA the server does not know, naming the cluster admin. */
export interface ForgedIdentity {
  readonly certPem: string;
  readonly keyPem: string;
}

export async function hostileClient(kubeconfigPath: string, connections: number, forged: ForgedIdentity): Promise<HostileClient> {
  const { host, port, ca, cert, key } = await tlsCredentials(kubeconfigPath);
  const agent = new Agent({
    keepAlive: true,
    maxSockets: connections,
    // Round-robin over the pool: with LIFO a socket can idle past the server's keep-alive timeout
    // and be closed just as it is picked again.
    scheduling: 'fifo',
    ca,
    cert,
    key,
  });
  const anonymous = new Agent({ keepAlive: true, maxSockets: 2, ca });
  const impostor = new Agent({ keepAlive: true, maxSockets: 2, ca, cert: forged.certPem, key: forged.keyPem });
  const agentFor = (c: HostileCase) => (c.credentials === 'anonymous' ? anonymous : c.credentials === 'forged' ? impostor : agent);
  const send = (c: HostileCase, retried = false): Promise<HostileResponse> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const headers: Record<string, string> = { ...(c.headers ?? {}) };
      if (c.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(c.body));
      // Watches get a connection of their own so that letting go of one never poisons the pool.
      const req = request(
        {
          hostname: host,
          port,
          method: c.method,
          path: c.path,
          headers,
          agent: c.watch ? false : agentFor(c),
          ...(c.watch ? agentTls(agentFor(c)) : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          let size = 0;
          let settled = false;
          const finish = (ended: boolean) => {
            if (settled) return;
            settled = true;
            clearTimeout(deadline);
            const body = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              body,
              contentType: String(res.headers['content-type'] ?? ''),
              ended,
              ms: performance.now() - started,
              ...(size > kept ? { truncatedAt: size } : {}),
            });
          };
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (kept < maxKeptBytes) {
              chunks.push(chunk);
              kept += chunk.length;
            }
          });
          res.on('end', () => finish(true));
          res.on('error', () => finish(true));
          res.on('close', () => finish(true));
          if (c.watch) {
            setTimeout(() => {
              finish(false);
              req.destroy();
            }, watchReadMs);
          }
        },
      );
      const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${requestDeadlineMs} ms`)), requestDeadlineMs);
      req.on('error', (err) => {
        clearTimeout(deadline);
        // A kept-alive connection the server closed just as it was picked again: HTTP allows that,
        // and clients send again on a new connection (Node's documented keep-alive pattern).
        if ((err as NodeJS.ErrnoException).code === 'ECONNRESET' && req.reusedSocket && !retried) resolve(send(c, true));
        else reject(err);
      });
      req.end(c.body);
    });
  return {
    send,
    close: () => {
      for (const a of [agent, anonymous, impostor]) a.destroy();
    },
  };
}

/** The message of a Status answer, or the start of whatever else it is. */
function statusMessage(body: Buffer): string {
  const text = body.toString('utf8', 0, Math.min(body.length, 64 * 1024));
  try {
    return clip((JSON.parse(text) as { message?: unknown }).message ?? text, 300);
  } catch {
    return clip(text, 300);
  }
}

function agentTls(agent: Agent): Record<string, unknown> {
  const o = agent.options;
  return { ca: o.ca, cert: o.cert, key: o.key };
}

/** Judges one answer; undefined when it is fine. */
export function judge(c: HostileCase, res: HostileResponse): string | undefined {
  // kube's one 5xx for a client's request: a resourceVersion the server has not reached, after waiting
  // for it (client-go's reflector knows this answer and lists again).
  const tooLarge = res.status === 504 && statusMessage(res.body).startsWith('"Too large resource version');
  if (res.status >= 500 && !tooLarge) return `answered ${res.status}: ${statusMessage(res.body)}`;
  if (res.status >= 400 && res.body.length > maxErrorBytes) return `an error answer of ${res.body.length} bytes (echoes its input?)`;
  if (res.status >= 200 && res.status < 300 && c.typeName && res.contentType.startsWith('application/json') && !c.watch) {
    let obj: unknown;
    try {
      obj = JSON.parse(res.body.toString('utf8'));
    } catch {
      return `a ${res.status} answer that is not JSON`;
    }
    const kind = (obj as { kind?: string }).kind;
    if (kind && kind !== 'Status' && kind !== 'Scale') {
      const problems = kubeWouldRefuse(obj, c.typeName);
      if (problems.length) return `stored what kube refuses: ${problems.slice(0, 3).join('; ')}`;
    }
  }
  return c.check?.(res);
}

/** Runs every case, `concurrency` at a time, and gathers what went wrong; stops sending once `budgetMs` has passed. */
export async function runCases(client: HostileClient, cases: readonly HostileCase[], concurrency: number, budgetMs: number): Promise<RunReport> {
  const stopAt = performance.now() + budgetMs;
  const byClass: RunReport['byClass'] = {};
  const failures: Failure[] = [];
  const statusCounts: Record<number, number> = {};
  const slowest: RunReport['slowest'] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      if (performance.now() > stopAt) {
        failures.push({ cls: 'all', request: `${cases.length - next} cases not sent`, problem: `the run took over ${budgetMs / 1000} s` });
        next = cases.length;
        return;
      }
      const c = cases[next++]!;
      const tally = (byClass[c.cls] ??= { sent: 0, refused: 0, accepted: 0 });
      tally.sent++;
      const what = `${c.method} ${c.path.length > 160 ? `${c.path.slice(0, 157)}...` : c.path}${c.body ? ` ${clip(typeof c.body === 'string' ? c.body.slice(0, 200) : `<${c.body.length} bytes>`)}` : ''}`;
      try {
        const res = await client.send(c);
        statusCounts[res.status] = (statusCounts[res.status] ?? 0) + 1;
        if (!c.watch && (slowest.length < 10 || res.ms > slowest.at(-1)!.ms)) {
          slowest.push({ ms: Math.round(res.ms), request: what.slice(0, 200), status: res.status });
          slowest.sort((a, b) => b.ms - a.ms);
          slowest.length = Math.min(slowest.length, 10);
        }
        if (res.status >= 400) tally.refused++;
        else tally.accepted++;
        const problem = judge(c, res);
        if (problem) failures.push({ cls: c.cls, request: what, problem });
      } catch (err) {
        // A body past the limit may be cut off unread, as Go's server does.
        if (c.mayReset || (c.body !== undefined && Buffer.byteLength(c.body) > maxBodyBytes)) continue;
        failures.push({ cls: c.cls, request: what, problem: `no answer: ${errorMessage(err)}` });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { sent: Object.values(byClass).reduce((n, t) => n + t.sent, 0), byClass, failures, statusCounts, slowest };
}
