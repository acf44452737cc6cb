// kube-apiserver's metrics under their kube names and labels: requests by verb/resource/code,
// request latency, long-running requests, watch events, stored objects, storage latency and the
// process metrics. A label set is resolved once; a request then costs one map lookup and a few additions.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { findResource } from '../../api/index.js';
import type { ResourceRequest } from '../request-info.js';
import { LatencyHistogram, renderLabels } from './latency-histogram.js';

const component = 'apiserver';

/** Paths of non-resource requests kube reports by name; every other path counts as `other`, keeping the label set bounded. */
const namedNonResourcePaths = ['/healthz', '/livez', '/readyz', '/version', '/metrics', '/openapi/v2', '/openapi/v3', '/api', '/apis'];

export interface RequestLabels {
  readonly verb: string;
  readonly dryRun: string;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly subresource: string;
  readonly scope: string;
}

/** Everything recorded for one label set; plain numbers, so a request adds to them without hashing labels. */
class RequestSeries {
  /** apiserver_request_total by response code. */
  readonly totals = new Map<number, number>();
  /** Absent for long-running requests: kube leaves them out of the latency histogram, their length is the client's choice. */
  readonly duration: LatencyHistogram | undefined;
  inflight = 0;
  readonly longRunning: boolean;
  /** Labels as rendered for apiserver_request_total and apiserver_request_duration_seconds (code aside). */
  readonly rendered: string;
  /** Labels of apiserver_longrunning_requests, which has no dry_run. */
  readonly renderedLongRunning: string;

  constructor(readonly labels: RequestLabels) {
    const l = labels;
    this.longRunning = l.verb === 'WATCH' || longRunningSubresources.has(l.subresource);
    this.rendered = renderLabels([
      ['verb', l.verb],
      ['dry_run', l.dryRun],
      ['group', l.group],
      ['version', l.version],
      ['resource', l.resource],
      ['subresource', l.subresource],
      ['scope', l.scope],
      ['component', component],
    ]);
    this.renderedLongRunning = renderLabels([
      ['verb', l.verb],
      ['group', l.group],
      ['version', l.version],
      ['resource', l.resource],
      ['subresource', l.subresource],
      ['scope', l.scope],
      ['component', component],
    ]);
    this.duration = this.longRunning ? undefined : new LatencyHistogram(this.rendered);
  }
}

const longRunningSubresources = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

/** One request in progress: started by `beginResource`/`beginNonResource`, closed by `end` with its status code. */
export interface TrackedRequest {
  readonly series: RequestSeries;
  readonly start: number;
}

/** Counts stored objects by resource; the server passes its backend's count. */
export type ObjectCounter = () => Promise<ReadonlyMap<string, number>>;

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly watchEvents: Counter<'group' | 'version' | 'kind'>;
  private readonly series = new Map<string, RequestSeries>();
  private readonly storageSeries = new Map<string, LatencyHistogram>();
  private readonly otherSeries = new RequestSeries({ verb: 'GET', dryRun: '', group: '', version: '', resource: '', subresource: 'other', scope: '' });
  private objectCounter: ObjectCounter | undefined;

  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.series.set('nonresource other', this.otherSeries);
    this.watchEvents = new Counter({
      name: 'apiserver_watch_events_total',
      help: 'Watch events sent to clients, by group, version and kind.',
      labelNames: ['group', 'version', 'kind'],
      registers,
    });
    const readCounts = async (): Promise<ReadonlyMap<string, number> | undefined> => this.objectCounter?.();
    new Gauge({
      name: 'apiserver_storage_objects',
      help: 'Objects in storage per resource, counted at scrape time.',
      labelNames: ['resource'],
      registers,
      async collect() {
        const counts = await readCounts();
        if (!counts) return;
        this.reset();
        for (const [resource, n] of counts) this.set({ resource }, n);
      },
    });
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Sets where apiserver_storage_objects reads its counts at scrape time. */
  countObjectsWith(counter: ObjectCounter): void {
    this.objectCounter = counter;
  }

  /** Starts timing a resource request; long-running ones (watches) show in apiserver_longrunning_requests until they end. */
  beginResource(info: ResourceRequest, method: string, contentType: string | undefined, dryRun: string | null): TrackedRequest {
    const verb = reportedVerb(info, method, contentType);
    const dry = dryRun === 'All' ? 'All' : '';
    const scope = requestScope(info);
    // Only the key is built per request; the series and its rendered labels exist once per label set.
    const key = `${verb} ${dry} ${info.group} ${info.version} ${info.resource} ${info.subresource} ${scope}`;
    const series =
      this.series.get(key) ??
      this.newResourceSeries(key, {
        verb,
        dryRun: dry,
        group: info.group,
        version: info.version,
        resource: info.resource,
        subresource: info.subresource,
        scope,
      });
    series.inflight++;
    return { series, start: performance.now() };
  }

  /** Starts timing a request for a path outside the resource API (discovery, OpenAPI, health, /metrics). */
  beginNonResource(path: string): TrackedRequest {
    const series = this.series.get(path) ?? this.nonResourceSeries(path);
    series.inflight++;
    return { series, start: performance.now() };
  }

  end(tracked: TrackedRequest, code: number): void {
    const { series } = tracked;
    series.inflight--;
    series.duration?.observe((performance.now() - tracked.start) / 1000);
    series.totals.set(code, (series.totals.get(code) ?? 0) + 1);
  }

  /** The counter one watch increments for each event it sends. */
  watchEventCounter(group: string, version: string, kind: string): { inc(): void } {
    return this.watchEvents.labels(group, version, kind);
  }

  /** Records one storage call for etcd_request_duration_seconds. */
  observeStorage(operation: string, type: string, seconds: number): void {
    const key = `${operation} ${type}`;
    let h = this.storageSeries.get(key);
    if (!h) {
      h = new LatencyHistogram(
        renderLabels([
          ['operation', operation],
          ['type', type],
        ]),
      );
      this.storageSeries.set(key, h);
    }
    h.observe(seconds);
  }

  /** The exposition: request and storage series rendered here, then prom-client's registry (watch events, objects, process). */
  async text(): Promise<string> {
    const out: string[] = [];
    const all = [...new Set(this.series.values())];
    out.push(
      '# HELP apiserver_request_total API requests answered, by verb, dry run, group, version, resource, subresource, scope, component and response code.',
      '# TYPE apiserver_request_total counter',
    );
    for (const s of all) for (const [code, n] of s.totals) out.push(`apiserver_request_total{${s.rendered},code="${code}"} ${n}`);
    out.push(
      '# HELP apiserver_request_duration_seconds Time to answer API requests in seconds, by verb, dry run, group, version, resource, subresource, scope and component.',
      '# TYPE apiserver_request_duration_seconds histogram',
    );
    for (const s of all) if (s.duration && s.totals.size > 0) s.duration.render('apiserver_request_duration_seconds', out);
    out.push(
      '# HELP apiserver_longrunning_requests Long-running API requests (watches) open now, by verb, group, version, resource, subresource, scope and component.',
      '# TYPE apiserver_longrunning_requests gauge',
    );
    for (const s of all) if (s.longRunning) out.push(`apiserver_longrunning_requests{${s.renderedLongRunning}} ${s.inflight}`);
    out.push(
      '# HELP etcd_request_duration_seconds Time of storage calls in seconds (whichever backend), by operation and object type.',
      '# TYPE etcd_request_duration_seconds histogram',
    );
    for (const h of this.storageSeries.values()) h.render('etcd_request_duration_seconds', out);
    return `${out.join('\n')}\n\n${await this.registry.metrics()}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private newResourceSeries(key: string, l: RequestLabels): RequestSeries {
    const r = findResource(l.group, l.version, l.resource);
    // Paths naming no served resource or subresource share one series, so clients cannot grow the label set at will.
    if (!r || (l.subresource && !r.subresources.some((s) => s.name === l.subresource))) return this.otherSeries;
    const s = new RequestSeries(l);
    this.series.set(key, s);
    return s;
  }

  private nonResourceSeries(path: string): RequestSeries {
    const named = namedNonResourcePaths.find((p) => path === p || path.startsWith(`${p}/`));
    if (!named) return this.otherSeries;
    const key = `nonresource ${named}`;
    let s = this.series.get(key);
    if (!s) {
      s = new RequestSeries({ verb: 'GET', dryRun: '', group: '', version: '', resource: '', subresource: named, scope: '' });
      this.series.set(key, s);
    }
    // Only the named paths themselves are remembered: arbitrary sub-paths must not grow the map.
    if (path === named) this.series.set(path, s);
    return s;
  }
}

/** kube's reported verb: LIST/WATCH/GET for reads, POST/PUT/PATCH/DELETE for writes, APPLY for server-side apply. */
export function reportedVerb(info: ResourceRequest, method: string, contentType: string | undefined): string {
  switch (info.verb) {
    case 'list':
      return 'LIST';
    case 'watch':
      return 'WATCH';
    case 'patch':
      return contentType?.startsWith('application/apply-patch') ? 'APPLY' : 'PATCH';
    case 'deletecollection':
      return 'DELETE';
    default:
      return method === 'HEAD' ? 'GET' : method;
  }
}

/** kube's scope label: the object itself, a namespace, or the whole cluster. */
export function requestScope(info: ResourceRequest): string {
  if (info.name) return 'resource';
  return info.namespace ? 'namespace' : 'cluster';
}
