// The API server's watch cache: the current objects of every resource plus a window of recent
// events, fed by one storage watch over /registry/. LISTs without paging and every WATCH are
// served from here; a consistent read first waits until the cache has reached the store's revision.
import type { KeyValue, StorageBackend, WatchEvent, Watcher } from '../storage/backend.js';
import { selectableFieldsFor, type SelectableFields } from '../api/index.js';
import { parseKey, resourcePrefix, type StorageResource } from './storage-keys.js';

export type ObjectMap = Record<string, unknown>;

/**
 * One object as the cache holds it: its JSON text (with metadata.resourceVersion set), its labels and
 * the values of its selectable fields. The parsed object is not kept, so ten thousand pods cost
 * their text and little more; `toObject` parses a fresh copy that the caller may change.
 */
export class CachedObject {
  constructor(
    readonly key: string,
    readonly namespace: string,
    readonly name: string,
    readonly revision: number,
    private readonly text: string,
    private readonly labelSet: Readonly<Record<string, string>>,
    /** Internal field name to value, for every field a field selector may name on this resource. */
    readonly fields: Readonly<Record<string, string>>,
    /** Whether metadata.deletionTimestamp is set. */
    readonly deleting: boolean,
  ) {}

  /** JSON text of the object, shared by every reader. */
  json(): string {
    return this.text;
  }

  /** A fresh parse of the object on every call. */
  toObject(): ObjectMap {
    return JSON.parse(this.text) as ObjectMap;
  }

  labels(): Readonly<Record<string, string>> {
    return this.labelSet;
  }
}

const noLabels: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Builds the cached form of an object of a resource whose selectable fields are `fields`. The labels
 * are kept by reference unless `copyLabels` says the object stays in someone else's hands.
 */
function cachedObject(key: string, revision: number, object: ObjectMap, fields: SelectableFields, copyLabels = false, text?: string): CachedObject {
  const meta = (object.metadata ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string>; deletionTimestamp?: unknown };
  const labels = meta.labels && Object.keys(meta.labels).length > 0 ? (copyLabels ? { ...meta.labels } : meta.labels) : noLabels;
  const deleting = meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null;
  return new CachedObject(
    key,
    meta.namespace ?? '',
    meta.name ?? '',
    revision,
    flat(text ?? JSON.stringify(object)),
    labels,
    fields.fieldSet(object),
    deleting,
  );
}

/**
 * V8 hands back a long JSON.stringify result as a rope of parts; reading a character makes it one
 * flat string. A cached text lives for minutes and is written to sockets many times: flat, it
 * costs an eighth less memory and needs no flattening on each write.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

/** The JSON text of objects this process wrote, as the cache holds them: a response sends it as it is. */
const writtenJson = new WeakMap<object, string>();

/** The cached JSON text of an object ResourceCache.offerWritten took, if it is that object. */
export function writtenJsonOf(object: object): string | undefined {
  return writtenJson.get(object);
}

/** Writes whose events have not come yet, per resource: a bound in case events never come. */
const maxOffered = 10_000;

export interface CacheEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly revision: number;
  readonly object: CachedObject;
  readonly prev?: CachedObject;
  /** While the event is being dispatched: its encoded watch lines, shared by every watcher. */
  readonly lines?: WatchLines;
}

export type CacheListener = (events: readonly CacheEvent[]) => void;

/**
 * The encoded watch lines of one event while it is dispatched, as kube-apiserver's cachingObject:
 * the first watcher that needs the event in a given form (event type, encoding, view, version)
 * builds the bytes, and every other watcher writes that same Buffer. It goes with the dispatch, so
 * the event window keeps no encodings; a watch replaying the window encodes for itself.
 */
export class WatchLines {
  private readonly built = new Map<string, Buffer>();

  /** The line stored under `form`, built by `build` the first time it is asked for. */
  get(form: string, build: () => Buffer): Buffer {
    let line = this.built.get(form);
    if (line === undefined) {
      line = build();
      this.built.set(form, line);
    }
    return line;
  }
}

/**
 * Dispatch to many watchers gives the event loop back after this long; the rest of the listeners
 * get the events on the next turn, so requests (the writes themselves) are served in between.
 */
const dispatchSliceMs = 5;

/** Events published together, on their way to the listeners subscribed when they were published. */
interface Dispatch {
  readonly events: CacheEvent[];
  /** Listeners subscribed up to this subscription number receive these events. */
  readonly subscribedUpTo: number;
  /** Taken when the dispatch starts; until then more events may join. */
  listeners: CacheListener[] | undefined;
  next: number;
}

/** Decodes a stored value into the object clients see: resourceVersion is the modification revision. */
export function decodeStored(kv: KeyValue, revision = kv.modRevision): ObjectMap {
  const obj = JSON.parse(kv.value) as ObjectMap;
  const meta = (obj.metadata ??= {}) as ObjectMap;
  meta.resourceVersion = String(revision);
  return obj;
}

function toCached(kv: KeyValue, fields: SelectableFields, revision = kv.modRevision): CachedObject | undefined {
  if (!parseKey(kv.key)) return undefined;
  return cachedObject(kv.key, revision, decodeStored(kv, revision), fields);
}

const windowCapacity = 10_000;

export class ResourceCache {
  private readonly objects = new Map<string, CachedObject>();
  private sortedKeys: string[] | undefined;
  private readonly window: CacheEvent[] = [];
  private windowHead = 0;
  /** Each listener with its subscription number. */
  private readonly listeners = new Map<CacheListener, number>();
  private subscriptions = 0;
  private readonly dispatches: Dispatch[] = [];
  private dispatching = false;
  /** Objects this process wrote whose watch events are still to come, by key. */
  private readonly offered = new Map<string, CachedObject>();
  /** Every event of this resource with a revision above this one is in the window. */
  windowStart: number;
  private readonly fields: SelectableFields;
  /** The revision of the newest change this cache has seen: a cheap test for "anything changed?". */
  changedAt = 0;

  constructor(
    readonly resource: StorageResource,
    startRevision: number,
    fields?: SelectableFields,
  ) {
    this.windowStart = startRevision;
    this.fields = fields ?? selectableFieldsFor(resource.group, resource.resource);
  }

  /** The cached form of a stored value of this resource. */
  decode(kv: KeyValue, revision = kv.modRevision): CachedObject | undefined {
    return toCached(kv, this.fields, revision);
  }

  /**
   * Takes the object this process just wrote at `revision` and its JSON text, as reads return them
   * (the caller keeps the object and may send it), so the watch event of that write is cached from
   * them rather than from parsing and stringifying the stored text again; the text is also
   * remembered for the write's response.
   */
  offerWritten(key: string, revision: number, object: ObjectMap, text: string): void {
    if (revision <= this.changedAt) {
      // The event came first (or a later write did): the cache holds the text already, or a newer one.
      const held = this.objects.get(key);
      if (held?.revision === revision) writtenJson.set(object, held.json());
      return;
    }
    const cached = cachedObject(key, revision, object, this.fields, true, text);
    if (this.offered.size >= maxOffered) this.offered.clear();
    this.offered.set(key, cached);
    writtenJson.set(object, cached.json());
  }

  /** The cached form of a stored value as its watch event brings it: the offered one when it is that write. */
  private decodeEvent(kv: KeyValue): CachedObject | undefined {
    const offered = this.offered.get(kv.key);
    if (offered && offered.revision <= kv.modRevision) {
      this.offered.delete(kv.key);
      if (offered.revision === kv.modRevision) return offered;
    }
    return this.decode(kv);
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): CachedObject | undefined {
    return this.objects.get(key);
  }

  /** Objects under a key prefix, in key order (as etcd lists them). */
  list(prefix: string): CachedObject[] {
    const keys = (this.sortedKeys ??= [...this.objects.keys()].sort());
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: CachedObject[] = [];
    for (let i = lo; i < keys.length; i++) {
      const k = keys[i]!;
      if (!k.startsWith(prefix)) break;
      out.push(this.objects.get(k)!);
    }
    return out;
  }

  /** Events after a revision, or undefined when the window no longer reaches back that far. */
  eventsAfter(revision: number): CacheEvent[] | undefined {
    if (revision < this.windowStart) return undefined;
    const out: CacheEvent[] = [];
    for (let i = this.windowHead; i < this.window.length; i++) {
      const e = this.window[i]!;
      if (e.revision > revision) out.push(e);
    }
    return out;
  }

  /** Listens to the events published from now on; returns the unsubscribe function. */
  subscribe(listener: CacheListener): () => void {
    this.listeners.set(listener, ++this.subscriptions);
    return () => this.listeners.delete(listener);
  }

  get watcherCount(): number {
    return this.listeners.size;
  }

  seed(obj: CachedObject): void {
    this.changedAt = Math.max(this.changedAt, obj.revision);
    this.objects.set(obj.key, obj);
    this.sortedKeys = undefined;
  }

  apply(ev: WatchEvent): CacheEvent | undefined {
    const prev = this.objects.get(ev.kv.key);
    let event: CacheEvent;
    if (ev.type === 'delete') {
      if (!prev) return undefined;
      const last = this.decode(ev.kv, ev.revision);
      if (!last) return undefined;
      this.objects.delete(ev.kv.key);
      this.sortedKeys = undefined;
      event = { type: 'DELETED', revision: ev.revision, object: last, prev };
    } else {
      const obj = this.decodeEvent(ev.kv);
      if (!obj) return undefined;
      if (!prev) this.sortedKeys = undefined;
      this.objects.set(ev.kv.key, obj);
      event = prev ? { type: 'MODIFIED', revision: ev.revision, object: obj, prev } : { type: 'ADDED', revision: ev.revision, object: obj };
    }
    this.window.push(event);
    this.changedAt = ev.revision;
    if (this.window.length - this.windowHead > windowCapacity) {
      this.windowStart = this.window[this.windowHead]!.revision;
      this.windowHead++;
      if (this.windowHead > windowCapacity) {
        this.window.splice(0, this.windowHead);
        this.windowHead = 0;
      }
    }
    return event;
  }

  /**
   * Hands events to every listener, in order, each event with its shared WatchLines. Delivery starts
   * at once and gives the event loop back every few milliseconds; events published meanwhile join
   * the next dispatch that has not started, so a busy cache sends fewer, larger batches.
   */
  publish(events: readonly CacheEvent[]): void {
    if (events.length === 0) return;
    const last = this.dispatches.at(-1);
    const dispatch =
      last !== undefined && last.listeners === undefined && last.subscribedUpTo === this.subscriptions
        ? last
        : { events: [], subscribedUpTo: this.subscriptions, listeners: undefined, next: 0 };
    if (dispatch !== last) this.dispatches.push(dispatch);
    for (const e of events) dispatch.events.push({ ...e, lines: new WatchLines() });
    if (!this.dispatching) this.dispatch();
  }

  private dispatch(): void {
    this.dispatching = true;
    const started = performance.now();
    for (let d = this.dispatches[0]; d !== undefined; d = this.dispatches[0]) {
      const listeners = (d.listeners ??= [...this.listeners].filter(([, n]) => n <= d.subscribedUpTo).map(([l]) => l));
      while (d.next < listeners.length) {
        const listener = listeners[d.next++]!;
        // One that unsubscribed meanwhile gets nothing more.
        if (!this.listeners.has(listener)) continue;
        try {
          listener(d.events);
        } catch (err) {
          // A broken listener (a closed socket) must not stop delivery to the others.
          process.emitWarning(`watch listener failed: ${String(err)}`);
        }
        if (performance.now() - started >= dispatchSliceMs) {
          setImmediate(() => this.dispatch());
          return;
        }
      }
      this.dispatches.shift();
    }
    this.dispatching = false;
  }
}

interface RevisionWaiter {
  revision: number;
  resolve: () => void;
}

export class WatchCache {
  private readonly caches = new Map<string, ResourceCache>();
  /** Run-time caches still listing their objects, with the events that arrived meanwhile. */
  private readonly loading = new Map<ResourceCache, WatchEvent[]>();
  private waiters: RevisionWaiter[] = [];
  private watcher: Watcher | undefined;
  /** The newest store revision the cache has applied. */
  revision: number;

  private constructor(
    private readonly backend: StorageBackend,
    startRevision: number,
  ) {
    this.revision = startRevision;
  }

  /** Lists everything once, then follows the store from that revision. */
  static async start(backend: StorageBackend, resources: readonly StorageResource[]): Promise<WatchCache> {
    const listed = await backend.list('/registry/');
    const cache = new WatchCache(backend, listed.revision);
    for (const r of resources) cache.caches.set(cacheKey(r), new ResourceCache(r, listed.revision));
    for (const kv of listed.items) {
      const parsed = parseKey(kv.key);
      const rc = parsed && cache.caches.get(cacheKey(parsed));
      const obj = rc?.decode(kv);
      if (rc && obj) rc.seed(obj);
    }
    cache.watcher = backend.watch('/registry/', listed.revision, (events) => cache.onEvents(events));
    return cache;
  }

  /**
   * Starts caching a resource defined at run time (a custom resource): lists its objects as of
   * the cache's revision, while events that arrive meanwhile wait and are applied after.
   */
  async addResource(r: StorageResource, fields: SelectableFields): Promise<ResourceCache> {
    const existing = this.caches.get(cacheKey(r));
    if (existing) return existing;
    const revision = this.revision;
    const rc = new ResourceCache(r, revision, fields);
    const pending: WatchEvent[] = [];
    this.loading.set(rc, pending);
    this.caches.set(cacheKey(r), rc);
    try {
      const listed = await this.backend.list(resourcePrefix(r), { revision });
      for (const kv of listed.items) {
        const obj = rc.decode(kv);
        if (obj) rc.seed(obj);
      }
    } finally {
      this.loading.delete(rc);
    }
    const events = pending.map((ev) => rc.apply(ev)).filter((e): e is CacheEvent => e !== undefined);
    if (events.length) rc.publish(events);
    return rc;
  }

  /** Stops caching a run-time resource; its watchers get no more events. */
  removeResource(r: StorageResource): void {
    this.caches.delete(cacheKey(r));
  }

  hasResource(r: StorageResource): boolean {
    return this.caches.has(cacheKey(r));
  }

  resource(r: StorageResource): ResourceCache {
    const rc = this.caches.get(cacheKey(r));
    if (!rc) throw new Error(`no watch cache for ${r.resource}.${r.group}`);
    return rc;
  }

  /** Resolves once the cache has applied the given revision; rejects after the timeout. */
  waitForRevision(revision: number, timeoutMs: number): Promise<void> {
    if (this.revision >= revision) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: RevisionWaiter = { revision, resolve: () => resolve() };
      this.waiters.push(waiter);
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`watch cache did not reach revision ${revision} in ${timeoutMs} ms (at ${this.revision})`));
      }, timeoutMs);
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Waits until the cache holds every write the store has acknowledged so far. */
  async waitUntilFresh(timeoutMs = 5000): Promise<number> {
    const current = await this.backend.currentRevision();
    await this.waitForRevision(current, timeoutMs);
    return current;
  }

  close(): void {
    this.watcher?.close();
  }

  private onEvents(events: readonly WatchEvent[]): void {
    const batches = new Map<ResourceCache, CacheEvent[]>();
    for (const ev of events) {
      const parsed = parseKey(ev.kv.key);
      const rc = parsed && this.caches.get(cacheKey(parsed));
      const pending = rc && this.loading.get(rc);
      if (pending) pending.push(ev);
      else if (rc) {
        const ce = rc.apply(ev);
        if (ce) {
          let batch = batches.get(rc);
          if (!batch) batches.set(rc, (batch = []));
          batch.push(ce);
        }
      }
      if (ev.revision > this.revision) this.revision = ev.revision;
    }
    for (const [rc, batch] of batches) rc.publish(batch);
    if (this.waiters.length) {
      const ready = this.waiters.filter((w) => w.revision <= this.revision);
      this.waiters = this.waiters.filter((w) => w.revision > this.revision);
      for (const w of ready) w.resolve();
    }
  }
}

function cacheKey(r: StorageResource): string {
  return `${r.group}/${r.resource}`;
}
