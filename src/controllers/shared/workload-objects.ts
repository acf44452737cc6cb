// Object types and small facts the workload controllers (StatefulSet, DaemonSet, Job, CronJob)
// share: typed cache entries, controller owner references, pod readiness and availability as
// kube-controller-manager judges them, and label selector matching.
import type { DaemonSet, StatefulSet, ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { Node, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { FieldPath } from '../../api/field-errors.js';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/index.js';
import type { GroupVersionResource, KubeObject } from '../../client/index.js';

export type PodObject = Pod & KubeObject;
export type NodeObject = Node & KubeObject;
export type ClaimObject = PersistentVolumeClaim & KubeObject;
export type StatefulSetObject = StatefulSet & KubeObject;
export type DaemonSetObject = DaemonSet & KubeObject;
export type RevisionObject = ControllerRevision & KubeObject;
export type JobObject = Job & KubeObject;
export type CronJobObject = CronJob & KubeObject;

export const gvr = {
  pods: { group: '', version: 'v1', resource: 'pods' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  claims: { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
  statefulSets: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  daemonSets: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  revisions: { group: 'apps', version: 'v1', resource: 'controllerrevisions' },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  cronJobs: { group: 'batch', version: 'v1', resource: 'cronjobs' },
} as const satisfies Record<string, GroupVersionResource>;

/** The owner reference a controller puts on what it creates (controller and blockOwnerDeletion set). */
export function controllerReference(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name, uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** The owner reference with controller=true, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** Keys of the objects of `kind` that control obj (the work-queue key of its owner). */
export function ownerKey(obj: KubeObject, kind: string): string | undefined {
  const ref = controllerOf(obj);
  if (!ref || ref.kind !== kind) return undefined;
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name;
}

const selectorCache = new WeakMap<object, LabelSelector>();

/** A metav1.LabelSelector as a matcher; a missing selector matches nothing. */
export function selectorOf(selector: object | undefined): LabelSelector {
  if (!selector) return labelSelectorFromObject(undefined, FieldPath.root('selector')).selector;
  let s = selectorCache.get(selector);
  if (!s) selectorCache.set(selector, (s = labelSelectorFromObject(selector, FieldPath.root('selector')).selector));
  return s;
}

export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Neither finished nor being deleted: what controllers count as a live replica. */
export function isPodActive(pod: PodObject): boolean {
  return !isPodTerminal(pod) && !pod.metadata.deletionTimestamp;
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/** Ready for at least minReadySeconds at `now`; answers also when it will become so. */
export function podAvailability(pod: Pod, minReadySeconds: number, now: number): { available: boolean; inMs?: number } {
  if (!isPodReady(pod)) return { available: false };
  if (minReadySeconds <= 0) return { available: true };
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const since = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  if (Number.isNaN(since)) return { available: false };
  const at = since + minReadySeconds * 1000;
  return at <= now ? { available: true } : { available: false, inMs: at - now };
}

/** An intOrString such as maxUnavailable (`1` or `"25%"`) scaled against a total. */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number.parseInt(value, 10) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function deepCopy<T>(value: T): T {
  return structuredClone(value);
}

/** Go's omitempty drops zero values on the wire, so 0, '', {} and [] equal an absent field. */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === 0 || v === '' || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = canonical((value as Record<string, unknown>)[k]);
      if (!isEmpty(v)) out[k] = v;
    }
    return out;
  }
  return value;
}

/**
 * Equal as the server would store them, whatever the key order and however zero values are
 * spelled: a status is rewritten only when it really changed, or controllers would chase their
 * own writes forever.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
