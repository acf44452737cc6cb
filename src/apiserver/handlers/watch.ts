// WATCH: newline-delimited JSON events from the watch cache, with kube-apiserver's
// resourceVersion semantics, bookmarks, WatchList (sendInitialEvents) and timeouts.
import type { ServerResponse } from 'node:http';
import {
  ApiError,
  fromStorageVersion,
  sharesStorageShape,
  apiVersionOf,
  parseFieldSelector,
  type ResourceInfo,
  type FieldSelector,
  type LabelSelector,
} from '../../api/index.js';
import { buildTable } from '../tables/index.js';
import { negotiate, type ResponseFormat } from '../media-types.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { CacheEvent, CachedObject, WatchLines } from '../watch-cache.js';
import { encodeYaml } from '../media-types.js';
import type { ResourceRequest } from '../request-info.js';
import type { ApiRequest } from './http-io.js';
import { boolParam, customFieldOptions, intParam, selectorParams } from './request-options.js';
import { customColumnsOf, includeObjectParam } from './views.js';
import { WatchStream } from './watch-stream.js';

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

/** A WATCH request: its selectors and options read from the query, then served by `serveWatch`. */
export async function serveWatchRequest(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  const format = negotiate(req.raw.headers.accept, { allowViews: true, allowProtobuf: false });
  const sel = selectorParams(req.query, r);
  let fieldSelector = sel.fieldSelector;
  if (info.name) {
    // A legacy /watch/.../<name> path watches one object: the same as metadata.name=<name>.
    fieldSelector = parseFieldSelector(`metadata.name=${info.name}`, r.storage.group, r.storage.resource, customFieldOptions(r));
  }
  const timeout = intParam(req.query, 'timeoutSeconds');
  // kube decodes every ListOptions integer of a watch, though a watch does not page: a bad limit is its 400 too.
  intParam(req.query, 'limit');
  let closed = false;
  req.raw.on('close', () => (closed = true));
  await serveWatch(
    res,
    store,
    r,
    {
      namespace: info.namespace,
      labelSelector: sel.labelSelector,
      fieldSelector,
      resourceVersion: req.query.get('resourceVersion') ?? undefined,
      resourceVersionMatch: req.query.get('resourceVersionMatch') || undefined,
      sendInitialEvents: boolParam(req.query, 'sendInitialEvents'),
      allowWatchBookmarks: boolParam(req.query, 'allowWatchBookmarks') ?? false,
      // As kube: none (or 0) is the default of 30-60 min; a negative timeout has passed already.
      timeoutSeconds: timeout === undefined || timeout === 0 ? 1800 + Math.floor(Math.random() * 1800) : Math.max(0, timeout),
    },
    format,
    req.query,
    () => closed,
    req.metrics?.watchEventCounter(r.group, r.version, r.kind),
  );
}

async function serveWatch(
  res: ServerResponse,
  store: ResourceStore,
  r: ResourceInfo,
  p: WatchParams,
  format: ResponseFormat,
  query: URLSearchParams,
  isClosed: () => boolean,
  sentEvents?: { inc(count?: number): void },
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
  const encodeLine = (type: string, objectJson: string): Buffer =>
    Buffer.from(
      format.encoding === 'yaml' ? `---\n${encodeYaml({ type, object: JSON.parse(objectJson) as unknown })}` : `{"type":"${type}","object":${objectJson}}\n`,
    );
  // Every watcher asking for the same form writes the same bytes of a dispatched event. A table
  // row is this watcher's own (its columns go only in its first event, its ages are of now).
  const form = format.view === 'table' ? undefined : `${format.encoding};${format.view};${apiVersionOf(r)};${r.kind}`;
  const eventLine = (e: Event): Buffer => {
    const build = () => encodeLine(e.type, encodeObject(e.object));
    return e.lines && form !== undefined ? e.lines.get(`${e.type};${form}`, build) : build();
  };
  const encode = (item: Outgoing): Buffer => {
    if (item instanceof EncodedLines) {
      sentEvents?.inc(item.events);
      return item.bytes;
    }
    sentEvents?.inc();
    return eventLine(item);
  };
  // Watchers that also select the same objects write the same bytes for a whole dispatch.
  const group = form === undefined ? undefined : `${form}\n${prefix}\n${p.labelSelector?.toString() ?? ''}\n${p.fieldSelector?.toString() ?? ''}`;
  const timers: { bookmark?: NodeJS.Timeout; timeout?: NodeJS.Timeout } = {};
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  // Subscribing and reading the snapshot happen in one synchronous step below, so no event falls between.
  let unsubscribe = (): void => undefined;
  const stream = new WatchStream<Outgoing>(res, {
    encode,
    sizeOf: (item) => (item instanceof EncodedLines ? item.bytes.length : item.object.json().length + 48),
    describe: `${r.resource}${r.group ? `.${r.group}` : ''} ${prefix}`,
    onEnd: () => {
      unsubscribe();
      clearInterval(timers.bookmark);
      clearTimeout(timers.timeout);
      resolveDone();
    },
  });
  const bookmark = (revision: number, initialEnd = false): EncodedLines => {
    const meta: Record<string, unknown> = { resourceVersion: String(revision) };
    if (initialEnd) meta.annotations = { 'k8s.io/initial-events-end': 'true' };
    const obj =
      format.view === 'table'
        ? { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: meta, columnDefinitions: [], rows: [] }
        : { kind: r.kind, apiVersion: apiVersionOf(r), metadata: meta };
    return new EncodedLines(encodeLine('BOOKMARK', JSON.stringify(obj)), 1);
  };
  /** What this watcher sees of an event: its selectors decide between ADDED, MODIFIED, DELETED and nothing. */
  const outgoing = (e: CacheEvent): Event | undefined => {
    const now = matches(e.object);
    const before = e.prev !== undefined && matches(e.prev);
    let type: WatchEventType | undefined;
    if (e.type === 'DELETED') type = before || now ? 'DELETED' : undefined;
    else if (now) type = e.type === 'ADDED' || !before ? 'ADDED' : 'MODIFIED';
    else if (before) type = 'DELETED';
    return type && { type, object: e.object, lines: e.lines };
  };
  let lastRevision = 0;
  const deliver = (events: readonly CacheEvent[]): void => {
    if (group !== undefined && events.length > 0 && events[0]!.revision > lastRevision) {
      const shared = sharedLines(events, group, () => {
        const lines: Buffer[] = [];
        for (const e of events) {
          const item = outgoing(e);
          if (item) lines.push(eventLine(item));
        }
        return new EncodedLines(lines.length === 1 ? lines[0]! : Buffer.concat(lines), lines.length);
      });
      lastRevision = events.at(-1)!.revision;
      if (shared.events > 0) stream.push(shared);
    } else {
      for (const e of events) {
        if (e.revision <= lastRevision) continue;
        lastRevision = e.revision;
        const item = outgoing(e);
        if (item) stream.push(item);
      }
    }
    stream.flush();
  };

  unsubscribe = cache.subscribe(deliver);
  const snapshotRevision = storeCacheRevision(store);
  if (initial) {
    lastRevision = Math.max(startRevision, snapshotRevision);
    stream.startWith(initialEvents(cache.list(prefix), matches, p.sendInitialEvents ? bookmark(lastRevision, true) : undefined));
  } else {
    const events = cache.eventsAfter(startRevision);
    if (!events) {
      const status = ApiError.expired(`too old resource version: ${startRevision} (${cache.windowStart})`).toStatus();
      stream.push(new EncodedLines(encodeLine('ERROR', JSON.stringify(status)), 1));
      stream.flush(true);
      stream.end();
      return done;
    }
    lastRevision = events.at(-1)?.revision ?? startRevision;
    stream.startWith(replay(events, outgoing));
  }
  if (isClosed()) stream.end();
  if (stream.isEnded) return done;

  if (p.allowWatchBookmarks)
    timers.bookmark = setInterval(() => {
      stream.push(bookmark(Math.max(lastRevision, storeCacheRevision(store))));
      stream.flush(true);
    }, bookmarkIntervalMs);
  // Node ends a timer past 2^31 - 1 ms after 1 ms; a longer timeoutSeconds gets that ~24 days.
  timers.timeout = setTimeout(() => stream.end(), Math.min(p.timeoutSeconds * 1000, 2 ** 31 - 1));
  return done;
}

type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** An event as one watcher sees it, encoded when its connection has room. */
interface Event {
  readonly type: WatchEventType;
  readonly object: CachedObject;
  readonly lines: WatchLines | undefined;
}

/** Lines encoded already: a bookmark, an error, or a dispatch's events for a group of watchers. */
class EncodedLines {
  constructor(
    readonly bytes: Buffer,
    /** How many watch events the bytes hold. */
    readonly events: number,
  ) {}
}

type Outgoing = Event | EncodedLines;

/**
 * A dispatch's lines for each group of watchers (same form, prefix and selectors), built by the
 * first watcher of the group and written by all of them; they go with the dispatch's events.
 */
const dispatchLines = new WeakMap<readonly CacheEvent[], Map<string, EncodedLines>>();

function sharedLines(events: readonly CacheEvent[], group: string, build: () => EncodedLines): EncodedLines {
  let groups = dispatchLines.get(events);
  if (groups === undefined) dispatchLines.set(events, (groups = new Map<string, EncodedLines>()));
  let lines = groups.get(group);
  if (lines === undefined) groups.set(group, (lines = build()));
  return lines;
}

/** The initial list as ADDED events, then the bookmark that ends it when one was asked for. */
function* initialEvents(objects: readonly CachedObject[], matches: (o: CachedObject) => boolean, endBookmark: EncodedLines | undefined): Generator<Outgoing> {
  for (const object of objects) if (matches(object)) yield { type: 'ADDED', object, lines: undefined };
  if (endBookmark) yield endBookmark;
}

/** The window's events after the watch's revision, as this watcher sees them. */
function* replay(events: readonly CacheEvent[], outgoing: (e: CacheEvent) => Event | undefined): Generator<Outgoing> {
  for (const e of events) {
    const item = outgoing(e);
    if (item) yield item;
  }
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
