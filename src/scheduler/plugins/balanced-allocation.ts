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
    const fractions: number[] = [];
    const add = (requested: number, allocatable: number): void => {
      if (allocatable > 0) fractions.push(Math.min(1, requested / allocatable));
    };
    add(node.requested.milliCPU + pod.requests.milliCPU, node.allocatable.milliCPU);
    add(node.requested.memory + pod.requests.memory, node.allocatable.memory);
    let std = 0;
    if (fractions.length === 2) {
      std = Math.abs((fractions[0] ?? 0) - (fractions[1] ?? 0)) / 2;
    } else if (fractions.length > 2) {
      const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
      std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
    }
    return Math.trunc((1 - std) * maxNodeScore);
  },
};
