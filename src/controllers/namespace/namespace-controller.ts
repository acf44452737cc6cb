// Namespace lifecycle: a deleted namespace turns Terminating; this controller deletes every object
// in it, of every namespaced resource discovery shows (custom resources included), reports how
// that goes in the namespace's status conditions as kube does, and once nothing is left removes
// the `kubernetes` finalizer through /finalize, which completes the deletion.
import type { Namespace, NamespaceCondition } from 'kubernetes-types/core/v1.js';
import { ApiResponseError, WorkQueue, resourcePath, type ApiClient, type Informer, type KubeObject } from '../../client/index.js';
import { kubeTime } from '../../api/index.js';
import { discoverResources, servesAnotherResource, type ControllerContext, type DiscoveredResource, type Cached } from '../shared/index.js';
import { errorMessage } from '../../lang/index.js';
import { gvr, type ReadonlyCached } from '../../client/index.js';

const workers = 5;
/** How long to wait before looking again at objects held by finalizers (kube's estimate). */
const finalizerEstimateSeconds = 15;

/** The conditions this controller owns, in kube's order, with the reason and message of their healthy form. */
const conditionTypes = [
  ['NamespaceDeletionDiscoveryFailure', 'ResourcesDiscovered', 'All resources successfully discovered'],
  ['NamespaceDeletionGroupVersionParsingFailure', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
  ['NamespaceDeletionContentFailure', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
  ['NamespaceContentRemaining', 'ContentRemoved', 'All content successfully removed'],
  ['NamespaceFinalizersRemaining', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
] as const;

type ConditionType = (typeof conditionTypes)[number][0];
type Failure = { type: ConditionType; reason: string; message: string };

/** What deleting a namespace's content left behind. */
export interface ContentTotals {
  /** `resource.group` → objects remaining. */
  readonly remaining: ReadonlyMap<string, number>;
  /** finalizer → objects remaining that carry it. */
  readonly finalizers: ReadonlyMap<string, number>;
}

/** The failing conditions for one pass, with kube's reasons and messages. */
export function deletionFailures(discoveryFailures: readonly string[], deleteErrors: readonly string[], totals: ContentTotals): Failure[] {
  const out: Failure[] = [];
  if (discoveryFailures.length) {
    out.push({
      type: 'NamespaceDeletionDiscoveryFailure',
      reason: 'DiscoveryFailed',
      message: `Discovery failed for some groups, ${discoveryFailures.length} failing: unable to retrieve the complete list of server APIs: ${discoveryFailures.join(', ')}`,
    });
  }
  if (deleteErrors.length) {
    out.push({
      type: 'NamespaceDeletionContentFailure',
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${deleteErrors.length} remaining: ${[...deleteErrors].sort().join(', ')}`,
    });
  }
  const remaining = [...totals.remaining].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`);
  if (remaining.length) {
    out.push({ type: 'NamespaceContentRemaining', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.sort().join(', ')}` });
  }
  const finalizers = [...totals.finalizers].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`);
  if (finalizers.length) {
    out.push({
      type: 'NamespaceFinalizersRemaining',
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${finalizers.sort().join(', ')}`,
    });
  }
  return out;
}

/** The namespace's conditions with this pass's failures applied; undefined when nothing changed. */
export function updatedConditions(current: readonly NamespaceCondition[], failures: readonly Failure[], now: string): NamespaceCondition[] | undefined {
  const conditions = current.map((c) => ({ ...c }));
  let changed = false;
  for (const [type, okReason, okMessage] of conditionTypes) {
    const failure = failures.find((f) => f.type === type);
    const want = failure ? { status: 'True', reason: failure.reason, message: failure.message } : { status: 'False', reason: okReason, message: okMessage };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push({ type, ...want, lastTransitionTime: now });
      changed = true;
    } else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
      if (old.status !== want.status) old.lastTransitionTime = now;
      Object.assign(old, want);
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}

/** Objects remain for a while (graceful pods, finalizers): look again then. */
class ContentRemaining extends Error {
  constructor(readonly estimateSeconds: number) {
    super(`content remains, estimated ${estimateSeconds}s`);
  }
}

export class NamespaceController {
  private readonly client: ApiClient;
  private readonly queue = new WorkQueue<string>({ name: 'namespace', baseDelayMs: 100, maxDelayMs: 30_000 });
  private readonly namespaces: Informer<ReadonlyCached<Namespace>>;

  constructor(ctx: ControllerContext) {
    this.client = ctx.client;
    this.namespaces = ctx.informers.informer<ReadonlyCached<Namespace>>(gvr.namespaces);
    const observe = (ns: ReadonlyCached<Namespace>) => {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name);
    };
    this.namespaces.addHandler({ onAdd: observe, onUpdate: (_, ns) => observe(ns) });
    // Pods leave gracefully; the last one going is the moment to look again, not a timer.
    ctx.informers.informer<KubeObject>(gvr.pods).addHandler({
      onDelete: (pod) => {
        const ns = this.namespaces.store.get(pod.metadata.namespace ?? '');
        if (ns?.metadata.deletionTimestamp) this.queue.add(ns.metadata.name);
      },
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.namespaces.waitForSync(signal);
    await this.queue.run(
      workers,
      async (name) => {
        try {
          await this.sync(name);
        } catch (err) {
          if (!(err instanceof ContentRemaining)) throw err;
          this.queue.addAfter(name, err.estimateSeconds * 1000);
        }
      },
      signal,
    );
  }

  private nsPath(name: string, sub?: string): string {
    return resourcePath(gvr.namespaces, undefined, name, sub);
  }

  /** Deletes what is left in the namespace; finalizes it once nothing is. */
  private async sync(name: string): Promise<void> {
    let ns: Cached<Namespace>;
    try {
      ns = await this.client.get<Cached<Namespace>>(this.nsPath(name));
    } catch (err) {
      if (err instanceof ApiResponseError && err.status === 404) return;
      throw err;
    }
    if (!ns.metadata.deletionTimestamp) return;
    if (ns.status?.phase !== 'Terminating') ns = await this.writeStatus(ns, { ...ns.status, phase: 'Terminating' });
    if (!(ns.spec?.finalizers ?? []).includes('kubernetes')) return;

    const discovery = await discoverResources(this.client);
    const deletable = discovery.resources.filter((r) => r.preferred && r.namespaced && r.verbs.includes('delete') && !servesAnotherResource(r));
    const deleteErrors: string[] = [];
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    let estimate = 0;
    // Kinds are independent: deleting them side by side lets `kubectl delete namespace` return sooner.
    await Promise.all(
      deletable.map(async (r) => {
        try {
          const left = await this.deleteAllOf(r, name);
          if (!left.length) return;
          remaining.set(`${r.resource}.${r.group}`, left.length);
          for (const o of left) for (const f of o.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
          estimate = Math.max(estimate, this.estimate(r, left, ns));
        } catch (err) {
          deleteErrors.push(errorMessage(err));
        }
      }),
    );
    const failures = deletionFailures(discovery.failures, deleteErrors, { remaining, finalizers });
    const conditions = updatedConditions(ns.status?.conditions ?? [], failures, kubeTime());
    if (conditions) ns = await this.writeStatus(ns, { ...ns.status, conditions });
    if (discovery.failures.length) throw new Error(`discovery failed for ${discovery.failures.length} group versions`);
    if (deleteErrors.length) throw new Error(`failed to delete content of namespace ${name}: ${deleteErrors.join('; ')}`);
    if (remaining.size) throw new ContentRemaining(estimate);

    await this.client.update(this.nsPath(name, 'finalize'), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, resourceVersion: ns.metadata.resourceVersion },
      spec: { finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== 'kubernetes') },
    });
  }

  /** Deletes every object of the resource in the namespace; answers those still there. */
  private async deleteAllOf(r: DiscoveredResource, namespace: string): Promise<KubeObject[]> {
    const path = resourcePath(r, namespace);
    const list = async () => (await this.client.get<{ items: KubeObject[] }>(path)).items;
    if (r.verbs.includes('deletecollection')) {
      await this.client.call('DELETE', `${path}?propagationPolicy=Background`);
    } else if (r.verbs.includes('list')) {
      for (const o of await list()) {
        try {
          await this.client.delete(`${path}/${encodeURIComponent(o.metadata.name)}`);
        } catch (err) {
          if (!(err instanceof ApiResponseError && (err.status === 404 || err.status === 405))) throw err;
        }
      }
    } else return [];
    if (!r.verbs.includes('list')) return [];
    const left = await list();
    if (left.length && !left.some((o) => o.metadata.finalizers?.length || o.metadata.deletionTimestamp)) {
      throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${r.group}/${r.version}, Resource=${r.resource}`);
    }
    return left;
  }

  /** Seconds until what is left should be gone: pods' grace periods from the namespace's deletion, else kube's finalizer estimate. */
  private estimate(r: DiscoveredResource, left: KubeObject[], ns: Cached<Namespace>): number {
    if (r.group === '' && r.resource === 'pods') {
      let grace = 0;
      for (const p of left as (KubeObject & { spec?: { terminationGracePeriodSeconds?: number } })[])
        grace = Math.max(grace, p.spec?.terminationGracePeriodSeconds ?? 30);
      const elapsed = (Date.now() - Date.parse(ns.metadata.deletionTimestamp ?? '')) / 1000;
      if (grace > elapsed) return Math.ceil(grace - elapsed);
    }
    return finalizerEstimateSeconds;
  }

  private async writeStatus(ns: Cached<Namespace>, status: NonNullable<Namespace['status']>): Promise<Cached<Namespace>> {
    return this.client.update<Cached<Namespace>>(this.nsPath(ns.metadata.name, 'status'), { ...ns, status });
  }
}
