// ResourceQuota controller, as kube-controller-manager's resourcequota-controller: recounts each
// quota's usage from informers and writes status.hard (from spec) and status.used. It recounts
// when a quota is added or its limits change, when tracked objects go away or stop counting
// (deleted, pods turned terminal), and on a slow full resync; creates are charged by admission.
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import { resources, matchingResources, objectUsage, quotaMatches, type GroupResource } from '../../api/index.js';
import { addQuantity, resourceListOf, resourceListToJson, zeroQuantity, type Quantity } from '../../api/index.js';
import { WorkQueue, groupVersionPath, resourcePath, splitKey, type Informer, type KubeObject, gvr } from '../../client/index.js';
import type { ControllerContext, Cached } from '../shared/index.js';
import { jsonEqual } from '../../lang/index.js';

type AnyObject = KubeObject & Record<string, unknown>;

/** Kinds recounted from the start; others are watched once a quota names `count/<resource>.<group>`. */
const alwaysTracked: readonly GroupResource[] = [
  { group: '', resource: 'pods' },
  { group: '', resource: 'services' },
  { group: '', resource: 'persistentvolumeclaims' },
  { group: '', resource: 'configmaps' },
  { group: '', resource: 'secrets' },
  { group: '', resource: 'replicationcontrollers' },
  { group: '', resource: 'resourcequotas' },
];
const fullResyncMs = 5 * 60_000;

/** Sorted JSON of a resource list, so equal lists compare equal whatever the key order. */
function normalized(list: Record<string, string> | undefined): string {
  return JSON.stringify(resourceListToJson(resourceListOf(list)));
}

/** The GroupResource behind `count/<resource>.<group>`. */
function countedKind(name: string): GroupResource | undefined {
  if (!name.startsWith('count/')) return undefined;
  const rest = name.slice('count/'.length);
  const dot = rest.indexOf('.');
  return dot < 0 ? { group: '', resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
}

export class ResourceQuotaController {
  private readonly quotas: Informer<Cached<ResourceQuota>>;
  private readonly tracked = new Map<string, { gr: GroupResource; informer: Informer<AnyObject> }>();
  private readonly queue = new WorkQueue<string>({ name: 'resourcequota' });

  constructor(private readonly ctx: ControllerContext) {
    this.quotas = ctx.informers.informer<Cached<ResourceQuota>>(gvr.resourceQuotas);
    for (const gr of alwaysTracked) this.track(gr, 'v1');
  }

  async run(signal: AbortSignal): Promise<void> {
    this.quotas.addHandler({
      onAdd: (q) => this.queue.add(key(q)),
      onUpdate: (old, q) => {
        // Status writes (admission's charges, ours) need no recount; limit changes do.
        if (!jsonEqual(old.spec, q.spec) || normalized(q.spec?.hard) !== normalized(q.status?.hard)) this.queue.add(key(q));
      },
    });
    await this.quotas.waitForSync(signal);
    await Promise.all([...this.tracked.values()].map((t) => t.informer.waitForSync(signal)));
    await this.queue.run(
      2,
      async (k) => {
        await this.sync(k);
        this.queue.addAfter(k, fullResyncMs);
      },
      signal,
    );
  }

  /** The version to watch a kind at: the built-in table's storage version, else the group's preferred one (custom resources). */
  private async versionOf(gr: GroupResource): Promise<string | undefined> {
    const builtIn =
      resources.find((r) => r.group === gr.group && r.resource === gr.resource && r.storage.version === r.version) ??
      resources.find((r) => r.group === gr.group && r.resource === gr.resource);
    if (builtIn) return builtIn.namespaced ? builtIn.version : undefined;
    if (!gr.group) return undefined;
    const group = await this.ctx.client.get<{ preferredVersion?: { version?: string } }>(groupVersionPath(gr.group)).catch(() => undefined);
    const version = group?.preferredVersion?.version;
    if (!version) return undefined;
    const list = await this.ctx.client
      .get<{ resources?: Array<{ name: string; namespaced?: boolean }> }>(groupVersionPath(gr.group, version))
      .catch(() => undefined);
    return list?.resources?.some((r) => r.name === gr.resource && r.namespaced) ? version : undefined;
  }

  private track(gr: GroupResource, version: string): Informer<AnyObject> {
    const id = `${gr.resource}.${gr.group}`;
    const known = this.tracked.get(id);
    if (known) return known.informer;
    const informer = this.ctx.informers.informer<AnyObject>({ group: gr.group, version, resource: gr.resource });
    const recount = (obj: AnyObject) => this.recountNamespace(obj.metadata.namespace ?? '');
    informer.addHandler({
      onDelete: recount,
      onUpdate: (old, obj) => {
        // Usage that shrinks (a pod turning terminal, a service losing node ports) is given back.
        const before = objectUsage(gr, old);
        const after = objectUsage(gr, obj);
        if ([...before].some(([k, v]) => (after.get(k)?.nanos ?? 0n) < v.nanos)) recount(obj);
      },
    });
    this.tracked.set(id, { gr, informer });
    return informer;
  }

  private recountNamespace(namespace: string): void {
    for (const q of this.quotas.store.listNamespace(namespace)) this.queue.add(key(q));
  }

  private async sync(k: string): Promise<void> {
    const quota = this.quotas.store.get(k);
    if (!quota) {
      this.queue.forget(k);
      return;
    }
    const { namespace } = splitKey(k);
    const hard = { ...(quota.spec?.hard ?? {}) };
    const names = Object.keys(hard);
    const used = new Map<string, Quantity>(names.map((n) => [n, zeroQuantity]));
    const kinds = new Map(alwaysTracked.map((gr) => [`${gr.resource}.${gr.group}`, gr]));
    for (const n of names) {
      const gr = countedKind(n);
      if (gr) kinds.set(`${gr.resource}.${gr.group}`, gr);
    }
    for (const gr of kinds.values()) {
      const tracked = matchingResources(gr, names);
      if (!tracked.length) continue;
      const known = this.tracked.get(`${gr.resource}.${gr.group}`);
      const version = known ? known.informer.gvr.version : await this.versionOf(gr);
      // A kind the server does not serve has no objects to count.
      if (!version) continue;
      const informer = this.track(gr, version);
      if (!informer.hasSynced) {
        // A kind asked for only now must be listed before it is counted; the quota is retried until then.
        await Promise.race([informer.waitForSync(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
        if (!informer.hasSynced) throw new Error(`${gr.resource}.${gr.group} has not been listed yet`);
      }
      for (const obj of informer.store.listNamespace(namespace)) {
        if (!quotaMatches(gr, quota as unknown as Record<string, unknown>, obj, names)) continue;
        const usage = objectUsage(gr, obj);
        for (const n of tracked) {
          const v = usage.get(n);
          if (v) used.set(n, addQuantity(used.get(n)!, v));
        }
      }
    }
    const status = { hard: resourceListToJson(resourceListOf(hard)), used: resourceListToJson(used) };
    if (normalized(quota.status?.hard) === JSON.stringify(status.hard) && normalized(quota.status?.used) === JSON.stringify(status.used)) return;
    await this.ctx.client.update(resourcePath(gvr.resourceQuotas, namespace, quota.metadata.name, 'status'), {
      ...quota,
      status: { ...quota.status, ...status },
    });
  }
}

function key(q: KubeObject): string {
  return `${q.metadata.namespace ?? ''}/${q.metadata.name}`;
}
