// The scheduling framework's contracts, after kube-scheduler's: plugins with filter and score
// extension points that return status values with codes, the per-cycle state they share, the cluster
// view they read, and the cluster events that can make a rejected pod schedulable again.
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { LabelSelector } from '../api/index.js';

/** Unschedulable may be fixed by preemption; UnschedulableAndUnresolvable cannot be. */
export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error';

export class Status {
  plugin = '';
  readonly reasons: readonly string[];
  constructor(
    readonly code: StatusCode,
    ...reasons: string[]
  ) {
    this.reasons = reasons;
  }
  message(): string {
    return this.reasons.join(', ');
  }
}

/** What changed in the cluster; unschedulable pods wait for an event their rejecting plugins care about. */
export type ClusterEvent = 'NodeAdd' | 'NodeUpdate' | 'AssignedPodAdd' | 'AssignedPodUpdate' | 'AssignedPodDelete';

/** The read-only cluster one scheduling cycle sees. */
export interface ClusterView {
  /** Every node that has a Node object, in a stable order. */
  readonly nodes: readonly NodeInfo[];
  node(name: string): NodeInfo | undefined;
  /** Nodes holding at least one pod with (anti-)affinity terms. */
  nodesWithAffinityPods(): readonly NodeInfo[];
  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined;
  /** How many nodes have this (normalized) image. */
  imageNodeCount(image: string): number;
  /**
   * The selector kube-scheduler's default spreading uses for a pod without spread constraints of its
   * own: the selectors of the Services matching it and of its controlling ReplicationController,
   * ReplicaSet or StatefulSet. Undefined when nothing selects the pod (no default spreading then).
   */
  defaultSpreadSelector(pod: PodInfo): LabelSelector | undefined;
  /** Node name → how many pods of this owner (by uid, a pod's first owner reference) the node holds. */
  podsOfOwner(ownerUid: string): ReadonlyMap<string, number>;
}

/** Per-cycle data plugins compute once (PreFilter/PreScore) and read per node. */
export interface PluginState {
  /** A copy that preemption's what-if runs can change. */
  clone(): PluginState;
}

export class CycleState {
  private readonly data = new Map<string, PluginState>();
  /** The filter plugins this cycle runs on each node: those PreFilter did not skip. */
  activeFilters: readonly FilterPlugin[] | undefined;
  read<T extends PluginState>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  write(key: string, value: PluginState): void {
    this.data.set(key, value);
  }
  clone(): CycleState {
    const copy = new CycleState();
    copy.activeFilters = this.activeFilters;
    for (const [k, v] of this.data) copy.data.set(k, v.clone());
    return copy;
  }
}

export interface FilterPlugin {
  readonly name: string;
  /** Events after which a pod this plugin rejected may fit. */
  readonly events: readonly ClusterEvent[];
  /** Computes cluster-wide state for the cycle; a status here rejects the pod on every node. */
  preFilter?(state: CycleState, pod: PodInfo, cluster: ClusterView): Status | undefined;
  /**
   * Asked after PreFilter: false when Filter has nothing to check for this pod, so the cycle does
   * not call it on any node (kube's PreFilter Skip). Absent means always needed.
   */
  filterNeeded?(state: CycleState, pod: PodInfo): boolean;
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status | undefined;
  /** Keeps PreFilter state true when preemption removes (sign -1) or re-adds (1) `other` on `node`. */
  updateState?(state: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo, sign: 1 | -1): void;
}

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** Returns false when the plugin has nothing to say about this pod (kube's Skip). */
  preScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], cluster: ClusterView): boolean;
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** Rewrites raw scores in place into 0..maxNodeScore. */
  normalize?(state: CycleState, scores: number[], nodes: readonly NodeInfo[]): void;
}

export const maxNodeScore = 100;

/** kube's DefaultNormalizeScore: scale to 0..100 by the maximum, reversed when lower is better. */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) max = Math.max(max, s);
  if (max === 0) {
    if (reverse) scores.fill(maxNodeScore);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const scaled = Math.trunc((maxNodeScore * (scores[i] ?? 0)) / max);
    scores[i] = reverse ? maxNodeScore - scaled : scaled;
  }
}
