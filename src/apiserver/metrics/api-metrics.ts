// kube-apiserver's metrics under their kube names and labels: requests by verb/resource/code,
// request latency, long-running requests, watch events, stored objects, storage latency and the
// process metrics. Label sets are resolved once and cached so a request costs a map lookup.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ResourceRequest } from '../request-info.js';

/** kube's request and etcd latency buckets, in seconds. */
const latencyBuckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

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

export interface RequestSeries {
  readonly labels: RequestLabels;
  readonly longRunning: boolean;
  readonly duration: { observe(seconds: number): void } | undefined;
  readonly inflight: { inc(): void; dec(): void } | undefined;
  readonly totals: Map<number, { inc(): void }>;
}

/** One request in progress: started by `begin`, closed by `end` with its status code. */
export interface TrackedRequest {
  readonly series: RequestSeries;
  readonly start: number;
}

/** Counts objects of one storage resource; the server passes its backend's count. */
export type ObjectCounter = () => Promise<ReadonlyMap<string, number>>;

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'verb' | 'dry_run' | 'group' | 'version' | 'resource' | 'subresource' | 'scope' | 'component' | 'code'>;
  private readonly durations: Histogram<'verb' | 'dry_run' | 'group' | 'version' | 'resource' | 'subresource' | 'scope' | 'component'>;
  private readonly longRunning: Gauge<'verb' | 'group' | 'version' | 'resource' | 'subresource' | 'scope' | 'component'>;
  private readonly watchEvents: Counter<'group' | 'version' | 'kind'>;
  private readonly storageLatency: Histogram<'operation' | 'type'>;
  private readonly series = new Map<string, RequestSeries>();
  private objectCounter: ObjectCounter | undefined;

  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
      registers,
    });
    this.durations = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      buckets: latencyBuckets,
      registers,
    });
    this.longRunning = new Gauge({
      name: 'apiserver_longrunning_requests',
      help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      registers,
    });
    this.watchEvents = new Counter({
      name: 'apiserver_watch_events_total',
      help: 'Number of events sent in watch clients',
      labelNames: ['group', 'version', 'kind'],
      registers,
    });
    this.storageLatency = new Histogram({
      name: 'etcd_request_duration_seconds',
      help: 'Storage request latency in seconds for each operation and object type.',
      labelNames: ['operation', 'type'],
      buckets: latencyBuckets,
      registers,
    });
    const readCounts = async (): Promise<ReadonlyMap<string, number> | undefined> => this.objectCounter?.();
    new Gauge({
      name: 'apiserver_storage_objects',
      help: 'Number of stored objects at the time of last check split by kind.',
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
    // Only the key is built per request; the label object and metric children exist once per series.
    const key = `${verb} ${dry} ${info.group} ${info.version} ${info.resource} ${info.subresource} ${scope}`;
    const series =
      this.series.get(key) ??
      this.newSeries(key, { verb, dryRun: dry, group: info.group, version: info.version, resource: info.resource, subresource: info.subresource, scope });
    series.inflight?.inc();
    return { series, start: performance.now() };
  }

  /** Starts timing a request for a path outside the resource API (discovery, OpenAPI, health, /metrics). */
  beginNonResource(path: string): TrackedRequest {
    const series = this.series.get(path) ?? this.nonResourceSeries(path);
    return { series, start: performance.now() };
  }

  end(tracked: TrackedRequest, code: number): void {
    const { series } = tracked;
    series.inflight?.dec();
    series.duration?.observe((performance.now() - tracked.start) / 1000);
    let total = series.totals.get(code);
    if (!total) {
      const l = series.labels;
      total = this.requests.labels(l.verb, l.dryRun, l.group, l.version, l.resource, l.subresource, l.scope, component, String(code));
      series.totals.set(code, total);
    }
    total.inc();
  }

  /** The counter one watch increments for each event it sends. */
  watchEventCounter(group: string, version: string, kind: string): { inc(): void } {
    return this.watchEvents.labels(group, version, kind);
  }

  observeStorage(operation: string, type: string, seconds: number): void {
    this.storageLatency.labels(operation, type).observe(seconds);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private newSeries(key: string, l: RequestLabels): RequestSeries {
    let s = this.series.get(key);
    if (!s) {
      const longRunning =
        l.verb === 'WATCH' || l.subresource === 'log' || l.subresource === 'exec' || l.subresource === 'attach' || l.subresource === 'portforward';
      s = {
        labels: l,
        longRunning,
        // kube leaves long-running requests out of the latency histogram: their duration is the client's choice.
        duration: longRunning ? undefined : this.durations.labels(l.verb, l.dryRun, l.group, l.version, l.resource, l.subresource, l.scope, component),
        inflight: longRunning ? this.longRunning.labels(l.verb, l.group, l.version, l.resource, l.subresource, l.scope, component) : undefined,
        totals: new Map(),
      };
      this.series.set(key, s);
    }
    return s;
  }

  private nonResourceSeries(path: string): RequestSeries {
    const named = namedNonResourcePaths.find((p) => path === p || path.startsWith(`${p}/`)) ?? 'other';
    const s = this.newSeries(`nonresource ${named}`, { verb: 'GET', dryRun: '', group: '', version: '', resource: '', subresource: named, scope: '' });
    // Remember exact paths only for named ones: arbitrary paths must not grow the map.
    if (named !== 'other') this.series.set(path, s);
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
