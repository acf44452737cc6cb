// WATCH: newline-delimited JSON events from the watch cache, with kube-apiserver's
// resourceVersion semantics, bookmarks, WatchList (sendInitialEvents) and timeouts.
import type { ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { fromStorageVersion, sharesStorageShape } from '../../api/conversion/index.js';
import { apiVersionOf, type ResourceInfo } from '../../api/resources.js';
import type { FieldSelector, LabelSelector } from '../../api/selectors/index.js';
import { buildTable } from '../tables/index.js';
import type { ResponseFormat } from '../media-types.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { CacheEvent, CachedObject } from '../watch-cache.js';
import { encodeYaml } from '../media-types.js';
import { customColumnsOf, includeObjectParam } from './views.js';

export interface WatchParams {
  readonly namespace: string;
  readonly labelSelector?: LabelSelector | undefined;
  readonly fieldSelector?: FieldSelector | undefined;
  readonly resourceVersion?: string | undefined;
  readonly resourceVersionMatch?: string | undefined;
  readonly sendInitialEvents?: boolean | undefined;
  readonly allowWatchBookmarks: boolean;
  readonly timeoutSeconds: number;
}

const bookmarkIntervalMs = 15_000;
const maxBufferedBytes = 16 * 1024 * 1024;

export async function serveWatch(
  res: ServerResponse,
  store: ResourceStore,
  r: ResourceInfo,
  p: WatchParams,
  format: ResponseFormat,
  query: URLSearchParams,
  isClosed: () => boolean,
  sentEvents?: { inc(): void },
): Promise<void> {
  if (p.sendInitialEvents !== undefined) {
    if (p.resourceVersionMatch !== 'NotOlderThan') {
      throw invalidWatch('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
    }
    if (p.sendInitialEvents && !p.allowWatchBookmarks)
      throw invalidWatch('allowWatchBookmarks', 'sendInitialEvents requires setting allowWatchBookmarks to true');
  } else if (p.resourceVersionMatch) {
    throw invalidWatch('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
  }
  const cache = store.cache;
  const prefix = store.key(p.namespace, '').replace(/\/$/, '') + (p.namespace || !r.namespaced ? '/' : '');
  const rv = p.resourceVersion ?? '';
  let startRevision: number;
  if (rv === '') startRevision = await store.freshCacheRevision();
  else if (rv === '0') startRevision = -1;
  else {
    if (!/^\d+$/.test(rv)) throw ApiError.badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
    startRevision = Number(rv);
    if (startRevision > store.cacheRevision) await store.waitForCacheRevision(startRevision);
  }
  const initial = rv === '' || rv === '0' ? p.sendInitialEvents !== false : p.sendInitialEvents === true;

  const matches = (o: CachedObject) =>
    o.key.startsWith(prefix) && (!p.labelSelector || p.labelSelector.matches(o.labels())) && (!p.fieldSelector || p.fieldSelector.matchesFieldSet(o.fields));

  res.writeHead(200, { 'Content-Type': format.contentType, 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let tableColumnsSent = false;
  const encodeObject = (o: CachedObject): string => {
    if (format.view === 'table') {
      const obj = fromStorageVersion(r, o.toObject());
      const table = buildTable(r.storage.group, r.resource, [obj], {
        ...customColumnsOf(r),
        includeObject: includeObjectParam(query),
        now: new Date(),
        listMeta: { resourceVersion: String(o.revision) },
        omitColumns: tableColumnsSent,
      });
      tableColumnsSent = true;
      return JSON.stringify(table);
    }
    if (format.view === 'metadata') return JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.toObject().metadata });
    return sharesStorageShape(r) ? o.json() : JSON.stringify(fromStorageVersion(r, o.toObject()));
  };
  let closed = false;
  const write = (type: string, objectJson: string): void => {
    if (closed) return;
    const line =
      format.encoding === 'yaml' ? `---\n${encodeYaml({ type, object: JSON.parse(objectJson) as unknown })}` : `{"type":"${type}","object":${objectJson}}\n`;
    res.write(line);
    sentEvents?.inc();
    if (res.writableLength > maxBufferedBytes) finish();
  };
  const bookmark = (revision: number, initialEnd = false): void => {
    const meta: Record<string, unknown> = { resourceVersion: String(revision) };
    if (initialEnd) meta.annotations = { 'k8s.io/initial-events-end': 'true' };
    const obj =
      format.view === 'table'
        ? { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: meta, columnDefinitions: [], rows: [] }
        : { kind: r.kind, apiVersion: apiVersionOf(r), metadata: meta };
    write('BOOKMARK', JSON.stringify(obj));
  };
  let lastRevision = 0;
  const deliver = (events: readonly CacheEvent[]): void => {
    for (const e of events) {
      if (e.revision <= lastRevision) continue;
      lastRevision = e.revision;
      const now = matches(e.object);
      const before = e.prev !== undefined && matches(e.prev);
      if (e.type === 'DELETED') {
        if (before || now) write('DELETED', encodeObject(e.object));
      } else if (now && (e.type === 'ADDED' || !before)) write('ADDED', encodeObject(e.object));
      else if (now) write('MODIFIED', encodeObject(e.object));
      else if (before) write('DELETED', encodeObject(e.object));
    }
  };

  // Subscribing and reading the snapshot happen in one synchronous step, so no event falls between.
  let pending: CacheEvent[] | undefined = [];
  const unsubscribe = cache.subscribe((events) => {
    if (pending) pending.push(...events);
    else deliver(events);
  });
  const timers: { bookmark?: NodeJS.Timeout; timeout?: NodeJS.Timeout } = {};
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  function finish(): void {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(timers.bookmark);
    clearTimeout(timers.timeout);
    if (!res.writableEnded) res.end();
    resolveDone();
  }
  res.on('close', finish);

  const snapshotRevision = storeCacheRevision(store);
  if (initial) {
    lastRevision = Math.max(startRevision, snapshotRevision);
    for (const o of cache.list(prefix)) if (matches(o)) write('ADDED', encodeObject(o));
    if (p.sendInitialEvents) bookmark(lastRevision, true);
  } else {
    const events = cache.eventsAfter(startRevision);
    if (!events) {
      write('ERROR', JSON.stringify(ApiError.expired(`too old resource version: ${startRevision} (${cache.windowStart})`).toStatus()));
      finish();
      return done;
    }
    lastRevision = startRevision;
    deliver(events);
  }
  const buffered = pending;
  pending = undefined;
  deliver(buffered);
  if (isClosed()) finish();

  if (p.allowWatchBookmarks) timers.bookmark = setInterval(() => bookmark(Math.max(lastRevision, storeCacheRevision(store))), bookmarkIntervalMs);
  // Node ends a timer past 2^31 - 1 ms after 1 ms; a longer timeoutSeconds gets that ~24 days.
  timers.timeout = setTimeout(finish, Math.min(p.timeoutSeconds * 1000, 2 ** 31 - 1));
  return done;
}

function storeCacheRevision(store: ResourceStore): number {
  return store.cacheRevision;
}

function invalidWatch(field: string, detail: string): ApiError {
  return new ApiError(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: ${field}: Forbidden: ${detail}`, {
    group: 'meta.k8s.io',
    kind: 'ListOptions',
    causes: [{ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field }],
  });
}
