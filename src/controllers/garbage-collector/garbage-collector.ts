// The garbage collector, as kube-controller-manager runs it: informers on every resource that can
// carry ownerReferences feed the owner graph; one queue checks objects whose owners may be gone
// (live lookups decide, never the cache alone), another strips references to owners deleted
// with the orphan policy. Custom resources join as their CRDs appear.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { resources as builtInResources } from '../../api/index.js';
import { ApiResponseError, Informer, WorkQueue, resourcePath, sleep, type ApiClient, type GroupVersionResource, type KubeObject } from '../../client/index.js';
import { log } from '../../log/index.js';
import { decide, type OwnerState } from './decide.js';
import { OwnerGraph, foregroundFinalizer, nodeOf, orphanFinalizer, type GraphNode, type GraphWork } from './owner-graph.js';
import { discoverResources, servesAnotherResource, type ControllerContext, type DiscoveredResource } from '../shared/index.js';
import { gvr } from '../../client/index.js';

/** Never collected, as in kube: events are many, short-lived and owned by nobody. */
const ignored = new Set(['/events', 'events.k8s.io/events']);
const workers = 10;
const absentCacheSize = 500;

interface Monitor {
  readonly resource: DiscoveredResource;
  readonly informer: Informer<KubeObject>;
  /** Set for monitors of custom resources, which stop when their CRD goes. */
  readonly stop?: AbortController;
}

const groupResource = (r: GroupVersionResource) => `${r.group}/${r.resource}`;

export class GarbageCollector {
  private readonly client: ApiClient;
  private readonly graph = new OwnerGraph();
  private readonly attemptToDelete = new WorkQueue<string>({ name: 'garbage_collector_attempt_to_delete' });
  private readonly attemptToOrphan = new WorkQueue<string>({ name: 'garbage_collector_attempt_to_orphan' });
  private readonly discovery = new WorkQueue<string>({ name: 'garbage_collector_discovery', baseDelayMs: 500, maxDelayMs: 30_000 });
  private readonly monitors = new Map<string, Monitor>();
  /** `group/version/kind` and `group//kind` → resource, to find owners named by reference. */
  private kinds = new Map<string, DiscoveredResource>();
  /** Owner coordinates verified absent, so a thousand orphans of one owner cost one lookup. */
  private readonly absentOwners = new Set<string>();

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client;
  }

  async run(signal: AbortSignal): Promise<void> {
    // New custom resource kinds appear with their CRDs: rediscover then, never on a timer.
    const crds = this.ctx.informers.informer(gvr.customResourceDefinitions);
    crds.addHandler({ onAdd: () => this.discovery.add('sync'), onUpdate: () => this.discovery.add('sync'), onDelete: () => this.discovery.add('sync') });
    while (!signal.aborted && !this.monitors.size) {
      try {
        await this.syncMonitors(signal);
      } catch (err) {
        log.error('Garbage collector discovery failed, retrying', err, { controller: 'garbage-collector' });
        await sleep(1000, signal);
      }
    }
    // Acting before every monitor has listed could remove a foreground finalizer while dependents still exist unseen.
    await Promise.all([...this.monitors.values()].map((m) => m.informer.waitForSync(signal)));
    await Promise.all([
      this.discovery.run(1, () => this.syncMonitors(signal), signal),
      this.attemptToDelete.run(workers, (uid) => this.processAttemptToDelete(uid), signal),
      this.attemptToOrphan.run(workers, (uid) => this.processAttemptToOrphan(uid), signal),
    ]);
    for (const m of this.monitors.values()) m.stop?.abort();
  }

  /** Starts monitors for resources newly served and stops those of custom resources gone. */
  private async syncMonitors(signal: AbortSignal): Promise<void> {
    const found = await discoverResources(this.client);
    if (found.failures.length) log.info('Garbage collector discovery was partial', { controller: 'garbage-collector', failures: found.failures.join('; ') });
    const kinds = new Map<string, DiscoveredResource>();
    for (const r of found.resources) {
      kinds.set(`${r.group}/${r.version}/${r.kind}`, r);
      if (r.preferred || !kinds.has(`${r.group}//${r.kind}`)) kinds.set(`${r.group}//${r.kind}`, r);
    }
    this.kinds = kinds;
    const wanted = new Map<string, DiscoveredResource>();
    for (const r of found.resources) {
      if (!r.preferred || ignored.has(groupResource(r)) || servesAnotherResource(r)) continue;
      if (!['delete', 'list', 'watch'].every((v) => r.verbs.includes(v))) continue;
      wanted.set(groupResource(r), r);
    }
    for (const [key, m] of this.monitors) {
      // A partial discovery must not stop monitors of groups it failed to read.
      if (!wanted.has(key) && m.stop && !found.failures.length) {
        m.stop.abort();
        this.monitors.delete(key);
        // Its objects went with their CRD, unseen now: what they owned is checked live.
        for (const o of m.informer.store.list()) if (o.metadata.uid) this.enqueue(this.graph.remove(o.metadata.uid));
      }
    }
    for (const [key, r] of wanted) {
      const existing = this.monitors.get(key);
      if (existing && existing.resource.version === r.version) continue;
      existing?.stop?.abort();
      this.monitors.set(key, this.startMonitor(r, signal));
    }
  }

  private startMonitor(r: DiscoveredResource, signal: AbortSignal): Monitor {
    const gvr: GroupVersionResource = { group: r.group, version: r.version, resource: r.resource };
    const builtIn = builtInResources.some((b) => b.group === r.group && b.version === r.version && b.resource === r.resource);
    let monitor: Monitor;
    if (builtIn) {
      monitor = { resource: r, informer: this.ctx.informers.informer<KubeObject>(gvr) };
    } else {
      const stop = new AbortController();
      signal.addEventListener('abort', () => stop.abort(), { once: true });
      const informer = new Informer<KubeObject>(this.client, gvr);
      monitor = { resource: r, informer, stop };
      void informer.run(stop.signal);
    }
    monitor.informer.addHandler({
      onAdd: (o) => this.observe(o, gvr, r.kind),
      onUpdate: (_, o) => this.observe(o, gvr, r.kind),
      onDelete: (o) => {
        const uid = o.metadata.uid;
        if (uid && this.graph.get(uid)?.name === o.metadata.name) this.enqueue(this.graph.remove(uid));
      },
    });
    return monitor;
  }

  private observe(obj: KubeObject, gvr: GroupVersionResource, kind: string): void {
    if (!obj.metadata.uid) return;
    const node = nodeOf(obj, gvr, kind);
    const old = this.graph.get(node.uid);
    // Updates that change nothing the graph holds (status, heartbeats) are most of the traffic.
    if (old && sameGraphState(old, node)) return;
    this.enqueue(this.graph.upsert(node));
  }

  private enqueue(work: GraphWork): void {
    for (const uid of work.attemptToDelete) this.attemptToDelete.add(uid);
    for (const uid of work.attemptToOrphan) this.attemptToOrphan.add(uid);
  }

  private async processAttemptToDelete(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    // Most checks are of dependents seen before their owners (informers list in any order).
    if (!node.deletingDependents && node.owners.length && this.graph.ownersSeenAlive(node)) return;
    const latest = await this.getLatest(node);
    if (!latest) {
      // Gone, though the informer has not said so yet: act as if it had.
      this.enqueue(this.graph.remove(uid));
      return;
    }
    const meta = latest.metadata;
    const foreground = (meta.finalizers ?? []).includes(foregroundFinalizer);
    if (meta.deletionTimestamp && !foreground) return;
    if (meta.deletionTimestamp && foreground) return this.processDeletingDependents(node);
    const refs = meta.ownerReferences ?? [];
    if (!refs.length) return;
    const owners: { ref: OwnerReference; state: OwnerState }[] = [];
    for (const ref of refs) {
      const state = await this.ownerState(ref, node);
      if (state === 'invalid') return;
      owners.push({ ref, state });
    }
    const dependents = this.graph.dependents(uid);
    const decision = decide({
      owners,
      finalizers: meta.finalizers ?? [],
      hasDependents: dependents.length > 0,
      dependentDeletingDependents: dependents.some((d) => d.deletingDependents),
    });
    if (decision.action === 'keep') return;
    if (decision.action === 'removeReferences') {
      const drop = new Set(decision.uids);
      await this.patchMeta(node, { ownerReferences: refs.filter((r) => !drop.has(r.uid)) }, meta.resourceVersion);
      return;
    }
    if (decision.unblock.length) {
      const unblock = new Set(decision.unblock);
      const updated = refs.map((r) => (unblock.has(r.uid) ? { ...r, blockOwnerDeletion: false } : r));
      await this.patchMeta(node, { ownerReferences: updated }, meta.resourceVersion);
    }
    log.info('Deleting object whose owners are gone', { controller: 'garbage-collector', object: describe(node), propagationPolicy: decision.policy });
    await this.deleteObject(node, decision.policy);
  }

  /** An owner deleted in the foreground: finished once no dependent blocks it, else its blocking dependents go first. */
  private async processDeletingDependents(node: GraphNode): Promise<void> {
    const blocking = this.graph.blockingDependents(node.uid);
    if (!blocking.length) return this.removeFinalizer(node, foregroundFinalizer);
    for (const d of blocking) if (!d.deletingDependents) this.attemptToDelete.add(d.uid);
  }

  private async processAttemptToOrphan(uid: string): Promise<void> {
    const owner = this.graph.get(uid);
    if (!owner) return;
    await Promise.all(
      this.graph.dependents(uid).map(async (d) => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const latest = await this.getLatest(d);
          const refs = latest?.metadata.ownerReferences ?? [];
          if (!latest || !refs.some((r) => r.uid === uid)) return;
          try {
            await this.patchMeta(d, { ownerReferences: refs.filter((r) => r.uid !== uid) }, latest.metadata.resourceVersion);
            return;
          } catch (err) {
            if (!(err instanceof ApiResponseError && err.status === 409)) throw err;
          }
        }
        throw new Error(`orphaning ${describe(d)} from ${describe(owner)}: conflicts on every attempt`);
      }),
    );
    await this.removeFinalizer(owner, orphanFinalizer);
  }

  /** How an owner named by a reference stands, looked up live as kube does; `invalid` for references no lookup can satisfy. */
  private async ownerState(ref: OwnerReference, dependent: GraphNode): Promise<OwnerState | 'invalid'> {
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.indexOf('/')) : '';
    const r = this.kinds.get(`${group}/${ref.apiVersion.slice(group ? group.length + 1 : 0)}/${ref.kind}`) ?? this.kinds.get(`${group}//${ref.kind}`);
    if (!r) throw new Error(`unable to find the resource of ${ref.kind} in ${ref.apiVersion}, owner of ${describe(dependent)}`);
    if (r.namespaced && !dependent.namespace) {
      // A cluster-scoped object cannot be owned by a namespaced one; no retry will change that.
      this.reportInvalidNamespace(ref, dependent);
      return 'invalid';
    }
    const namespace = r.namespaced ? dependent.namespace : '';
    const absentKey = [ref.uid, r.group, r.resource, namespace, ref.name].join('|');
    if (this.absentOwners.has(absentKey)) return 'absent';
    let owner: KubeObject | undefined;
    try {
      owner = await this.client.get<KubeObject>(resourcePath(r, namespace || undefined, ref.name));
    } catch (err) {
      if (!(err instanceof ApiResponseError && err.status === 404)) throw err;
    }
    if (!owner || owner.metadata.uid !== ref.uid) {
      if (this.absentOwners.size >= absentCacheSize) this.absentOwners.delete(this.absentOwners.values().next().value!);
      this.absentOwners.add(absentKey);
      const elsewhere = this.graph.get(ref.uid);
      if (elsewhere?.namespace && elsewhere.namespace !== namespace) this.reportInvalidNamespace(ref, dependent);
      return 'absent';
    }
    return owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(foregroundFinalizer) ? 'waiting' : 'solid';
  }

  private reportInvalidNamespace(ref: OwnerReference, dependent: GraphNode): void {
    this.ctx
      .recorder('garbage-collector-controller')
      .event(
        asObject(dependent),
        'Warning',
        'OwnerRefInvalidNamespace',
        `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: ${dependent.namespace}, name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace "${dependent.namespace}"`,
      );
  }

  private async getLatest(node: GraphNode): Promise<KubeObject | undefined> {
    try {
      const obj = await this.client.get<KubeObject>(resourcePath(node.gvr, node.namespace || undefined, node.name));
      return obj.metadata.uid === node.uid ? obj : undefined;
    } catch (err) {
      if (err instanceof ApiResponseError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** A merge patch of metadata, conditional on the version read: a conflict retries the whole decision. */
  private async patchMeta(
    node: GraphNode,
    meta: { ownerReferences?: OwnerReference[]; finalizers?: string[] },
    resourceVersion: string | undefined,
  ): Promise<void> {
    const body: Record<string, unknown> = { uid: node.uid, ...(resourceVersion ? { resourceVersion } : {}) };
    for (const [k, v] of Object.entries(meta)) body[k] = (v as unknown[]).length ? v : null;
    try {
      await this.client.patch(resourcePath(node.gvr, node.namespace || undefined, node.name), { metadata: body }, 'merge');
    } catch (err) {
      if (err instanceof ApiResponseError && err.status === 404) return;
      throw err;
    }
  }

  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await this.getLatest(node);
      const finalizers = latest?.metadata.finalizers ?? [];
      if (!latest || !finalizers.includes(finalizer)) return;
      try {
        await this.patchMeta(node, { finalizers: finalizers.filter((f) => f !== finalizer) }, latest.metadata.resourceVersion);
        return;
      } catch (err) {
        if (!(err instanceof ApiResponseError && err.status === 409)) throw err;
      }
    }
    throw new Error(`removing finalizer ${finalizer} from ${describe(node)}: conflicts on every attempt`);
  }

  private async deleteObject(node: GraphNode, policy: 'Background' | 'Foreground' | 'Orphan'): Promise<void> {
    try {
      await this.client.delete(resourcePath(node.gvr, node.namespace || undefined, node.name), { propagationPolicy: policy, preconditions: { uid: node.uid } });
    } catch (err) {
      // Gone already, or the name now belongs to a newer object.
      if (err instanceof ApiResponseError && (err.status === 404 || err.status === 409)) return;
      throw err;
    }
  }
}

function sameGraphState(a: GraphNode, b: GraphNode): boolean {
  if (a.beingDeleted !== b.beingDeleted || a.deletingDependents !== b.deletingDependents || a.orphaning !== b.orphaning) return false;
  if (a.name !== b.name || a.owners.length !== b.owners.length) return false;
  return a.owners.every((r, i) => {
    const o = b.owners[i]!;
    return r.uid === o.uid && r.blockOwnerDeletion === o.blockOwnerDeletion && r.name === o.name && r.kind === o.kind && r.apiVersion === o.apiVersion;
  });
}

function describe(n: GraphNode): string {
  return `${n.kind} ${n.namespace ? `${n.namespace}/` : ''}${n.name}`;
}

function asObject(n: GraphNode): KubeObject {
  return { apiVersion: n.apiVersion, kind: n.kind, metadata: { name: n.name, uid: n.uid, ...(n.namespace ? { namespace: n.namespace } : {}) } };
}
