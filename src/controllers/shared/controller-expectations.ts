// Creations and deletions a controller has asked for but not yet seen in its informer: until they
// arrive (or five minutes pass) the controller does not act on that key again, so a lagging watch
// never makes it create or delete twice. The pattern of kube's ControllerExpectations.
const expectationsTimeoutMs = 5 * 60 * 1000;

interface Expectation {
  adds: number;
  /** Keys of the objects whose deletion is awaited. */
  readonly deletes: Set<string>;
  readonly at: number;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when nothing is awaited for the key (or what was awaited is too old to trust). */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if ((e.adds <= 0 && e.deletes.size === 0) || this.expired(e)) {
      this.byKey.delete(key);
      return true;
    }
    return false;
  }

  /** Adds `count` creations to what is awaited for the key. */
  expectCreations(key: string, count: number): void {
    if (count > 0) this.entry(key).adds += count;
  }

  /** Adds the deletions of these objects (by key) to what is awaited for the key. */
  expectDeletions(key: string, objectKeys: readonly string[]): void {
    const e = this.entry(key);
    for (const k of objectKeys) e.deletes.add(k);
  }

  /** An object was seen created, or a create failed and will never be seen. */
  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e && e.adds > 0) e.adds--;
  }

  /** An object was seen deleted, or a delete failed and will never be seen. */
  deletionObserved(key: string, objectKey: string): void {
    this.byKey.get(key)?.deletes.delete(objectKey);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }

  /** The key's live expectation; one that lapsed starts again from nothing. */
  private entry(key: string): Expectation {
    let e = this.byKey.get(key);
    if (!e || this.expired(e)) this.byKey.set(key, (e = { adds: 0, deletes: new Set(), at: this.now() }));
    return e;
  }

  private expired(e: Expectation): boolean {
    return this.now() - e.at > expectationsTimeoutMs;
  }
}
