// The arithmetic of a PodDisruptionBudget, as kube's disruption controller does it: how many pods
// are expected, how many must stay healthy, and how many may be disrupted now.

/** An int-or-percent value scaled against `total`: percents round up, as kube's intstr helper. */
export function scaledValue(v: number | string | undefined, total: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  return Math.ceil((Number(m[1]) * total) / 100);
}

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
    desiredHealthy = Math.max(0, expectedPods - (scaledValue(spec.maxUnavailable, expectedPods) ?? 0));
  } else if (typeof spec.minAvailable === 'string') {
    expectedPods = controllerScale;
    desiredHealthy = scaledValue(spec.minAvailable, expectedPods) ?? 0;
  } else if (typeof spec.minAvailable === 'number') {
    desiredHealthy = spec.minAvailable;
  }
  return { expectedPods, desiredHealthy, disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy) };
}
