// NodeResourcesBalancedAllocation: favours nodes where cpu and memory would be used in similar
// proportions after placing the pod (1 minus the standard deviation of the used fractions).
import { maxNodeScore, type ScorePlugin } from '../framework.js';

export const balancedAllocationPlugin: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  preScore(_state, pod) {
    // Best-effort pods request nothing, so balance says nothing about them.
    return pod.requests.milliCPU > 0 || pod.requests.memory > 0;
  },
  score(_state, pod, node) {
    const cpuAllocatable = node.allocatable.milliCPU;
    const memoryAllocatable = node.allocatable.memory;
    // With fewer than two resources to compare there is no imbalance; with two the deviation is half the gap.
    if (cpuAllocatable <= 0 || memoryAllocatable <= 0) return maxNodeScore;
    const cpu = Math.min(1, (node.requested.milliCPU + pod.requests.milliCPU) / cpuAllocatable);
    const memory = Math.min(1, (node.requested.memory + pod.requests.memory) / memoryAllocatable);
    return Math.trunc((1 - Math.abs(cpu - memory) / 2) * maxNodeScore);
  },
};
