// What the workload controllers ask of a pod: is it active, terminating, ready, available (ready
// for minReadySeconds), as pkg/api/v1/pod and controller_utils decide.
import type { Pod } from './workload-types.js';

/** Neither finished nor being deleted: it counts toward the replicas of its owner. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** Being deleted but not finished: counted as terminatingReplicas. */
export function isPodTerminating(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !!pod.metadata.deletionTimestamp;
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the Ready condition last turned True; undefined when not ready or never recorded. */
export function podReadySince(pod: Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready?.lastTransitionTime) return undefined;
  const t = Date.parse(ready.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/** Ready, and ready for more than minReadySeconds at `now`. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}
