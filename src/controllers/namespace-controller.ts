// Namespace lifecycle: when a namespace is deleted it turns Terminating; this controller deletes
// every namespaced object in it, and once none is left removes the `kubernetes` finalizer through
// /finalize, which completes the deletion. Level-triggered: it re-checks on every namespace event
// and retries with backoff while objects (finalizers of their own) remain.
import { resources } from '../api/resources.js';
import { ApiResponseError, type ApiClient } from '../client/index.js';
import { log } from '../log/index.js';

interface NamespaceView {
  metadata: { name: string; deletionTimestamp?: string; resourceVersion?: string };
  spec?: { finalizers?: string[] };
}

const namespacedKinds = resources.filter(
  (r) => r.namespaced && r.verbs.includes('deletecollection') && r.storage.group === r.group && r.storage.version === r.version,
);

function collectionPath(group: string, version: string, resource: string, namespace: string): string {
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  return `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

export class NamespaceController {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly attempts = new Map<string, number>();

  constructor(private readonly client: ApiClient) {}

  async start(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const list = await this.client.call<{ metadata: { resourceVersion: string }; items: NamespaceView[] }>('GET', '/api/v1/namespaces');
        for (const ns of list.items) this.observe(ns);
        await this.client.watch(
          `/api/v1/namespaces?watch=true&allowWatchBookmarks=true&resourceVersion=${list.metadata.resourceVersion}`,
          (e) => {
            if (e.type === 'ADDED' || e.type === 'MODIFIED') this.observe(e.object as unknown as NamespaceView);
          },
          signal,
        );
      } catch (err) {
        if (signal.aborted) break;
        log.error('Namespace watch failed, retrying', err, { controller: 'namespace' });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    for (const t of this.pending.values()) clearTimeout(t);
  }

  private observe(ns: NamespaceView): void {
    if (!ns.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes('kubernetes')) return;
    this.schedule(ns.metadata.name, 0);
  }

  private schedule(name: string, delayMs: number): void {
    if (this.pending.has(name)) return;
    const timer = setTimeout(() => {
      this.pending.delete(name);
      this.sync(name).catch((err: unknown) => {
        const n = (this.attempts.get(name) ?? 0) + 1;
        this.attempts.set(name, n);
        if (!(err instanceof ApiResponseError && err.status === 404)) {
          if (n > 3) log.error('Error syncing namespace', err, { controller: 'namespace', namespace: name, attempt: n });
          this.schedule(name, Math.min(30_000, 100 * 2 ** n));
        }
      });
    }, delayMs);
    this.pending.set(name, timer);
  }

  /** Deletes what is left in the namespace; finalizes it once nothing is. */
  private async sync(name: string): Promise<void> {
    const ns = await this.client.call<NamespaceView>('GET', `/api/v1/namespaces/${encodeURIComponent(name)}`);
    if (!ns.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes('kubernetes')) return;
    let remaining = 0;
    for (const r of namespacedKinds) {
      const path = collectionPath(r.group, r.version, r.resource, name);
      const list = await this.client.call<{ items: unknown[] }>('GET', `${path}?limit=1`);
      if (!list.items.length) continue;
      await this.client.call('DELETE', `${path}?propagationPolicy=Background`);
      const after = await this.client.call<{ items: unknown[] }>('GET', `${path}?limit=1`);
      remaining += after.items.length;
    }
    if (remaining) throw new Error(`${remaining} kinds of objects still in namespace ${name}`);
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== 'kubernetes');
    await this.client.call('PUT', `/api/v1/namespaces/${encodeURIComponent(name)}/finalize`, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, resourceVersion: ns.metadata.resourceVersion },
      spec: { finalizers },
    });
    this.attempts.delete(name);
  }
}
