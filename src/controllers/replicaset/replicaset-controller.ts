// The ReplicaSet and ReplicationController controllers (one reconcile over a small adapter for the
// two kinds, as kube runs the RC controller on the ReplicaSet code): claim matching pods, create
// missing ones in slow-start batches and delete surplus ones in kube's order, never twice for one
// gap thanks to expectations, and report replicas, readiness and availability in status.
import { FieldPath, LabelSelector, labelSelectorFromObject, kubeTime } from '../../api/index.js';
import { resourcePath, WorkQueue, type ApiClient, type EventRecorder, type GroupVersionResource, type Informer, type KubeObject } from '../../client/index.js';
import { podsToDelete } from './pod-deletion-order.js';
import { slowStartBatch } from './slow-start.js';
import {
  apiErrorText,
  claimCandidates,
  claimObjects,
  ControllerExpectations,
  controllerOf,
  controllerReference,
  indexOrphans,
  isConflict,
  isNamespaceTerminating,
  isNotFound,
  isPodActive,
  isPodAvailable,
  isPodReady,
  isPodTerminating,
  type ControllerContext,
  type PodObject,
  type ReplicaCondition,
  type ReplicaStatus,
  type ReplicatedObject,
} from '../shared/index.js';
import { asError } from '../../lang/index.js';
import { gvr } from '../../client/index.js';

/** What differs between ReplicaSets and ReplicationControllers. */
export interface ReplicatedKind {
  readonly kind: string;
  readonly apiVersion: string;
  readonly gvr: GroupVersionResource;
  /** The event source, as kube-controller-manager names the two controllers. */
  readonly component: string;
  readonly hasTerminatingReplicas: boolean;
  /** The parsed selector; undefined when it is invalid (the object is then left alone). */
  selector(obj: ReplicatedObject): LabelSelector | undefined;
}

const replicaSetKind: ReplicatedKind = {
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  gvr: gvr.replicaSets,
  component: 'replicaset-controller',
  hasTerminatingReplicas: true,
  selector(rs) {
    const { selector, errors } = labelSelectorFromObject(rs.spec?.selector, FieldPath.root('spec').child('selector'));
    return errors.length ? undefined : selector;
  },
};

export const replicationControllerKind: ReplicatedKind = {
  kind: 'ReplicationController',
  apiVersion: 'v1',
  gvr: gvr.replicationControllers,
  component: 'replication-controller',
  hasTerminatingReplicas: false,
  selector(rc) {
    const map = (rc.spec?.selector ?? {}) as Record<string, string>;
    return LabelSelector.of(Object.entries(map).map(([key, value]) => ({ key, operator: '=' as const, values: [value] })));
  },
};

/** At most this many pods are created or deleted in one sync, as kube's BurstReplicas. */
const burstReplicas = 500;

export interface ReplicaSetControllerOptions {
  readonly workers?: number;
}

export class ReplicaSetController {
  private readonly client: ApiClient;
  private readonly owners: Informer<ReplicatedObject>;
  private readonly pods: Informer<PodObject>;
  private readonly queue: WorkQueue<string>;
  private readonly recorder: EventRecorder;
  private readonly expectations = new ControllerExpectations();

  constructor(
    ctx: ControllerContext,
    private readonly kind: ReplicatedKind = replicaSetKind,
    private readonly options: ReplicaSetControllerOptions = {},
  ) {
    this.client = ctx.client;
    this.recorder = ctx.recorder(kind.component);
    this.queue = new WorkQueue({ name: kind.component });
    this.owners = ctx.informers.informer<ReplicatedObject>(kind.gvr);
    this.pods = ctx.informers.informer<PodObject>(gvr.pods);
    indexOrphans(this.pods);
    this.owners.addHandler({
      onAdd: (o) => this.enqueue(o),
      onUpdate: (_, o) => this.enqueue(o),
      onDelete: (o) => {
        this.expectations.forget(keyOf(o));
        this.enqueue(o);
      },
    });
    this.pods.addHandler({
      onAdd: (p) => this.podAdded(p),
      onUpdate: (old, p) => this.podUpdated(old, p),
      onDelete: (p) => this.podDeleted(p),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.owners.waitForSync(signal), this.pods.waitForSync(signal)]);
    await this.queue.run(this.options.workers ?? 5, (key) => this.sync(key), signal);
  }

  private enqueue(o: KubeObject): void {
    this.queue.add(keyOf(o));
  }

  /** The owner a controller reference points at, if it is one of ours and still the same object. */
  private resolve(namespace: string | undefined, ref: { kind: string; name: string; uid: string } | undefined): ReplicatedObject | undefined {
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const owner = this.owners.store.get(`${namespace ?? ''}/${ref.name}`);
    return owner?.metadata.uid === ref.uid ? owner : undefined;
  }

  /** Owners in the pod's namespace whose selector matches it: who might adopt an orphan. */
  private ownersMatching(pod: PodObject): ReplicatedObject[] {
    return this.owners.store.listNamespace(pod.metadata.namespace ?? '').filter((o) => {
      const selector = this.kind.selector(o);
      return selector && !selector.isEverything() && selector.matches(pod.metadata.labels);
    });
  }

  private podAdded(pod: PodObject): void {
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const ref = controllerOf(pod);
    if (ref) {
      const owner = this.resolve(pod.metadata.namespace, ref);
      if (!owner) return;
      this.expectations.creationObserved(keyOf(owner));
      this.enqueue(owner);
      return;
    }
    for (const o of this.ownersMatching(pod)) this.enqueue(o);
  }

  private podUpdated(old: PodObject, pod: PodObject): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
    if (pod.metadata.deletionTimestamp) {
      // A pod being deleted is gone for our purposes; its old labels may have matched someone else.
      this.podDeleted(pod);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const ref = controllerOf(pod);
    const oldRef = controllerOf(old);
    if (oldRef && oldRef.uid !== ref?.uid) {
      const previous = this.resolve(old.metadata.namespace, oldRef);
      if (previous) this.enqueue(previous);
    }
    if (ref) {
      const owner = this.resolve(pod.metadata.namespace, ref);
      if (!owner) return;
      this.enqueue(owner);
      // Availability changes minReadySeconds after readiness without any event: look again then.
      const minReady = owner.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(keyOf(owner), (minReady + 1) * 1000);
      return;
    }
    if (labelsChanged || oldRef) for (const o of this.ownersMatching(pod)) this.enqueue(o);
  }

  private podDeleted(pod: PodObject): void {
    const owner = this.resolve(pod.metadata.namespace, controllerOf(pod));
    if (!owner) return;
    this.expectations.deletionObserved(keyOf(owner), keyOf(pod));
    this.enqueue(owner);
  }

  private async sync(key: string): Promise<void> {
    const owner = this.owners.store.get(key);
    if (!owner) {
      this.expectations.forget(key);
      return;
    }
    const selector = this.kind.selector(owner);
    if (!selector) return;
    const needsSync = this.expectations.satisfied(key);
    const candidates = claimCandidates(this.pods, owner);
    const pods = await claimObjects({
      client: this.client,
      owner,
      ownerApiVersion: this.kind.apiVersion,
      ownerKind: this.kind.kind,
      gvr: gvr.pods,
      selector,
      candidates: candidates.filter(isPodActive),
      recheckOwner: () => this.client.get<KubeObject>(resourcePath(this.kind.gvr, owner.metadata.namespace, owner.metadata.name)),
    });
    const terminating = candidates.filter((p) => isPodTerminating(p) && controllerOf(p)?.uid === owner.metadata.uid).length;

    let manageError: Error | undefined;
    if (needsSync && !owner.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, owner, pods);
      } catch (err) {
        manageError = asError(err);
      }
    }
    const status = this.calculateStatus(owner, pods, terminating, manageError);
    const updated = await this.updateStatus(owner, status);
    const replicas = owner.spec?.replicas ?? 1;
    const minReady = owner.spec?.minReadySeconds ?? 0;
    if (manageError === undefined && minReady > 0 && updated.readyReplicas === replicas && updated.availableReplicas !== replicas) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  private async manageReplicas(key: string, owner: ReplicatedObject, pods: PodObject[]): Promise<void> {
    const diff = pods.length - (owner.spec?.replicas ?? 1);
    if (diff < 0) await this.createPods(key, owner, Math.min(-diff, burstReplicas));
    else if (diff > 0) await this.deletePods(key, owner, pods, Math.min(diff, burstReplicas));
  }

  /** Creates in slow-start batches; creations that never happened are no longer expected. */
  private async createPods(key: string, owner: ReplicatedObject, count: number): Promise<void> {
    this.expectations.expectCreations(key, count);
    const body = this.podFromTemplate(owner);
    const { successes, error } = await slowStartBatch(count, 1, () => this.createPod(owner, body));
    for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
    if (error && !isNamespaceTerminating(error)) throw error;
  }

  private podFromTemplate(owner: ReplicatedObject): Record<string, unknown> {
    const template = owner.spec?.template ?? {};
    const meta = template.metadata ?? {};
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${owner.metadata.name}-`,
        namespace: owner.metadata.namespace,
        ...(meta.labels ? { labels: meta.labels } : {}),
        ...(meta.annotations ? { annotations: meta.annotations } : {}),
        ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
        ownerReferences: [controllerReference(owner, this.kind.apiVersion, this.kind.kind)],
      },
      spec: template.spec ?? {},
    };
  }

  private async createPod(owner: ReplicatedObject, body: Record<string, unknown>): Promise<void> {
    try {
      const pod = await this.client.create<PodObject>(resourcePath(gvr.pods, owner.metadata.namespace), body);
      this.recorder.event(this.eventTarget(owner), 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (err) {
      if (!isNamespaceTerminating(err)) this.recorder.event(this.eventTarget(owner), 'Warning', 'FailedCreate', `Error creating: ${apiErrorText(err)}`);
      throw err;
    }
  }

  private async deletePods(key: string, owner: ReplicatedObject, pods: PodObject[], count: number): Promise<void> {
    const victims = podsToDelete(pods, this.relatedPods(owner, pods), count);
    this.expectations.expectDeletions(key, victims.map(keyOf));
    const errors: unknown[] = [];
    await Promise.all(
      victims.map(async (pod) => {
        try {
          await this.client.delete(resourcePath(gvr.pods, pod.metadata.namespace, pod.metadata.name));
          this.recorder.event(this.eventTarget(owner), 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          this.expectations.deletionObserved(key, keyOf(pod));
          if (isNotFound(err)) return;
          this.recorder.event(this.eventTarget(owner), 'Warning', 'FailedDelete', `Error deleting: ${apiErrorText(err)}`);
          errors.push(err);
        }
      }),
    );
    if (errors.length) throw errors[0];
  }

  /** The active pods of every ReplicaSet sharing this one's controller: a Deployment's whole family. */
  private relatedPods(owner: ReplicatedObject, own: PodObject[]): PodObject[] {
    const parent = controllerOf(owner);
    if (!parent) return own;
    const siblings = this.owners.store.byIndex('owner', parent.uid).filter((s) => controllerOf(s)?.uid === parent.uid);
    return siblings.flatMap((s) => this.pods.store.byIndex('owner', s.metadata.uid ?? '').filter((p) => controllerOf(p)?.uid === s.metadata.uid));
  }

  private calculateStatus(owner: ReplicatedObject, pods: PodObject[], terminating: number, manageError: Error | undefined): ReplicaStatus {
    const now = Date.now();
    const minReady = owner.spec?.minReadySeconds ?? 0;
    const templateLabels = Object.entries(owner.spec?.template?.metadata?.labels ?? {});
    let fullyLabeled = 0;
    let ready = 0;
    let available = 0;
    for (const p of pods) {
      const labels = p.metadata.labels ?? {};
      if (templateLabels.every(([k, v]) => labels[k] === v)) fullyLabeled++;
      if (isPodReady(p)) ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
    const status: ReplicaStatus = {
      replicas: pods.length,
      fullyLabeledReplicas: fullyLabeled,
      readyReplicas: ready,
      availableReplicas: available,
      ...(this.kind.hasTerminatingReplicas ? { terminatingReplicas: terminating } : {}),
      ...(owner.metadata.generation !== undefined ? { observedGeneration: owner.metadata.generation } : {}),
    };
    let conditions = owner.status?.conditions ?? [];
    const failure = conditions.find((c) => c.type === 'ReplicaFailure');
    if (manageError !== undefined && !failure) {
      const reason = pods.length < (owner.spec?.replicas ?? 1) ? 'FailedCreate' : 'FailedDelete';
      const condition: ReplicaCondition = {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: kubeTime(),
        reason,
        message: apiErrorText(manageError),
      };
      conditions = [...conditions, condition];
    } else if (manageError === undefined && failure) {
      conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
    }
    if (conditions.length) status.conditions = conditions;
    return status;
  }

  /** Writes status through /status when it changed; answers the status now in effect. */
  private async updateStatus(owner: ReplicatedObject, status: ReplicaStatus): Promise<ReplicaStatus> {
    const current = owner.status ?? { replicas: 0 };
    if (sameStatus(current, status) && owner.metadata.generation === current.observedGeneration) return current;
    const path = resourcePath(this.kind.gvr, owner.metadata.namespace, owner.metadata.name, 'status');
    let target = owner;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.update(path, { ...target, apiVersion: this.kind.apiVersion, kind: this.kind.kind, status });
        return status;
      } catch (err) {
        if (isNotFound(err)) return status;
        if (!isConflict(err) || attempt > 0) throw err;
        target = await this.client.get<ReplicatedObject>(resourcePath(this.kind.gvr, owner.metadata.namespace, owner.metadata.name));
      }
    }
  }

  /** Objects from lists carry no kind; events need it. */
  private eventTarget(owner: ReplicatedObject): KubeObject {
    return { apiVersion: this.kind.apiVersion, kind: this.kind.kind, metadata: owner.metadata };
  }
}

function sameStatus(a: ReplicaStatus, b: ReplicaStatus): boolean {
  return (
    a.replicas === b.replicas &&
    (a.fullyLabeledReplicas ?? 0) === (b.fullyLabeledReplicas ?? 0) &&
    (a.readyReplicas ?? 0) === (b.readyReplicas ?? 0) &&
    (a.availableReplicas ?? 0) === (b.availableReplicas ?? 0) &&
    a.terminatingReplicas === b.terminatingReplicas &&
    a.observedGeneration === b.observedGeneration &&
    JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? [])
  );
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}
