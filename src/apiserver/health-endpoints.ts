// /healthz, /livez and /readyz as kube-apiserver serves them: the checks the process's components
// registered, `?verbose` lists them ("[+]ping ok"), `?exclude=NAME` skips one, and each check also
// has its own path (`/readyz/informer-sync`). A failed check's reason goes to the log, not to the
// anonymous caller ("reason withheld").
import type { ServerResponse } from 'node:http';
import { runCheck, type HealthChecks, type HealthCheck, type HealthEndpoint } from '../component/index.js';
import { log } from '../log/index.js';
import { send, type ApiRequest } from './handlers/http-io.js';

const healthEndpoints: ReadonlySet<string> = new Set<HealthEndpoint>(['healthz', 'livez', 'readyz']);

export interface HealthTarget {
  readonly endpoint: HealthEndpoint;
  /** Set for a check's own path. */
  readonly check?: HealthCheck;
}

/** The health endpoint and check a path names, from its decoded segments (so `/readyz%2f..` names none). */
export function healthTarget(checks: HealthChecks, segments: readonly string[] | undefined): HealthTarget | undefined {
  if (!segments || segments.length > 2 || !healthEndpoints.has(segments[0] ?? '')) return undefined;
  const endpoint = segments[0] as HealthEndpoint;
  if (segments.length === 1) return { endpoint };
  const check = checks.of(endpoint).find((c) => c.name === segments[1]);
  return check ? { endpoint, check } : undefined;
}

export async function serveHealth(checks: HealthChecks, target: HealthTarget, req: ApiRequest, res: ServerResponse): Promise<void> {
  const { endpoint } = target;
  const excluded = new Set(target.check ? [] : req.query.getAll('exclude'));
  const selected = target.check ? [target.check] : checks.of(endpoint);
  const reasons = await Promise.all(selected.map((c) => (excluded.has(c.name) ? Promise.resolve(undefined) : runCheck(c))));
  let lines = '';
  const failed: string[] = [];
  selected.forEach((c, i) => {
    const reason = reasons[i];
    if (excluded.delete(c.name)) lines += `[+]${c.name} excluded: ok\n`;
    else if (reason === undefined) lines += `[+]${c.name} ok\n`;
    else {
      lines += `[-]${c.name} failed: reason withheld\n`;
      failed.push(`[-]${c.name} failed: ${reason}`);
    }
  });
  if (excluded.size > 0)
    lines += `warn: some health checks cannot be excluded: no matches for ${[...excluded]
      .sort()
      .map((n) => JSON.stringify(n))
      .join(', ')}\n`;
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const head = req.method === 'HEAD';
  if (failed.length > 0) {
    log.v(2, `${endpoint} check failed`, { checks: failed.join('\n') });
    return send(res, 500, 'text/plain; charset=utf-8', `${lines}${endpoint} check failed\n`, head);
  }
  send(res, 200, 'text/plain; charset=utf-8', req.query.has('verbose') ? `${lines}${endpoint} check passed\n` : 'ok', head);
}
