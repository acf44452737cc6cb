// What a controller has asked the API for and not yet seen come back through its informer, as
// kube's ControllerExpectations: a sync that runs before the informer caught up must not create
// the same pods twice. Expectations lapse after five minutes so a lost event cannot wedge a key.

const expiryMs = 5 * 60_000;

interface Pending {
  adds: number;
  readonly deletes: Set<string>;
  readonly since: number;
}

export class CreationExpectations {
  private readonly pending = new Map<string, Pending>();

  /** True when every create and delete asked for under key has been observed (or lapsed). */
  satisfied(key: string): boolean {
    const p = this.pending.get(key);
    if (!p) return true;
    if ((p.adds <= 0 && p.deletes.size === 0) || Date.now() - p.since > expiryMs) {
      this.pending.delete(key);
      return true;
    }
    return false;
  }

  expectCreations(key: string, count: number): void {
    if (count <= 0) return;
    const p = this.entry(key);
    p.adds += count;
  }

  /** An object was seen created, or a create failed and will never be seen. */
  creationObserved(key: string): void {
    const p = this.pending.get(key);
    if (p) p.adds--;
  }

  expectDeletion(key: string, objectKey: string): void {
    this.entry(key).deletes.add(objectKey);
  }

  deletionObserved(key: string, objectKey: string): void {
    this.pending.get(key)?.deletes.delete(objectKey);
  }

  forget(key: string): void {
    this.pending.delete(key);
  }

  private entry(key: string): Pending {
    let p = this.pending.get(key);
    if (!p || Date.now() - p.since > expiryMs) this.pending.set(key, (p = { adds: 0, deletes: new Set(), since: Date.now() }));
    return p;
  }
}
