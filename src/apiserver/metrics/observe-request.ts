// Follows one HTTP request from routing to its response: counts and times it in the metrics and,
// at -v 4 or more, prints kube-apiserver's httplog line (verb, URI, latency, user agent, status).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from '../../log/index.js';
import type { NonResourceRequest, ResourceRequest } from '../request-info.js';
import type { ApiMetrics } from './api-metrics.js';

export const requestLogVerbosity = 4;

export function observeRequest(
  metrics: ApiMetrics,
  raw: IncomingMessage,
  res: ServerResponse,
  info: ResourceRequest | NonResourceRequest,
  query: URLSearchParams,
): void {
  const tracked =
    info.kind === 'resource'
      ? metrics.beginResource(info, raw.method ?? 'GET', raw.headers['content-type'], query.has('dryRun') ? query.get('dryRun') : null)
      : metrics.beginNonResource(info.path);
  res.once('close', () => {
    metrics.end(tracked, res.statusCode);
    if (log.enabled(requestLogVerbosity)) {
      log.v(requestLogVerbosity, 'HTTP', {
        verb: tracked.series.labels.verb,
        URI: raw.url,
        latency: `${(performance.now() - tracked.start).toFixed(3)}ms`,
        userAgent: raw.headers['user-agent'],
        srcIP: `${raw.socket.remoteAddress ?? ''}:${raw.socket.remotePort ?? ''}`,
        resp: res.statusCode,
      });
    }
  });
}
