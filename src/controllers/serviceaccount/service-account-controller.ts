// ServiceAccount controller, as kube-controller-manager's serviceaccount-controller: every active
// namespace has a `default` ServiceAccount; one that is deleted is made again.
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { ApiResponseError, WorkQueue, resourcePath, type Informer, type ReadonlyCached, gvr } from '../../client/index.js';
import type { ControllerContext } from '../shared/index.js';

const accountName = 'default';

export class ServiceAccountController {
  private readonly namespaces: Informer<ReadonlyCached<Namespace>>;
  private readonly accounts: Informer<ReadonlyCached<ServiceAccount>>;
  private readonly queue = new WorkQueue<string>({ name: 'serviceaccount' });

  constructor(private readonly ctx: ControllerContext) {
    this.namespaces = ctx.informers.informer<ReadonlyCached<Namespace>>(gvr.namespaces);
    this.accounts = ctx.informers.informer<ReadonlyCached<ServiceAccount>>(gvr.serviceAccounts);
  }

  async run(signal: AbortSignal): Promise<void> {
    this.namespaces.addHandler({
      onAdd: (ns) => this.queue.add(ns.metadata.name),
      onUpdate: (_, ns) => this.queue.add(ns.metadata.name),
    });
    this.accounts.addHandler({
      onDelete: (sa) => {
        if (sa.metadata.name === accountName && sa.metadata.namespace) this.queue.add(sa.metadata.namespace);
      },
    });
    await Promise.all([this.namespaces.waitForSync(signal), this.accounts.waitForSync(signal)]);
    await this.queue.run(2, (ns) => this.sync(ns), signal);
  }

  private async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.store.get(namespace);
    if (!ns || ns.metadata.deletionTimestamp || (ns.status?.phase ?? 'Active') !== 'Active') return;
    if (this.accounts.store.get(`${namespace}/${accountName}`)) return;
    try {
      await this.ctx.client.create(resourcePath(gvr.serviceAccounts, namespace), {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: accountName, namespace },
      });
    } catch (err) {
      // Already there (the cache trails), or the namespace started terminating meanwhile.
      if (err instanceof ApiResponseError && (err.status === 409 || err.status === 403 || err.status === 404)) return;
      throw err;
    }
  }
}
