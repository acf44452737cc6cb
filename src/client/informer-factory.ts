// One informer per resource and selector set, shared by every controller in the process, so a
// thousand-node cluster is listed and watched once however many controllers read pods.
import type { ApiClient } from './api-client.js';
import { Informer, type InformerOptions } from './informer.js';
import type { CachedObject, KubeObject } from './kube-object.js';
import type { GroupVersionResource } from './resource-path.js';

export interface InformerFactoryOptions {
  /** Default resync period of the informers made here; 0 or absent: none. */
  readonly resyncMs?: number;
  /** The transform of every informer made here (see InformerOptions.transform). */
  readonly transform?: InformerOptions['transform'];
}

export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly started = new Set<Informer<KubeObject>>();
  private signal: AbortSignal | undefined;

  constructor(
    readonly client: ApiClient,
    private readonly options: InformerFactoryOptions = {},
  ) {}

  informer<T extends CachedObject = KubeObject>(gvr: GroupVersionResource, options: Omit<InformerOptions, 'resyncMs' | 'transform'> = {}): Informer<T> {
    const key = JSON.stringify([gvr.group, gvr.version, gvr.resource, options.namespace ?? '', options.labelSelector ?? '', options.fieldSelector ?? '']);
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer<KubeObject>(this.client, gvr, {
        ...options,
        ...(this.options.resyncMs ? { resyncMs: this.options.resyncMs } : {}),
        ...(this.options.transform ? { transform: this.options.transform } : {}),
      });
      this.informers.set(key, informer);
      // Informers asked for after start() run at once.
      if (this.signal) this.run(informer, this.signal);
    }
    return informer as unknown as Informer<T>;
  }

  /** Starts every informer asked for so far, and any asked for later, until the signal aborts. */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const i of this.informers.values()) this.run(i, signal);
  }

  /** Whether every informer made here has its first list. */
  get hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced);
  }

  /** Resolves when every started informer has its first list. */
  async waitForSync(signal?: AbortSignal): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
  }

  private run(informer: Informer<KubeObject>, signal: AbortSignal): void {
    if (this.started.has(informer)) return;
    this.started.add(informer);
    void informer.run(signal);
  }
}
