// The arithmetic of a PodDisruptionBudget, as kube's disruption controller does it: how many pods
// are expected, how many must stay healthy, and how many may be disrupted now (percents round up).
import { scaledValue } from '../shared/index.js';

export interface BudgetSpec {
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

/** Whether the budget needs the owning controllers' scale to know how many pods to expect. */
export function needsControllerScale(spec: BudgetSpec): boolean {
  return spec.maxUnavailable !== undefined || typeof spec.minAvailable === 'string';
}

export interface BudgetCounts {
  readonly expectedPods: number;
  readonly desiredHealthy: number;
  readonly disruptionsAllowed: number;
}

/**
 * `matchingPods` counts the pods the selector picks, `controllerScale` the replicas their
 * controllers want (used for maxUnavailable and percentages).
 */
export function budgetCounts(spec: BudgetSpec, matchingPods: number, controllerScale: number, currentHealthy: number): BudgetCounts {
  let expectedPods = matchingPods;
  let desiredHealthy = 0;
  if (spec.maxUnavailable !== undefined) {
    expectedPods = controllerScale;
    desiredHealthy = Math.max(0, expectedPods - (spec.maxUnavailable === undefined ? 0 : scaledValue(spec.maxUnavailable, expectedPods, true)));
  } else if (typeof spec.minAvailable === 'string') {
    expectedPods = controllerScale;
    desiredHealthy = spec.minAvailable === undefined ? 0 : scaledValue(spec.minAvailable, expectedPods, true);
  } else if (typeof spec.minAvailable === 'number') {
    desiredHealthy = spec.minAvailable;
  }
  return { expectedPods, desiredHealthy, disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy) };
}
