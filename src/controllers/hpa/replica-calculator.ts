// The HorizontalPodAutoscaler's arithmetic, as kube's replica calculator and behaviours do it:
// the usage ratio against the target with a 10% tolerance, missing and unready pods counted the
// conservative way, then stabilization windows, scale rate policies and min/max. Pure functions.

export interface PodSample {
  readonly name: string;
  readonly ready: boolean;
  /** Sum of the containers' requests of the resource (milli-units for cpu, bytes for memory); undefined when a container has none. */
  readonly request: number | undefined;
  /** Measured usage, undefined when the metrics API had nothing for the pod. */
  readonly usage: number | undefined;
}

export type MetricTarget = { readonly utilization: number } | { readonly averageValue: number };

export interface ReplicaResult {
  readonly replicas: number;
  /** Average utilization in percent of requests (utilization targets). */
  readonly utilization?: number;
  /** Average usage per pod with a measurement. */
  readonly averageValue: number;
}

const defaultTolerance = 0.1;

/**
 * Replicas a resource metric asks for. Throws when a utilization target meets a pod without
 * requests, as kube does (its message names the resource).
 */
export function resourceReplicas(
  currentReplicas: number,
  pods: readonly PodSample[],
  target: MetricTarget,
  resource: string,
  tolerance = defaultTolerance,
): ReplicaResult {
  if (!pods.length) throw new Error('no pods returned by selector while calculating replica count');
  const measured = pods.filter((p) => p.usage !== undefined);
  const ready = measured.filter((p) => p.ready);
  const unready = measured.filter((p) => !p.ready);
  const missing = pods.filter((p) => p.usage === undefined);
  if (!ready.length && !unready.length && !missing.length) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const utilizationTarget = 'utilization' in target ? target.utilization : undefined;
  if (utilizationTarget !== undefined) {
    const noRequest = pods.find((p) => p.request === undefined);
    if (noRequest) throw new Error(`missing request for ${resource} in pod ${noRequest.name}`);
  }
  const usage = new Map<string, number>(ready.map((p) => [p.name, p.usage!]));
  const requestOf = (name: string) => pods.find((p) => p.name === name)?.request ?? 0;
  const ratioOf = (values: Map<string, number>): { ratio: number; utilization?: number; average: number } => {
    let total = 0;
    for (const v of values.values()) total += v;
    const average = values.size ? total / values.size : 0;
    if (utilizationTarget !== undefined) {
      let requests = 0;
      for (const name of values.keys()) requests += requestOf(name);
      const utilization = requests > 0 ? Math.trunc((total * 100) / requests) : 0;
      return { ratio: utilization / utilizationTarget, utilization, average };
    }
    return { ratio: average / (target as { averageValue: number }).averageValue, average };
  };
  if (!usage.size) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const first = ratioOf(usage);
  const result = (replicas: number): ReplicaResult => ({
    replicas,
    ...(first.utilization !== undefined ? { utilization: first.utilization } : {}),
    averageValue: first.average,
  });
  const scaleUpWithUnready = unready.length > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && !missing.length) {
    if (Math.abs(1 - first.ratio) <= tolerance) return result(currentReplicas);
    return result(Math.ceil(first.ratio * usage.size));
  }
  // Pods without measurements are assumed to use their whole request (target) when scaling down
  // and nothing when scaling up; unready pods nothing: the recommendation moves less, never more.
  const fill = new Map(usage);
  for (const p of missing)
    fill.set(p.name, first.ratio < 1 ? (utilizationTarget !== undefined ? (p.request ?? 0) : (target as { averageValue: number }).averageValue) : 0);
  if (scaleUpWithUnready) for (const p of unready) fill.set(p.name, 0);
  const next = ratioOf(fill);
  if (Math.abs(1 - next.ratio) <= tolerance || (first.ratio < 1 && next.ratio > 1) || (first.ratio > 1 && next.ratio < 1)) return result(currentReplicas);
  const replicas = Math.ceil(next.ratio * fill.size);
  if ((next.ratio < 1 && replicas > currentReplicas) || (next.ratio > 1 && replicas < currentReplicas)) return result(currentReplicas);
  return result(replicas);
}

export interface ScalingPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly ScalingPolicy[];
}

export interface Behavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

/** autoscaling/v2 defaults: up at once by 100% or 4 pods per 15 s, down by up to 100% per 15 s after 5 minutes of lower recommendations. */
export const defaultBehavior: Behavior = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  },
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
};

export interface Recommendation {
  readonly at: number;
  readonly replicas: number;
}

export interface ScaleEvent {
  readonly at: number;
  /** Replicas added (positive) or removed (negative). */
  readonly change: number;
}

export interface NormalizeInput {
  readonly now: number;
  readonly currentReplicas: number;
  readonly recommended: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly behavior: Behavior;
  /** Earlier recommendations (pruned by the caller to the longest window). */
  readonly history: readonly Recommendation[];
  readonly scaleEvents: readonly ScaleEvent[];
}

export interface Normalized {
  readonly replicas: number;
  /** The AbleToScale reason when stabilization held the recommendation back. */
  readonly stabilized?: 'ScaleUpStabilized' | 'ScaleDownStabilized';
  /** ScalingLimited: reason and message, as kube's conditions say them. */
  readonly limited: { readonly status: 'True' | 'False'; readonly reason: string; readonly message: string };
}

function addedInPeriod(events: readonly ScaleEvent[], now: number, periodSeconds: number, sign: 1 | -1): number {
  let sum = 0;
  for (const e of events) if (e.at > now - periodSeconds * 1000 && Math.sign(e.change) === sign) sum += Math.abs(e.change);
  return sum;
}

function rateLimit(rules: ScalingRules, current: number, events: readonly ScaleEvent[], now: number, up: boolean): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const limits = rules.policies.map((p) => {
    const start = up ? current - addedInPeriod(events, now, p.periodSeconds, 1) : current + addedInPeriod(events, now, p.periodSeconds, -1);
    if (up) return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    return p.type === 'Pods' ? start - p.value : Math.ceil(start * (1 - p.value / 100));
  });
  if (!limits.length) return up ? Number.MAX_SAFE_INTEGER : 0;
  const pick = (rules.selectPolicy === 'Max') === up ? Math.max : Math.min;
  return pick(...limits);
}

/** The stabilized, rate-limited and bounded replica count, as kube's normalizeDesiredReplicasWithBehaviors. */
export function normalizeReplicas(input: NormalizeInput): Normalized {
  const { now, currentReplicas: current, recommended, behavior } = input;
  let up = recommended;
  let down = recommended;
  for (const r of input.history) {
    if (r.at > now - behavior.scaleUp.stabilizationWindowSeconds * 1000) up = Math.min(up, r.replicas);
    if (r.at > now - behavior.scaleDown.stabilizationWindowSeconds * 1000) down = Math.max(down, r.replicas);
  }
  let stabilizedTo = current;
  if (stabilizedTo < up) stabilizedTo = up;
  if (stabilizedTo > down) stabilizedTo = down;
  const stabilized = stabilizedTo !== recommended ? (stabilizedTo < recommended ? 'ScaleUpStabilized' : 'ScaleDownStabilized') : undefined;

  let replicas = stabilizedTo;
  let limited: Normalized['limited'] = { status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
  if (replicas > current) {
    const rate = rateLimit(behavior.scaleUp, current, input.scaleEvents, now, true);
    const ceiling = Math.min(rate, input.maxReplicas);
    if (replicas > ceiling) {
      limited =
        rate < input.maxReplicas
          ? { status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
          : { status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
      replicas = ceiling;
    }
  } else if (replicas < current) {
    const rate = rateLimit(behavior.scaleDown, current, input.scaleEvents, now, false);
    const floor = Math.max(rate, input.minReplicas);
    if (replicas < floor) {
      limited =
        rate > input.minReplicas
          ? { status: 'True', reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
          : { status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
      replicas = floor;
    }
  }
  if (replicas > input.maxReplicas) {
    replicas = input.maxReplicas;
    limited = { status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
  } else if (replicas < input.minReplicas) {
    replicas = input.minReplicas;
    limited = { status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  }
  return { replicas, ...(stabilized ? { stabilized } : {}), limited };
}
