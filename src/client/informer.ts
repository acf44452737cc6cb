// A shared informer: lists a resource (in pages), then watches from the list's resourceVersion,
// keeping an ObjectStore current and telling handlers what changed. Watches that end are resumed
// from the last version seen (bookmarks keep it fresh); a 410 Expired answer relists and
// reconciles the store with the new list, so handlers see every add, update and delete once.
import { log } from '../log/index.js';
import { sleep } from './sleep.js';
import { ApiResponseError, type ApiClient, type WatchEventLine } from './api-client.js';
import type { CachedObject, KubeObject } from './kube-object.js';
import { ObjectStore, type IndexFunction } from './object-store.js';
import { objectKey, resourcePath, type GroupVersionResource } from './resource-path.js';

export interface InformerHandler<T> {
  onAdd?(obj: T): void;
  onUpdate?(old: T, obj: T): void;
  /** Receives the last state the informer knew. */
  onDelete?(obj: T): void;
}

export interface InformerOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Replays every cached object to onUpdate at this period; 0 or absent: never. */
  readonly resyncMs?: number;
  /**
   * Applied to every object before it is stored or handed to handlers, as client-go's
   * SetTransform: drop what no handler reads (see stripManagedFields) to keep the cache small.
   */
  readonly transform?: (obj: KubeObject) => KubeObject;
}

/**
 * The transform kube-controller-manager and kube-scheduler give their informers: managedFields
 * are for apply and for people, a third of a small object, and no controller reads them. A PUT
 * of an object without them keeps the stored ones.
 */
export function stripManagedFields(obj: KubeObject): KubeObject {
  if (obj.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}

interface ListPage<T> {
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** The server said the version we asked for is gone: list again. */
class Expired extends Error {}

const pageSize = 500;

export class Informer<T extends CachedObject> {
  readonly store = new ObjectStore<T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  private lastVersion = '';

  constructor(
    private readonly client: ApiClient,
    readonly gvr: GroupVersionResource,
    private readonly options: InformerOptions = {},
  ) {}

  get hasSynced(): boolean {
    return this.synced;
  }

  /** Adds a handler; once synced, the objects already cached reach it as adds, as client-go does. */
  addHandler(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
    if (this.synced && handler.onAdd) for (const o of this.store.list()) this.call(() => handler.onAdd!(o));
  }

  addIndexer(name: string, fn: IndexFunction<T>): void {
    this.store.addIndex(name, fn);
  }

  /** Resolves once the first list is in the store (or the signal aborts). */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = () => resolve();
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Lists and watches until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const resync = this.options.resyncMs ? setInterval(() => this.resync(), this.options.resyncMs) : undefined;
    let failures = 0;
    try {
      while (!signal.aborted) {
        try {
          await this.relist();
          failures = 0;
          await this.watchLoop(signal);
        } catch (err) {
          if (signal.aborted) break;
          if (err instanceof Expired) continue;
          failures++;
          const delay = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
          log.error('Informer list/watch failed, retrying', err, { resource: this.describe(), retryInMs: delay });
          await sleep(delay, signal);
        }
      }
    } finally {
      if (resync) clearInterval(resync);
    }
  }

  private describe(): string {
    return this.gvr.group ? `${this.gvr.resource}.${this.gvr.group}` : this.gvr.resource;
  }

  private path(extra: Record<string, string>): string {
    const q = new URLSearchParams();
    if (this.options.labelSelector) q.set('labelSelector', this.options.labelSelector);
    if (this.options.fieldSelector) q.set('fieldSelector', this.options.fieldSelector);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return `${resourcePath(this.gvr, this.options.namespace)}?${q.toString()}`;
  }

  /** A full paginated list, reconciled with the store: adds, updates and deletes for what changed. */
  private async relist(): Promise<void> {
    const seen = new Map<string, T>();
    let cont = '';
    let version = '';
    for (;;) {
      const page = await this.client.get<ListPage<T>>(this.path({ limit: String(pageSize), ...(cont ? { continue: cont } : {}) }));
      for (const item of page.items) seen.set(objectKey(item), this.transformed(item));
      version = page.metadata.resourceVersion ?? version;
      cont = page.metadata.continue ?? '';
      if (!cont) break;
    }
    for (const key of this.store.keys()) if (!seen.has(key)) this.deleted(key);
    for (const obj of seen.values()) this.upserted(obj);
    this.lastVersion = version;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private async watchLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      // Spread the watches' ends so many informers do not re-watch at once, as client-go does.
      const timeoutSeconds = String(300 + Math.floor(Math.random() * 300));
      try {
        await this.client.watch(
          this.path({ watch: 'true', allowWatchBookmarks: 'true', resourceVersion: this.lastVersion, timeoutSeconds }),
          (e) => this.onEvent(e),
          signal,
        );
      } catch (err) {
        if (err instanceof ApiResponseError && err.status === 410) throw new Expired();
        throw err;
      }
    }
  }

  private onEvent(e: WatchEventLine): void {
    if (e.type === 'ERROR') {
      const code = (e.object as { code?: number }).code;
      if (code === 410) throw new Expired();
      throw new Error(`watch of ${this.describe()} failed: ${String((e.object as { message?: string }).message)}`);
    }
    const version = (e.object as unknown as T).metadata?.resourceVersion;
    if (version) this.lastVersion = version;
    if (e.type === 'BOOKMARK') return;
    const obj = this.transformed(e.object as unknown as T);
    if (e.type === 'DELETED') this.deleted(objectKey(obj), obj);
    else this.upserted(obj);
  }

  private transformed(obj: T): T {
    // The transform sees the object before anyone else holds it.
    return this.options.transform ? (this.options.transform(obj as unknown as KubeObject) as unknown as T) : obj;
  }

  private upserted(obj: T): void {
    const old = this.store.upsert(obj);
    if (!old) {
      for (const h of this.handlers) if (h.onAdd) this.call(() => h.onAdd!(obj));
    } else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) {
      for (const h of this.handlers) if (h.onUpdate) this.call(() => h.onUpdate!(old, obj));
    }
  }

  private deleted(key: string, last?: T): void {
    const old = this.store.remove(key);
    const obj = last ?? old;
    if (!old || !obj) return;
    for (const h of this.handlers) if (h.onDelete) this.call(() => h.onDelete!(obj));
  }

  private resync(): void {
    if (!this.synced) return;
    for (const o of this.store.list()) for (const h of this.handlers) if (h.onUpdate) this.call(() => h.onUpdate!(o, o));
  }

  /** A throwing handler must not break the watch or the other handlers. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      log.error('Informer event handler failed', err, { resource: this.describe() });
    }
  }
}
