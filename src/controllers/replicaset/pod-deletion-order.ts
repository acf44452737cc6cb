// Which pods a ReplicaSet removes first when it scales down, in kube-controller-manager's order:
// unscheduled before scheduled, pending before unknown before running, not ready before ready,
// lower pod-deletion-cost first, pods doubled up on a node first, then the most recently ready,
// the most restarted and the newest first (times compared in powers of two, as LogarithmicScaleDown).
import { isPodActive, isPodReady, podReadySince, type PodObject } from '../shared/index.js';

const deletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

const phaseOrder: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

interface Ranked {
  readonly pod: PodObject;
  /** How many active pods of the same owner family share this pod's node. */
  readonly colocated: number;
  readonly ready: boolean;
  readonly readySince: number | undefined;
  readonly created: number | undefined;
  readonly cost: number;
  readonly restarts: number;
}

/**
 * The `count` pods of `pods` to delete, best candidates first. `related` are the pods of every
 * ReplicaSet with the same owner (or just these pods): crowding on a node is counted over them.
 */
export function podsToDelete(pods: readonly PodObject[], related: readonly PodObject[], count: number, now = Date.now()): PodObject[] {
  if (count >= pods.length) return [...pods];
  return rankPodsForDeletion(pods, related, now).slice(0, count);
}

/** Every pod in deletion order. */
export function rankPodsForDeletion(pods: readonly PodObject[], related: readonly PodObject[], now = Date.now()): PodObject[] {
  const perNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const ranked = pods.map((pod): Ranked => ({
    pod,
    colocated: perNode.get(pod.spec?.nodeName ?? '') ?? 0,
    ready: isPodReady(pod),
    readySince: podReadySince(pod),
    created: pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : undefined,
    cost: deletionCost(pod),
    restarts: maxRestarts(pod),
  }));
  ranked.sort((a, b) => compareForDeletion(a, b, now));
  return ranked.map((r) => r.pod);
}

/** Negative when `a` should go before `b`. */
function compareForDeletion(a: Ranked, b: Ranked, now: number): number {
  const aScheduled = !!a.pod.spec?.nodeName;
  const bScheduled = !!b.pod.spec?.nodeName;
  if (aScheduled !== bScheduled) return aScheduled ? 1 : -1;
  const aPhase = phaseOrder[a.pod.status?.phase ?? ''] ?? 0;
  const bPhase = phaseOrder[b.pod.status?.phase ?? ''] ?? 0;
  if (aPhase !== bPhase) return aPhase - bPhase;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (a.colocated !== b.colocated) return b.colocated - a.colocated;
  if (a.ready && b.ready && a.readySince !== b.readySince) {
    const byTime = newerFirst(a.readySince, b.readySince, now);
    if (byTime !== 0) return byTime;
    return uidOrder(a.pod, b.pod);
  }
  if (a.restarts !== b.restarts) return b.restarts - a.restarts;
  if (a.created !== b.created) {
    const byTime = newerFirst(a.created, b.created, now);
    if (byTime !== 0) return byTime;
    return uidOrder(a.pod, b.pod);
  }
  return 0;
}

/**
 * Unknown times first, then the newer one; ages within the same power of two (in nanoseconds,
 * as kube measures them) count as equal so scale-down spreads over similar ages at random (uid).
 */
function newerFirst(a: number | undefined, b: number | undefined, now: number): number {
  if (a === undefined || b === undefined) return a === undefined ? (b === undefined ? 0 : -1) : 1;
  const bucket = (t: number) => {
    const ageNs = (now - t) * 1e6;
    return ageNs > 0 ? Math.floor(Math.log2(ageNs)) : -1;
  };
  return bucket(a) - bucket(b);
}

function uidOrder(a: PodObject, b: PodObject): number {
  const x = a.metadata.uid ?? '';
  const y = b.metadata.uid ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function deletionCost(pod: PodObject): number {
  const text = pod.metadata.annotations?.[deletionCostAnnotation];
  if (text === undefined || !/^[-+]?\d+$/.test(text)) return 0;
  const n = Number(text);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function maxRestarts(pod: PodObject): number {
  let max = 0;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) max = Math.max(max, s.restartCount);
  return max;
}
