// NodeResourcesFit: the pod's effective request must fit in what the node's allocatable leaves after
// the pods already there (and one more pod under the pods limit); scores nodes by LeastAllocated,
// counting request-less containers at the scheduler's defaults so empty pods still spread.
import { Status, maxNodeScore, type FilterPlugin, type ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';

const tooManyPods = 'Too many pods';

/** Every resource the pod does not fit on, as `Insufficient <name>` reasons (empty when it fits). */
function insufficientResources(pod: PodInfo, node: NodeInfo): string[] {
  const reasons: string[] = [];
  if (node.pods.size + 1 > node.allowedPodNumber) reasons.push(tooManyPods);
  const r = pod.requests;
  const free = (alloc: number, used: number): number => alloc - used;
  if (r.milliCPU > 0 && r.milliCPU > free(node.allocatable.milliCPU, node.requested.milliCPU)) reasons.push('Insufficient cpu');
  if (r.memory > 0 && r.memory > free(node.allocatable.memory, node.requested.memory)) reasons.push('Insufficient memory');
  if (r.ephemeralStorage > 0 && r.ephemeralStorage > free(node.allocatable.ephemeralStorage, node.requested.ephemeralStorage)) {
    reasons.push('Insufficient ephemeral-storage');
  }
  for (const [name, want] of r.scalars) {
    if (want > 0 && want > free(node.allocatable.scalars.get(name) ?? 0, node.requested.scalars.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

/** The common case without extended resources, checked without allocating. */
function fitsQuickly(pod: PodInfo, node: NodeInfo): boolean {
  const r = pod.requests;
  return (
    r.scalars.size === 0 &&
    node.pods.size < node.allowedPodNumber &&
    r.milliCPU <= node.allocatable.milliCPU - node.requested.milliCPU &&
    r.memory <= node.allocatable.memory - node.requested.memory &&
    r.ephemeralStorage <= node.allocatable.ephemeralStorage - node.requested.ephemeralStorage
  );
}

function leastAllocated(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * maxNodeScore) / capacity);
}

export const nodeResourcesFitPlugin: FilterPlugin & ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  events: ['NodeAdd', 'NodeUpdate', 'AssignedPodDelete'],
  filter(_state, pod, node) {
    if (fitsQuickly(pod, node)) return undefined;
    const reasons = insufficientResources(pod, node);
    return reasons.length ? new Status('Unschedulable', ...reasons) : undefined;
  },
  score(_state, pod, node) {
    // cpu and memory, weight 1 each: kube's default scoring resources.
    const cpu = leastAllocated(node.nonZeroRequested.milliCPU + pod.nonZero.milliCPU, node.allocatable.milliCPU);
    const memory = leastAllocated(node.nonZeroRequested.memory + pod.nonZero.memory, node.allocatable.memory);
    return Math.trunc((cpu + memory) / 2);
  },
};
