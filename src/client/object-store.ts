// The informer's local cache: the objects last seen from the server by key, with indexes that
// answer "every pod on node x" or "everything owned by uid y" without a scan. Built in: namespace,
// owner (every ownerReferences uid) and node (a pod's spec.nodeName).
import type { CachedObject } from './kube-object.js';
import { objectKey } from './resource-path.js';

export type IndexFunction<T> = (obj: T) => readonly string[];

export class ObjectStore<T extends CachedObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunction<T>>();
  /** index name → index value → keys */
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  constructor() {
    this.addIndex('namespace', (o) => [o.metadata.namespace ?? '']);
    this.addIndex('owner', (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid));
    // Pods by the node they are bound to (only pods have spec.nodeName).
    this.addIndex('node', (o) => {
      const node = (o as { spec?: { nodeName?: unknown } }).spec?.nodeName;
      return typeof node === 'string' && node ? [node] : [];
    });
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  listNamespace(namespace: string): T[] {
    return this.byIndex('namespace', namespace);
  }

  byIndex(index: string, value: string): T[] {
    const idx = this.indexes.get(index);
    if (!idx) throw new Error(`no index named ${index}`);
    const keys = idx.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) {
      const o = this.items.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  /** Adds an index (also over the objects already stored); an existing name is replaced. */
  addIndex(name: string, fn: IndexFunction<T>): void {
    this.indexers.set(name, fn);
    const idx = new Map<string, Set<string>>();
    this.indexes.set(name, idx);
    for (const [k, o] of this.items) for (const v of fn(o)) add(idx, v, k);
  }

  /** Stores the object; answers the version it replaced. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) {
      const idx = this.indexes.get(name)!;
      for (const v of fn(obj)) add(idx, v, key);
    }
    return old;
  }

  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const idx = this.indexes.get(name)!;
      for (const v of fn(obj)) {
        const keys = idx.get(v);
        if (!keys) continue;
        keys.delete(key);
        if (!keys.size) idx.delete(v);
      }
    }
  }
}

function add(idx: Map<string, Set<string>>, value: string, key: string): void {
  let keys = idx.get(value);
  if (!keys) idx.set(value, (keys = new Set()));
  keys.add(key);
}
