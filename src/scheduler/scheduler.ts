// The scheduler: keeps its cache and queue current from pod and node informers, takes pending pods
// addressed to default-scheduler off the queue one at a time, places each with the scheduling
// algorithm (assuming the placement at once) and binds through pods/binding in the background.
// Failures become FailedScheduling events and PodScheduled=False; preemption evicts victims.
import type { Namespace, Node, Pod, ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { FieldPath, labelSelectorFromObject, kubeTime } from '../api/index.js';
import { ApiResponseError, type ApiClient, type EventRecorder, type Informer, type InformerFactory } from '../client/index.js';
import { log } from '../log/index.js';
import { defaultSpreadSelector, type SpreadListers } from './default-spread.js';
import { fitErrorMessage } from './fit-error.js';
import type { ClusterEvent } from './framework.js';
import { newPodInfo, type PodInfo } from './pod-info.js';
import { Preemptor, type DisruptionBudget } from './preemption.js';
import { SchedulerCache } from './scheduler-cache.js';
import { SchedulingAlgorithm } from './scheduling-algorithm.js';
import { SchedulingQueue, type QueuedPod } from './scheduling-queue.js';
import { gvr, resourcePath, type Cached } from '../client/index.js';
import { errorMessage } from '../lang/index.js';

export const defaultSchedulerName = 'default-scheduler';

/** How long the scheduler runs cycles back to back before it yields to the event loop. */
const schedulingSliceMs = 4;

/** DynamicResources runs as a PostFilter before preemption in kube's default profile; with no claims it says so. */
const noClaimsToDeallocate = 'no new claims to deallocate';

export interface SchedulerContext {
  readonly client: ApiClient;
  readonly informers: InformerFactory;
  readonly recorder: EventRecorder;
}

type PodObject = Cached<Pod>;
type NodeObject = Cached<Node>;

const podKey = (p: Pod): string => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
const podPath = (p: Pod, sub?: string): string => resourcePath(gvr.pods, p.metadata?.namespace ?? '', p.metadata?.name ?? '', sub);

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  private readonly algorithm = new SchedulingAlgorithm();
  private readonly preemptor: Preemptor;
  private readonly pods: Informer<PodObject>;
  private readonly nodes: Informer<NodeObject>;
  private readonly pdbs: Informer<Cached<PodDisruptionBudget>>;
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;
  private readonly informers: InformerFactory;
  /** Bindings in flight, so shutdown can wait for them. */
  private readonly binding = new Set<Promise<void>>();

  constructor(ctx: SchedulerContext) {
    this.client = ctx.client;
    this.recorder = ctx.recorder;
    this.informers = ctx.informers;
    const pluginEvents = new Map<string, readonly ClusterEvent[]>();
    for (const p of this.algorithm.filters) pluginEvents.set(p.name, p.events);
    this.queue = new SchedulingQueue({ pluginEvents });
    this.preemptor = new Preemptor(this.algorithm, () => this.disruptionBudgets());
    this.pods = ctx.informers.informer<PodObject>(gvr.pods);
    this.nodes = ctx.informers.informer<NodeObject>(gvr.nodes);
    this.pdbs = ctx.informers.informer<Cached<PodDisruptionBudget>>(gvr.podDisruptionBudgets);
    const namespaces = ctx.informers.informer<Cached<Namespace>>(gvr.namespaces);
    // The Services, ReplicationControllers, ReplicaSets and StatefulSets default spreading selects by.
    const services = ctx.informers.informer<Cached<Service>>(gvr.services);
    const rcs = ctx.informers.informer<Cached<ReplicationController>>(gvr.replicationControllers);
    const replicaSets = ctx.informers.informer<Cached<ReplicaSet>>(gvr.replicaSets);
    const statefulSets = ctx.informers.informer<Cached<StatefulSet>>(gvr.statefulSets);
    const listers: SpreadListers = {
      services: (ns) => services.store.listNamespace(ns),
      replicationController: (ns, name) => rcs.store.get(`${ns}/${name}`),
      replicaSet: (ns, name) => replicaSets.store.get(`${ns}/${name}`),
      statefulSet: (ns, name) => statefulSets.store.get(`${ns}/${name}`),
    };
    this.cache.spreadSelectors = (pod) => defaultSpreadSelector(pod, listers);
    namespaces.addHandler({
      onAdd: (ns) => this.cache.setNamespace(ns.metadata.name, ns.metadata.labels ?? {}),
      onUpdate: (_old, ns) => this.cache.setNamespace(ns.metadata.name, ns.metadata.labels ?? {}),
      onDelete: (ns) => this.cache.setNamespace(ns.metadata.name, undefined),
    });
    this.nodes.addHandler({
      onAdd: (node) => {
        this.cache.addOrUpdateNode(node);
        this.queue.onEvent('NodeAdd');
      },
      onUpdate: (old, node) => {
        this.cache.addOrUpdateNode(node);
        if (nodeSchedulingChanged(old, node)) this.queue.onEvent('NodeUpdate');
      },
      onDelete: (node) => this.cache.removeNode(node.metadata.name),
    });
    this.pods.addHandler({
      onAdd: (pod) => this.podSeen(undefined, pod),
      onUpdate: (old, pod) => this.podSeen(old, pod),
      onDelete: (pod) => this.podGone(pod),
    });
  }

  /** Schedules until the signal aborts, once the informers (which the caller starts) have synced. */
  async run(signal: AbortSignal): Promise<void> {
    await this.informers.waitForSync(signal);
    this.queue.run(signal);
    let sliceStart = performance.now();
    while (!signal.aborted) {
      const next = await this.queue.pop();
      if (!next) break;
      try {
        this.scheduleOne(next);
      } catch (err) {
        log.error('Scheduling cycle failed', err, { pod: next.info.key });
        this.queue.requeue(next, new Set());
      }
      // The scheduler shares the API server's thread: after a few milliseconds of cycles it lets
      // requests, watch events and its own binding responses in, so no request waits behind a queue
      // of a thousand pods.
      if (performance.now() - sliceStart >= schedulingSliceMs) {
        await new Promise((r) => setImmediate(r));
        sliceStart = performance.now();
      }
    }
    await Promise.allSettled([...this.binding]);
  }

  private responsible(pod: Pod): boolean {
    const name = pod.spec?.schedulerName;
    return !name || name === defaultSchedulerName;
  }

  private podSeen(old: PodObject | undefined, pod: PodObject): void {
    const key = podKey(pod);
    if (pod.spec?.nodeName) {
      const wasAssigned = Boolean(old?.spec?.nodeName);
      const wasCounted = wasAssigned && old?.status?.phase !== 'Succeeded' && old?.status?.phase !== 'Failed';
      this.cache.addOrUpdatePod(pod);
      if (!wasAssigned) {
        this.queue.delete(key);
        this.queue.onEvent('AssignedPodAdd');
      } else if (wasCounted && (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')) {
        this.queue.onEvent('AssignedPodDelete');
      } else if (!sameLabels(old?.metadata.labels, pod.metadata.labels)) {
        this.queue.onEvent('AssignedPodUpdate');
      }
      return;
    }
    if (!this.responsible(pod) || pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      this.queue.delete(key);
      return;
    }
    // Our own status writes (conditions, nominatedNodeName) must not re-queue the pod.
    if (old && sameLabels(old.metadata.labels, pod.metadata.labels) && JSON.stringify(old.spec) === JSON.stringify(pod.spec)) return;
    if (this.cache.isAssumed(key)) return;
    // Scheduling gates hold a pod out of the queue until its creator removes them (a spec update).
    if (pod.spec?.schedulingGates?.length) {
      this.queue.delete(key);
      this.track(this.updateCondition(pod, 'SchedulingGated', 'Scheduling is blocked due to non-empty scheduling gates'));
      return;
    }
    this.queue.add(newPodInfo(pod));
  }

  private podGone(pod: PodObject): void {
    const key = podKey(pod);
    this.queue.delete(key);
    if (this.cache.podInfo(key)) {
      this.cache.removePod(pod);
      this.queue.onEvent('AssignedPodDelete');
    }
  }

  private disruptionBudgets(): DisruptionBudget[] {
    return this.pdbs.store.list().map((pdb) => ({
      namespace: pdb.metadata.namespace ?? '',
      selector: labelSelectorFromObject(pdb.spec?.selector, FieldPath.root('selector')).selector,
      disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0,
      disruptedPods: new Set(Object.keys(pdb.status?.disruptedPods ?? {})),
    }));
  }

  private scheduleOne(queued: QueuedPod): void {
    const key = queued.info.key;
    const current = this.pods.store.get(key);
    if (!current || current.spec?.nodeName || current.metadata.deletionTimestamp || this.cache.isAssumed(key)) {
      this.queue.done(key);
      return;
    }
    const info = queued.info;
    const result = this.algorithm.schedule(info, this.cache, this.queue);
    if (result.kind === 'scheduled') {
      this.cache.assumePod(info, result.node);
      this.queue.done(key);
      this.queue.removeNominated(key);
      this.track(this.bind(queued, current, result.node));
      return;
    }
    if (result.numAllNodes === 0) {
      this.queue.requeue(queued, new Set());
      this.reportUnschedulable(current, 'no nodes available to schedule pods');
      return;
    }
    let postFilterMessage = '';
    let nominate: string | undefined;
    if (!result.preFilterMessage) {
      const nominated = this.queue.nominatedNode(key) ?? current.status?.nominatedNodeName;
      const outcome = this.preemptor.preempt(info, this.cache, result.state, result.statuses, nominated);
      if (outcome.kind === 'preempt') {
        nominate = outcome.node;
        this.queue.addNominated(info, outcome.node);
        this.track(this.evict(current, outcome.node, outcome.victims));
      } else {
        postFilterMessage = `${noClaimsToDeallocate}, preemption: ${outcome.message}`;
      }
    }
    const rejectors = new Set<string>();
    for (const status of result.statuses.values()) if (status.plugin) rejectors.add(status.plugin);
    this.queue.requeue(queued, rejectors);
    this.reportUnschedulable(current, fitErrorMessage(result.numAllNodes, result.statuses.values(), result.preFilterMessage, postFilterMessage), nominate);
  }

  private track(work: Promise<void>): void {
    this.binding.add(work);
    void work.finally(() => this.binding.delete(work));
  }

  private async bind(queued: QueuedPod, pod: PodObject, node: string): Promise<void> {
    const meta = pod.metadata;
    try {
      await this.client.create(podPath(pod, 'binding'), {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
      this.recorder.event(withKind(pod), 'Normal', 'Scheduled', `Successfully assigned ${meta.namespace ?? ''}/${meta.name} to ${node}`);
    } catch (err) {
      this.cache.forgetPod(queued.info.key);
      // Gone, or bound by someone else meanwhile: nothing left to do.
      if (err instanceof ApiResponseError && (err.status === 404 || err.status === 409)) return;
      log.warning('Binding failed', { pod: queued.info.key, node, error: errorMessage(err) });
      const message = `Binding rejected: ${errorMessage(err)}`;
      this.recorder.event(withKind(pod), 'Warning', 'FailedScheduling', message);
      await this.updateCondition(pod, 'SchedulerError', message);
      const latest = this.pods.store.get(queued.info.key);
      if (latest && !latest.spec?.nodeName) this.queue.retryAfterBackoff(queued, newPodInfo(latest));
    }
  }

  private reportUnschedulable(pod: PodObject, message: string, nominatedNode?: string): void {
    this.recorder.event(withKind(pod), 'Warning', 'FailedScheduling', message);
    this.track(this.updateCondition(pod, 'Unschedulable', message, nominatedNode));
  }

  /** Writes PodScheduled=False (and the nominated node) unless the pod already says exactly that. */
  private async updateCondition(pod: PodObject, reason: string, message: string, nominatedNode?: string): Promise<void> {
    const existing = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const sameCondition = existing?.status === 'False' && existing.reason === reason && existing.message === message;
    if (sameCondition && (nominatedNode === undefined || pod.status?.nominatedNodeName === nominatedNode)) return;
    const now = kubeTime();
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      reason,
      message,
      lastProbeTime: null,
      lastTransitionTime: existing?.status === 'False' ? (existing.lastTransitionTime ?? now) : now,
    };
    const status: Record<string, unknown> = { conditions: [condition] };
    if (nominatedNode !== undefined) status.nominatedNodeName = nominatedNode;
    try {
      await this.client.patch(podPath(pod, 'status'), { metadata: { uid: pod.metadata.uid }, status }, 'strategic');
    } catch (err) {
      if (!(err instanceof ApiResponseError && (err.status === 404 || err.status === 409))) {
        log.warning('Updating PodScheduled failed', { pod: podKey(pod), error: errorMessage(err) });
      }
    }
  }

  /** Deletes the victims, each marked with DisruptionTarget and a Preempted event first, as kube does. */
  private async evict(preemptor: PodObject, node: string, victims: readonly PodInfo[]): Promise<void> {
    await Promise.all(
      victims.map(async (victim) => {
        const pod = victim.pod as PodObject;
        try {
          await this.client.patch(
            podPath(pod, 'status'),
            {
              status: {
                conditions: [
                  {
                    type: 'DisruptionTarget',
                    status: 'True',
                    reason: 'PreemptionByScheduler',
                    message: `${defaultSchedulerName}: preempting to accommodate a higher priority pod`,
                    lastTransitionTime: kubeTime(),
                  },
                ],
              },
            },
            'strategic',
          );
          this.recorder.event(withKind(pod), 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata.uid ?? ''} on node ${node}`);
          await this.client.delete(podPath(pod), { preconditions: { uid: victim.uid } });
        } catch (err) {
          if (!(err instanceof ApiResponseError && err.status === 404)) {
            log.warning('Preempting a victim failed', { victim: victim.key, error: errorMessage(err) });
          }
        }
      }),
    );
  }
}

function withKind(pod: PodObject): PodObject {
  return pod.kind ? pod : { ...pod, apiVersion: 'v1', kind: 'Pod' };
}

function sameLabels(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((k) => x[k] === y[k]);
}

/** Whether an update touches what filters read: labels, taints, cordon, allocatable, images or conditions' statuses. */
function nodeSchedulingChanged(old: Node, node: Node): boolean {
  if (!sameLabels(old.metadata?.labels, node.metadata?.labels)) return true;
  if (Boolean(old.spec?.unschedulable) !== Boolean(node.spec?.unschedulable)) return true;
  if (JSON.stringify(old.spec?.taints ?? []) !== JSON.stringify(node.spec?.taints ?? [])) return true;
  if (JSON.stringify(old.status?.allocatable ?? {}) !== JSON.stringify(node.status?.allocatable ?? {})) return true;
  if ((old.status?.images?.length ?? 0) !== (node.status?.images?.length ?? 0)) return true;
  const conditions = (n: Node): string => (n.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(',');
  return conditions(old) !== conditions(node);
}
