// What controllers ask of a pod: is it finished, active, terminating, ready, available (ready for
// minReadySeconds), as pkg/api/v1/pod and controller_utils decide.
import type { Pod } from 'kubernetes-types/core/v1.js';

type PodLike = Pick<Pod, 'status'> & { metadata?: { deletionTimestamp?: string } };

/** Succeeded or Failed: it will never run again. */
export function isPodTerminal(pod: PodLike): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Neither finished nor being deleted: it counts toward the replicas of its owner. */
export function isPodActive(pod: PodLike): boolean {
  return !isPodTerminal(pod) && !pod.metadata?.deletionTimestamp;
}

/** Being deleted but not finished: counted as terminatingReplicas. */
export function isPodTerminating(pod: PodLike): boolean {
  return !isPodTerminal(pod) && !!pod.metadata?.deletionTimestamp;
}

export function isPodReady(pod: PodLike): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the Ready condition last turned True; undefined when not ready or never recorded. */
export function podReadySince(pod: PodLike): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready?.lastTransitionTime) return undefined;
  const t = Date.parse(ready.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Ready for more than minReadySeconds at `now`, as kube's IsPodAvailable; when it is ready but not
 * yet available, `inMs` says how long until it will be.
 */
export function podAvailability(pod: PodLike, minReadySeconds: number, now: number): { available: boolean; inMs?: number } {
  if (!isPodReady(pod)) return { available: false };
  if (minReadySeconds <= 0) return { available: true };
  const since = podReadySince(pod);
  if (since === undefined) return { available: false };
  const at = since + minReadySeconds * 1000;
  return at < now ? { available: true } : { available: false, inMs: at - now + 1 };
}

export function isPodAvailable(pod: PodLike, minReadySeconds: number, now: number): boolean {
  return podAvailability(pod, minReadySeconds, now).available;
}
