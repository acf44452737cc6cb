// The DaemonSet controller, as kube-controller-manager's: one pod on every node the template fits
// (node selector, node affinity, taints against the pod's tolerations plus those kube adds), each
// pinned to its node by required node affinity and left to the scheduler to bind; pods leave
// nodes they no longer fit, new nodes get theirs, and template changes roll out node by node
// within maxUnavailable or, with maxSurge, by starting the new pod before stopping the old.
import type { DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import { ApiResponseError, objectKey, resourcePath, WorkQueue, type EventRecorder, type Informer, gvr } from '../../client/index.js';
import { daemonTolerations, nodeFit, pinToNode, targetNode, type NodeFit } from './daemon-pods.js';
import {
  claimCandidates,
  claimObjects,
  ControllerExpectations,
  controllerOf,
  controllerReference,
  ensureRevision,
  indexOrphans,
  isPodReady,
  ownerKey,
  ownersSelecting,
  podAvailability,
  revisionHashLabel,
  sameJson,
  scaledValue,
  selectorOf,
  trimHistory,
  type ControllerContext,
  type DaemonSetObject,
  type NodeObject,
  type PodObject,
  type RevisionObject,
} from '../shared/index.js';
import { errorMessage } from '../../lang/index.js';

const templateGenerationLabel = 'pod-template-generation';

const byAge = (a: PodObject, b: PodObject) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');

export class DaemonSetController {
  private readonly queue = new WorkQueue<string>({ name: 'daemonset' });
  private readonly expectations = new ControllerExpectations();
  private readonly sets: Informer<DaemonSetObject>;
  private readonly pods: Informer<PodObject>;
  private readonly nodes: Informer<NodeObject>;
  private readonly revisions: Informer<RevisionObject>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder('daemonset-controller');
    this.sets = ctx.informers.informer<DaemonSetObject>(gvr.daemonSets);
    this.pods = ctx.informers.informer<PodObject>(gvr.pods);
    this.nodes = ctx.informers.informer<NodeObject>(gvr.nodes);
    this.revisions = ctx.informers.informer<RevisionObject>(gvr.controllerRevisions);
    indexOrphans(this.pods);
    this.sets.addHandler({
      onAdd: (s) => this.queue.add(objectKey(s)),
      onUpdate: (_, s) => this.queue.add(objectKey(s)),
      onDelete: (s) => this.expectations.forget(objectKey(s)),
    });
    this.pods.addHandler({
      onAdd: (p) => {
        const key = ownerKey(p, 'DaemonSet');
        if (!key) return;
        this.expectations.creationObserved(key);
        this.queue.add(key);
      },
      onUpdate: (_, p) => {
        const key = ownerKey(p, 'DaemonSet');
        if (key) this.queue.add(key);
        for (const s of ownersSelecting(this.sets.store.listNamespace(p.metadata.namespace ?? ''), p)) this.queue.add(objectKey(s));
      },
      onDelete: (p) => {
        const key = ownerKey(p, 'DaemonSet');
        if (!key) return;
        this.expectations.deletionObserved(key, objectKey(p));
        this.queue.add(key);
      },
    });
    const all = () => {
      for (const s of this.sets.store.list()) this.queue.add(objectKey(s));
    };
    this.nodes.addHandler({
      onAdd: all,
      onUpdate: (old, n) => {
        if (!sameJson(old.metadata.labels, n.metadata.labels) || !sameJson(old.spec?.taints, n.spec?.taints)) all();
      },
      onDelete: all,
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.ctx.informers.waitForSync(signal);
    await this.queue.run(4, (key) => this.sync(key), signal);
  }

  private event(ds: DaemonSetObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event({ ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' }, type, reason, message);
  }

  async sync(key: string): Promise<void> {
    const ds = this.sets.store.get(key);
    if (!ds) return this.expectations.forget(key);
    if (ds.metadata.deletionTimestamp) return;
    const uid = ds.metadata.uid ?? '';
    const spec = ds.spec!;
    const pods = await claimObjects({
      client: this.ctx.client,
      owner: ds,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'DaemonSet',
      gvr: gvr.pods,
      selector: selectorOf(spec.selector),
      candidates: claimCandidates(this.pods, ds),
      recheckOwner: () => this.ctx.client.get<DaemonSetObject>(resourcePath(gvr.daemonSets, ds.metadata.namespace, ds.metadata.name)),
    });
    const revisions = this.revisions.store.byIndex('owner', uid).filter((r) => controllerOf(r)?.uid === uid);
    const { revision: updateRevision, hash } = await ensureRevision(this.ctx.client, ds, 'DaemonSet', revisions);
    const generation = String(ds.metadata.generation ?? 1);
    const isUpdated = (p: PodObject) => p.metadata.labels?.[revisionHashLabel] === hash || p.metadata.labels?.[templateGenerationLabel] === generation;
    const nodes = this.nodes.store.list();
    const nodeNames = new Set(nodes.map((n) => n.metadata.name));
    const byNode = new Map<string, PodObject[]>();
    const toDelete: PodObject[] = [];
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      const node = targetNode(pod.spec);
      // An unbound pod for a node that is gone will never run.
      if (!node || (!nodeNames.has(node) && !pod.spec?.nodeName)) {
        toDelete.push(pod);
        continue;
      }
      const list = byNode.get(node) ?? [];
      list.push(pod);
      byNode.set(node, list);
    }
    for (const list of byNode.values()) list.sort(byAge);
    const fits = new Map<string, NodeFit>(nodes.map((n) => [n.metadata.name, nodeFit(spec.template, n)]));
    const maxSurge = spec.updateStrategy?.type === 'RollingUpdate' ? scaledValue(spec.updateStrategy.rollingUpdate?.maxSurge ?? 0, nodes.length, true) : 0;

    const toCreate: string[] = [];
    for (const node of nodes) {
      const fit = fits.get(node.metadata.name)!;
      const here = byNode.get(node.metadata.name) ?? [];
      if (!fit.shouldContinueRunning) {
        toDelete.push(...here);
        continue;
      }
      const failed = here.filter((p) => p.status?.phase === 'Failed');
      for (const pod of failed) {
        this.event(
          ds,
          'Warning',
          'FailedDaemonPod',
          `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${node.metadata.name}, will try to kill it`,
        );
        toDelete.push(pod);
      }
      const running = here.filter((p) => p.status?.phase !== 'Failed');
      if (!running.length) {
        if (fit.shouldRun) toCreate.push(node.metadata.name);
        continue;
      }
      // One pod per node; during a surge the oldest old pod and the oldest new one may coexist.
      const keep = maxSurge > 0 ? [running.find((p) => !isUpdated(p)), running.find(isUpdated)] : [running[0]];
      toDelete.push(...running.filter((p) => !keep.includes(p)));
    }

    if (this.expectations.satisfied(key)) {
      if (toCreate.length || toDelete.length) await this.apply(key, ds, toCreate, toDelete, hash, generation);
      else if (spec.updateStrategy?.type !== 'OnDelete') await this.rollingUpdate(key, ds, nodes, fits, byNode, hash, generation, isUpdated, maxSurge);
    }

    const { status, recheckMs } = this.status(ds, nodes, fits, byNode, isUpdated);
    if (!sameJson(status, ds.status ?? {})) {
      await this.ctx.client.update(resourcePath(gvr.daemonSets, ds.metadata.namespace, ds.metadata.name, 'status'), {
        ...ds,
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        status,
      });
    }
    const inUse = new Set([updateRevision.metadata.name, ...pods.map((p) => `${ds.metadata.name}-${p.metadata.labels?.[revisionHashLabel] ?? ''}`)]);
    await trimHistory(this.ctx.client, revisions, spec.revisionHistoryLimit ?? 10, inUse);
    if (recheckMs !== undefined) this.queue.addAfter(key, recheckMs + 50);
  }

  private async rollingUpdate(
    key: string,
    ds: DaemonSetObject,
    nodes: readonly NodeObject[],
    fits: ReadonlyMap<string, NodeFit>,
    byNode: ReadonlyMap<string, PodObject[]>,
    hash: string,
    generation: string,
    isUpdated: (p: PodObject) => boolean,
    maxSurge: number,
  ): Promise<void> {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const now = Date.now();
    const available = (p: PodObject) => podAvailability(p, minReady, now).available;
    const desired = nodes.filter((n) => fits.get(n.metadata.name)?.shouldRun).length;
    let maxUnavailable = scaledValue(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired, true);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    const oldToDelete: PodObject[] = [];
    const candidates: PodObject[] = [];
    const newNodes: string[] = [];
    const surgeCandidates: string[] = [];
    let unavailable = 0;
    let surging = 0;
    for (const node of nodes) {
      const here = byNode.get(node.metadata.name) ?? [];
      if (!here.length || !fits.get(node.metadata.name)?.shouldContinueRunning) continue;
      const newPod = here.find(isUpdated);
      const oldPod = here.find((p) => !isUpdated(p));
      if (maxSurge === 0) {
        if (newPod && oldPod) unavailable++;
        else if (newPod) {
          if (!available(newPod)) unavailable++;
        } else if (oldPod) {
          if (!available(oldPod)) oldToDelete.push(oldPod);
          else candidates.push(oldPod);
        }
      } else if (oldPod && newPod) {
        surging++;
        if (available(newPod)) oldToDelete.push(oldPod);
      } else if (oldPod) {
        if (!available(oldPod)) newNodes.push(node.metadata.name);
        else surgeCandidates.push(node.metadata.name);
      }
    }
    if (maxSurge === 0) oldToDelete.push(...candidates.slice(0, Math.max(0, maxUnavailable - unavailable)));
    else newNodes.push(...surgeCandidates.slice(0, Math.max(0, maxSurge - surging)));
    if (oldToDelete.length || newNodes.length) await this.apply(key, ds, newNodes, oldToDelete, hash, generation);
  }

  private status(
    ds: DaemonSetObject,
    nodes: readonly NodeObject[],
    fits: ReadonlyMap<string, NodeFit>,
    byNode: ReadonlyMap<string, PodObject[]>,
    isUpdated: (p: PodObject) => boolean,
  ): { status: DaemonSetStatus; recheckMs?: number } {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const now = Date.now();
    let recheckMs: number | undefined;
    const s = { desired: 0, current: 0, misscheduled: 0, ready: 0, available: 0, updated: 0 };
    for (const node of nodes) {
      const here = byNode.get(node.metadata.name) ?? [];
      if (fits.get(node.metadata.name)?.shouldRun) {
        s.desired++;
        const pod = here[0];
        if (!pod) continue;
        s.current++;
        if (isPodReady(pod)) {
          s.ready++;
          const a = podAvailability(pod, minReady, now);
          if (a.available) s.available++;
          else if (a.inMs !== undefined) recheckMs = Math.min(recheckMs ?? a.inMs, a.inMs);
        }
        if (here.some(isUpdated)) s.updated++;
      } else if (here.length) s.misscheduled++;
    }
    const status: DaemonSetStatus = {
      currentNumberScheduled: s.current,
      numberMisscheduled: s.misscheduled,
      desiredNumberScheduled: s.desired,
      numberReady: s.ready,
      observedGeneration: ds.metadata.generation ?? 0,
      updatedNumberScheduled: s.updated,
      numberAvailable: s.available,
      numberUnavailable: s.desired - s.available,
      ...(ds.status?.collisionCount ? { collisionCount: ds.status.collisionCount } : {}),
    };
    return recheckMs === undefined ? { status } : { status, recheckMs };
  }

  private async apply(
    key: string,
    ds: DaemonSetObject,
    nodes: readonly string[],
    doomed: readonly PodObject[],
    hash: string,
    generation: string,
  ): Promise<void> {
    this.expectations.expectCreations(key, nodes.length);
    for (const p of doomed) this.expectations.expectDeletions(key, [objectKey(p)]);
    const results = await Promise.allSettled([
      ...nodes.map((node) => this.createPod(key, ds, node, hash, generation)),
      ...doomed.map((pod) => this.deletePod(key, ds, pod)),
    ]);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private async createPod(key: string, ds: DaemonSetObject, node: string, hash: string, generation: string): Promise<void> {
    const template = structuredClone(ds.spec!.template);
    const spec = template.spec!;
    spec.tolerations = daemonTolerations(spec);
    spec.affinity = pinToNode(spec.affinity, node);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${ds.metadata.name}-`,
        namespace: ds.metadata.namespace ?? '',
        labels: { ...(template.metadata?.labels ?? {}), [revisionHashLabel]: hash, [templateGenerationLabel]: generation },
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [controllerReference(ds, 'apps/v1', 'DaemonSet')],
      },
      spec,
    };
    try {
      const created = await this.ctx.client.create<PodObject>(resourcePath(gvr.pods, ds.metadata.namespace), pod);
      this.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (err) {
      this.expectations.creationObserved(key);
      this.event(
        ds,
        'Warning',
        'FailedCreate',
        `Error creating: ${err instanceof ApiResponseError ? err.message.replace(/^[A-Z]+ \S+: \d+ /, '') : String(err)}`,
      );
      throw err;
    }
  }

  private async deletePod(key: string, ds: DaemonSetObject, pod: PodObject): Promise<void> {
    try {
      await this.ctx.client.delete(resourcePath(gvr.pods, pod.metadata.namespace, pod.metadata.name), { preconditions: { uid: pod.metadata.uid ?? '' } });
      this.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (err) {
      this.expectations.deletionObserved(key, objectKey(pod));
      if (err instanceof ApiResponseError && (err.status === 404 || err.status === 409)) return;
      this.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
      throw err;
    }
  }
}
