// Creations and deletions a controller has asked for but not yet seen in its informer: until they
// arrive (or five minutes pass) the controller does not act on that key again, so a lagging watch
// never makes it create or delete twice. The pattern of kube's ControllerExpectations.
const expectationsTimeoutMs = 5 * 60 * 1000;

interface Expectation {
  adds: number;
  /** Keys of the pods whose deletion is awaited. */
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
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.now() - e.at > expectationsTimeoutMs;
  }

  expectCreations(key: string, count: number): void {
    this.byKey.set(key, { adds: count, deletes: new Set(), at: this.now() });
  }

  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.byKey.set(key, { adds: 0, deletes: new Set(podKeys), at: this.now() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e && e.adds > 0) e.adds--;
  }

  deletionObserved(key: string, podKey: string): void {
    this.byKey.get(key)?.deletes.delete(podKey);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }
}
