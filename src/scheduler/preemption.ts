// Preemption (kube's DefaultPreemption PostFilter): when no node fits a pod, find the node where
// deleting the fewest and least important lower-priority pods makes it fit, respecting
// PodDisruptionBudgets where possible, and explain with kube's message when no such node exists.
import type { LabelSelector } from '../api/index.js';
import { fitErrorMessage } from './fit-error.js';
import { Status, type ClusterView, type CycleState } from './framework.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { SchedulingAlgorithm } from './scheduling-algorithm.js';

const preemptionNotHelpful = 'Preemption is not helpful for scheduling';
const noVictimsFound = 'No preemption victims found for incoming pod';

export interface DisruptionBudget {
  readonly namespace: string;
  readonly selector: LabelSelector;
  readonly disruptionsAllowed: number;
  /** Pods already being evicted under this budget, which do not count again. */
  readonly disruptedPods: ReadonlySet<string>;
}

export type PreemptionOutcome =
  | { readonly kind: 'preempt'; readonly node: string; readonly victims: readonly PodInfo[] }
  /** The PostFilter message (without the "preemption: " prefix). */
  | { readonly kind: 'none'; readonly message: string };

interface Candidate {
  node: NodeInfo;
  victims: PodInfo[];
  pdbViolations: number;
}

/** kube's MoreImportantPod: higher priority first, then the one that started earlier. */
function moreImportant(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return startTime(a) - startTime(b);
}

function startTime(p: PodInfo): number {
  const t = p.pod.status?.startTime ?? p.pod.metadata?.creationTimestamp;
  return t ? Date.parse(t) : Number.MAX_SAFE_INTEGER;
}

export class Preemptor {
  constructor(
    private readonly algorithm: SchedulingAlgorithm,
    private readonly budgets: () => readonly DisruptionBudget[],
  ) {}

  /** `nominatedNode`: where an earlier preemption for this pod made room (it may still be emptying). */
  preempt(pod: PodInfo, cluster: ClusterView, state: CycleState, statuses: ReadonlyMap<string, Status>, nominatedNode?: string): PreemptionOutcome {
    if (pod.pod.spec?.preemptionPolicy === 'Never') return { kind: 'none', message: 'not eligible due to preemptionPolicy=Never.' };
    const nominatedName = nominatedNode ?? pod.pod.status?.nominatedNodeName;
    const nominated = nominatedName ? cluster.node(nominatedName) : undefined;
    if (nominated && [...nominated.pods.values()].some((p) => p.pod.metadata?.deletionTimestamp && p.priority < pod.priority)) {
      return { kind: 'none', message: 'not eligible due to a terminating pod on the nominated node.' };
    }
    const outcome = new Map<string, Status>();
    const candidates: Candidate[] = [];
    for (const node of cluster.nodes) {
      const status = statuses.get(node.name);
      if (status?.code !== 'Unschedulable') {
        outcome.set(node.name, new Status('UnschedulableAndUnresolvable', preemptionNotHelpful));
        continue;
      }
      const result = this.selectVictims(pod, node, state);
      if (result instanceof Status) outcome.set(node.name, result);
      else candidates.push(result);
    }
    const best = pickCandidate(candidates);
    if (!best) return { kind: 'none', message: fitErrorMessage(cluster.nodes.length, outcome.values()) };
    return { kind: 'preempt', node: best.node.name, victims: best.victims };
  }

  /** The smallest set of lower-priority pods on `node` whose removal lets `pod` fit, or why there is none. */
  private selectVictims(pod: PodInfo, node: NodeInfo, cycleState: CycleState): Candidate | Status {
    const lower = [...node.pods.values()].filter((p) => p.priority < pod.priority);
    if (lower.length === 0) return new Status('UnschedulableAndUnresolvable', noVictimsFound);
    const what = node.clone();
    const state = cycleState.clone();
    const remove = (p: PodInfo): void => {
      what.removePod(p.key);
      for (const plugin of this.algorithm.filters) plugin.updateState?.(state, pod, p, what, -1);
    };
    const add = (p: PodInfo): void => {
      what.addPod(p);
      for (const plugin of this.algorithm.filters) plugin.updateState?.(state, pod, p, what, 1);
    };
    for (const p of lower) remove(p);
    const status = this.algorithm.runFilters(state, pod, what);
    if (status) return status;
    lower.sort(moreImportant);
    const { violating, nonViolating } = this.splitByBudget(lower);
    const victims: PodInfo[] = [];
    let pdbViolations = 0;
    // Try to keep each pod, most important first; the ones that must go are the victims.
    const reprieve = (p: PodInfo, violates: boolean): void => {
      add(p);
      if (this.algorithm.runFilters(state, pod, what)) {
        remove(p);
        victims.push(p);
        if (violates) pdbViolations++;
      }
    };
    for (const p of violating) reprieve(p, true);
    for (const p of nonViolating) reprieve(p, false);
    return { node, victims, pdbViolations };
  }

  private splitByBudget(pods: readonly PodInfo[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
    const budgets = this.budgets();
    const allowed = budgets.map((b) => b.disruptionsAllowed);
    const violating: PodInfo[] = [];
    const nonViolating: PodInfo[] = [];
    for (const p of pods) {
      let violates = false;
      budgets.forEach((b, i) => {
        if (b.namespace !== p.namespace || b.selector.isEverything() || !b.selector.matches(p.labels)) return;
        if (b.disruptedPods.has(p.pod.metadata?.name ?? '')) return;
        allowed[i] = (allowed[i] ?? 0) - 1;
        if ((allowed[i] ?? 0) < 0) violates = true;
      });
      (violates ? violating : nonViolating).push(p);
    }
    return { violating, nonViolating };
  }
}

/** kube's order: fewest budget violations, lowest top victim priority, lowest priority sum, fewest victims, latest start. */
function pickCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  const key = (c: Candidate): number[] => {
    const top = c.victims.reduce((m, v) => Math.max(m, v.priority), Number.MIN_SAFE_INTEGER);
    // Offsetting by the lowest priority keeps every term non-negative, as kube does.
    const sum = c.victims.reduce((s, v) => s + (v.priority + 2 ** 31 + 1), 0);
    const earliestTop = c.victims.filter((v) => v.priority === top).reduce((m, v) => Math.min(m, startTime(v)), Number.MAX_SAFE_INTEGER);
    return [c.pdbViolations, top, sum, c.victims.length, -earliestTop];
  };
  let bestKey: number[] = [];
  for (const c of candidates) {
    const k = key(c);
    if (!best || lexLess(k, bestKey)) {
      best = c;
      bestKey = k;
    }
  }
  return best;
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}
