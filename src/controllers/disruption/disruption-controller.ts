// Disruption controller, as kube-controller-manager's: keeps each PodDisruptionBudget's status
// (currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed, observedGeneration, the
// DisruptionAllowed condition) true to its pods, and drops evictions from disruptedPods once the
// pod is going or two minutes have passed. The eviction subresource reads and decrements it.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { Condition } from 'kubernetes-types/meta/v1.js';
import { FieldPath, resources, labelSelectorFromObject, kubeTime } from '../../api/index.js';
import { WorkQueue, resourcePath, type Informer, type KubeObject } from '../../client/index.js';
import { budgetCounts, needsControllerScale } from './disruption-budget.js';
import { isPodReady, type ControllerContext, type PodObject, type Cached } from '../shared/index.js';
import { errorMessage } from '../../lang/index.js';
import { gvr } from '../../client/index.js';

interface Scalable extends KubeObject {
  spec?: { replicas?: number };
}

/** How long an eviction the controller has not yet seen the pod go counts the pod as disrupted. */
const disruptionTimeoutMs = 2 * 60_000;

export class DisruptionController {
  private readonly budgets: Informer<Cached<PodDisruptionBudget>>;
  private readonly pods: Informer<PodObject>;
  private readonly scalables = new Map<string, Informer<Scalable>>();
  private readonly queue = new WorkQueue<string>({ name: 'disruption' });

  constructor(private readonly ctx: ControllerContext) {
    this.budgets = ctx.informers.informer<Cached<PodDisruptionBudget>>(gvr.podDisruptionBudgets);
    this.pods = ctx.informers.informer<PodObject>(gvr.pods);
    for (const [kind, group, resource] of [
      ['ReplicationController', '', 'replicationcontrollers'],
      ['ReplicaSet', 'apps', 'replicasets'],
      ['Deployment', 'apps', 'deployments'],
      ['StatefulSet', 'apps', 'statefulsets'],
    ] as const) {
      this.scalables.set(kind, ctx.informers.informer<Scalable>({ group, version: 'v1', resource }));
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    this.budgets.addHandler({ onAdd: (b) => this.queue.add(key(b)), onUpdate: (_, b) => this.queue.add(key(b)), onDelete: (b) => this.queue.add(key(b)) });
    const podChanged = (pod: PodObject) => {
      for (const b of this.budgetsFor(pod)) this.queue.add(key(b));
    };
    this.pods.addHandler({
      onAdd: podChanged,
      onUpdate: (old, pod) => {
        podChanged(pod);
        if (JSON.stringify(old.metadata.labels) !== JSON.stringify(pod.metadata.labels)) podChanged(old);
      },
      onDelete: podChanged,
    });
    // A controller's scale change moves expectedPods for budgets counted against it.
    for (const informer of this.scalables.values()) {
      informer.addHandler({
        onUpdate: (old, obj) => {
          if (old.spec?.replicas === obj.spec?.replicas) return;
          for (const b of this.budgets.store.listNamespace(obj.metadata.namespace ?? '')) this.queue.add(key(b));
        },
      });
    }
    await Promise.all([this.budgets.waitForSync(signal), this.pods.waitForSync(signal), ...[...this.scalables.values()].map((i) => i.waitForSync(signal))]);
    await this.queue.run(2, (k) => this.sync(k), signal);
  }

  private budgetsFor(pod: PodObject): Cached<PodDisruptionBudget>[] {
    return this.budgets.store.listNamespace(pod.metadata.namespace ?? '').filter((b) => selectorOf(b).matches(pod.metadata.labels ?? {}));
  }

  private async sync(k: string): Promise<void> {
    const budget = this.budgets.store.get(k);
    if (!budget) return;
    const namespace = budget.metadata.namespace ?? '';
    const selector = selectorOf(budget);
    const pods = this.pods.store.listNamespace(namespace).filter((p) => selector.matches(p.metadata.labels ?? {}));
    const recorder = this.ctx.recorder('controllermanager');
    if (!pods.length) recorder.event(budget, 'Normal', 'NoPods', 'No matching pods found');

    // Evictions recorded by the API server count a pod as unhealthy until it is seen going.
    const now = Date.now();
    const disrupted: Record<string, string> = {};
    let recheckAt: number | undefined;
    const byName = new Map(pods.map((p) => [p.metadata.name, p]));
    for (const [name, at] of Object.entries(budget.status?.disruptedPods ?? {})) {
      const pod = byName.get(name);
      if (!pod || pod.metadata.deletionTimestamp) continue;
      const expires = Date.parse(at) + disruptionTimeoutMs;
      if (expires < now) continue;
      disrupted[name] = at;
      recheckAt = Math.min(recheckAt ?? expires, expires);
    }
    const currentHealthy = pods.filter((p) => !p.metadata.deletionTimestamp && !(p.metadata.name in disrupted) && isPodReady(p)).length;

    let failure: string | undefined;
    let counts = { expectedPods: pods.length, desiredHealthy: 0, disruptionsAllowed: 0 };
    try {
      const spec = {
        ...(budget.spec?.minAvailable !== undefined ? { minAvailable: budget.spec.minAvailable } : {}),
        ...(budget.spec?.maxUnavailable !== undefined ? { maxUnavailable: budget.spec.maxUnavailable } : {}),
      };
      const scale = needsControllerScale(spec) ? await this.controllerScale(pods) : 0;
      counts = budgetCounts(spec, pods.length, scale, currentHealthy);
    } catch (err) {
      failure = errorMessage(err);
      recorder.event(budget, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${failure}`);
    }
    const allowed = failure === undefined && counts.disruptionsAllowed > 0;
    const previous = (budget.status?.conditions ?? []).find((c) => c.type === 'DisruptionAllowed');
    const condition: Condition = {
      type: 'DisruptionAllowed',
      status: allowed ? 'True' : 'False',
      reason: failure !== undefined ? 'SyncFailed' : allowed ? 'SufficientPods' : 'InsufficientPods',
      message: failure ?? '',
      observedGeneration: budget.metadata.generation ?? 0,
      lastTransitionTime: previous && previous.status === (allowed ? 'True' : 'False') ? previous.lastTransitionTime : kubeTime(),
    };
    const status = {
      ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
      disruptionsAllowed: failure === undefined ? counts.disruptionsAllowed : 0,
      currentHealthy,
      desiredHealthy: counts.desiredHealthy,
      expectedPods: counts.expectedPods,
      observedGeneration: budget.metadata.generation ?? 0,
      conditions: [condition],
    };
    if (recheckAt !== undefined) this.queue.addAfter(k, Math.max(0, recheckAt - now) + 1000);
    if (JSON.stringify(status) === JSON.stringify(normalizedStatus(budget))) return;
    await this.ctx.client.update(resourcePath(gvr.podDisruptionBudgets, namespace, budget.metadata.name, 'status'), { ...budget, status });
  }

  /** The replicas the pods' controllers want, each controller counted once. */
  private async controllerScale(pods: readonly PodObject[]): Promise<number> {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      const ref = (pod.metadata.ownerReferences ?? []).find((r) => r.controller);
      if (!ref) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
      let owner: { kind: string; name: string; uid: string } = ref;
      let replicas: number | undefined;
      const namespace = pod.metadata.namespace ?? '';
      if (ref.kind === 'ReplicaSet') {
        const rs = this.scalables.get('ReplicaSet')!.store.get(`${namespace}/${ref.name}`);
        const deployment = (rs?.metadata.ownerReferences ?? []).find((r) => r.controller && r.kind === 'Deployment');
        if (deployment) owner = deployment;
      }
      if (seen.has(owner.uid)) continue;
      const informer = this.scalables.get(owner.kind);
      if (informer) {
        const obj = informer.store.get(`${namespace}/${owner.name}`);
        if (!obj || obj.metadata.uid !== owner.uid) throw new Error(`${owner.kind.toLowerCase()}s "${owner.name}" not found`);
        replicas = obj.spec?.replicas ?? 1;
      } else {
        replicas = await this.scaleOf(ref.apiVersion, owner.kind, namespace, owner.name);
      }
      seen.set(owner.uid, replicas);
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  }

  /** Any other controller answers through its scale subresource. */
  private async scaleOf(apiVersion: string, kind: string, namespace: string, name: string): Promise<number> {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const info = resources.find((r) => r.group === group && r.version === version && r.kind === kind && r.subresources.some((s) => s.name === 'scale'));
    if (!info) throw new Error(`${kind} does not implement the scale subresource`);
    const scale = await this.ctx.client.get<{ spec?: { replicas?: number } }>(resourcePath(info, namespace, name, 'scale'));
    return scale.spec?.replicas ?? 0;
  }
}

function key(b: KubeObject): string {
  return `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
}

function selectorOf(b: Cached<PodDisruptionBudget>) {
  return labelSelectorFromObject(b.spec?.selector, FieldPath.root('spec').child('selector')).selector;
}

/** The status fields the controller owns, in the order it writes them, for a change check. */
function normalizedStatus(b: Cached<PodDisruptionBudget>): Record<string, unknown> {
  const s = b.status;
  return {
    ...(s?.disruptedPods && Object.keys(s.disruptedPods).length ? { disruptedPods: s.disruptedPods } : {}),
    disruptionsAllowed: s?.disruptionsAllowed,
    currentHealthy: s?.currentHealthy,
    desiredHealthy: s?.desiredHealthy,
    expectedPods: s?.expectedPods,
    observedGeneration: s?.observedGeneration,
    conditions: (s?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      observedGeneration: c.observedGeneration,
      lastTransitionTime: c.lastTransitionTime,
    })),
  };
}
