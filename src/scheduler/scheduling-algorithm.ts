// One scheduling cycle's decision, as kube-scheduler's schedulePod makes it: run PreFilter, filter
// nodes round-robin until enough feasible ones are found (percentageOfNodesToScore), score them with
// the weighted, normalized score plugins and pick the best, breaking ties at random.
import type { Status } from './framework.js';
import { CycleState, type ClusterView, type FilterPlugin, type ScorePlugin } from './framework.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import { balancedAllocationPlugin } from './plugins/balanced-allocation.js';
import { imageLocalityPlugin } from './plugins/image-locality.js';
import { interPodAffinityPlugin } from './plugins/inter-pod-affinity.js';
import { nodeAffinityPlugin } from './plugins/node-affinity.js';
import { nodeNamePlugin } from './plugins/node-name.js';
import { nodePortsPlugin } from './plugins/node-ports.js';
import { nodeResourcesFitPlugin } from './plugins/node-resources-fit.js';
import { nodeUnschedulablePlugin } from './plugins/node-unschedulable.js';
import { podTopologySpreadPlugin } from './plugins/pod-topology-spread.js';
import { taintTolerationPlugin } from './plugins/taint-toleration.js';

/** kube's default profile, in its order: cheap rejections first. */
const defaultFilterPlugins: readonly FilterPlugin[] = [
  nodeUnschedulablePlugin,
  nodeNamePlugin,
  taintTolerationPlugin,
  nodeAffinityPlugin,
  nodePortsPlugin,
  nodeResourcesFitPlugin,
  podTopologySpreadPlugin,
  interPodAffinityPlugin,
];

const defaultScorePlugins: readonly ScorePlugin[] = [
  taintTolerationPlugin,
  nodeAffinityPlugin,
  nodeResourcesFitPlugin,
  podTopologySpreadPlugin,
  interPodAffinityPlugin,
  balancedAllocationPlugin,
  imageLocalityPlugin,
];

const minFeasibleNodesToFind = 100;
const minFeasibleNodesPercentageToFind = 5;

/** How many feasible nodes to look for before scoring: all below 100 nodes, an adaptive share above. */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage <= 0) percentage = Math.max(50 - Math.trunc(numAllNodes / 125), minFeasibleNodesPercentageToFind);
  const count = Math.trunc((numAllNodes * percentage) / 100);
  return Math.max(count, minFeasibleNodesToFind);
}

export type ScheduleResult =
  | { readonly kind: 'scheduled'; readonly node: string; readonly evaluatedNodes: number; readonly feasibleNodes: number }
  | {
      readonly kind: 'unschedulable';
      readonly numAllNodes: number;
      /** Filter status of every node that was rejected. */
      readonly statuses: Map<string, Status>;
      readonly preFilterMessage: string;
      readonly state: CycleState;
    };

/** Pods nominated to nodes by preemption, which lower-priority pods must leave room for. */
export interface NominatedPods {
  /** Whether any pod is nominated anywhere: when none is, nodes are filtered as they are. */
  any(): boolean;
  forNode(node: string): readonly PodInfo[];
}

export class SchedulingAlgorithm {
  private nextStartNodeIndex = 0;

  constructor(
    readonly filters: readonly FilterPlugin[] = defaultFilterPlugins,
    readonly scorers: readonly ScorePlugin[] = defaultScorePlugins,
    private readonly random: () => number = Math.random,
  ) {}

  schedule(pod: PodInfo, cluster: ClusterView, nominated?: NominatedPods): ScheduleResult {
    const nodes = cluster.nodes;
    const state = new CycleState();
    if (nodes.length === 0) {
      return { kind: 'unschedulable', numAllNodes: 0, statuses: new Map(), preFilterMessage: 'no nodes available to schedule pods', state };
    }
    for (const plugin of this.filters) {
      const status = plugin.preFilter?.(state, pod, cluster);
      if (status) {
        status.plugin = plugin.name;
        return { kind: 'unschedulable', numAllNodes: nodes.length, statuses: new Map(), preFilterMessage: status.message(), state };
      }
    }
    state.activeFilters = this.filters.filter((p) => !p.filterNeeded || p.filterNeeded(state, pod));
    const withNominated = nominated?.any() ? nominated : undefined;
    const want = numFeasibleNodesToFind(nodes.length);
    const feasible: NodeInfo[] = [];
    const statuses = new Map<string, Status>();
    const start = this.nextStartNodeIndex % nodes.length;
    let processed = 0;
    for (; processed < nodes.length && feasible.length < want; processed++) {
      const node = nodes[(start + processed) % nodes.length];
      if (!node) continue;
      const status = this.filterWithNominated(state, pod, node, withNominated);
      if (status) statuses.set(node.name, status);
      else feasible.push(node);
    }
    this.nextStartNodeIndex = (start + processed) % nodes.length;
    if (feasible.length === 0) return { kind: 'unschedulable', numAllNodes: nodes.length, statuses, preFilterMessage: '', state };
    const only = feasible[0];
    if (feasible.length === 1 && only) return { kind: 'scheduled', node: only.name, evaluatedNodes: processed, feasibleNodes: 1 };
    const totals = this.prioritize(state, pod, feasible, cluster);
    return { kind: 'scheduled', node: this.selectHost(feasible, totals), evaluatedNodes: processed, feasibleNodes: feasible.length };
  }

  /** Runs the filters in order and returns the first rejection. */
  runFilters(state: CycleState, pod: PodInfo, node: NodeInfo): Status | undefined {
    for (const plugin of state.activeFilters ?? this.filters) {
      const status = plugin.filter(state, pod, node);
      if (status) {
        status.plugin = plugin.name;
        return status;
      }
    }
    return undefined;
  }

  /** Filters as if the pods nominated to this node with at least this pod's priority were already there. */
  filterWithNominated(state: CycleState, pod: PodInfo, node: NodeInfo, nominated?: NominatedPods): Status | undefined {
    const onNode = nominated?.forNode(node.name);
    if (!onNode || onNode.length === 0) return this.runFilters(state, pod, node);
    const others = onNode.filter((p) => p.key !== pod.key && p.priority >= pod.priority);
    if (others.length === 0) return this.runFilters(state, pod, node);
    const withNominated = node.clone();
    const stateWith = state.clone();
    for (const other of others) {
      withNominated.addPod(other);
      for (const plugin of this.filters) plugin.updateState?.(stateWith, pod, other, withNominated, 1);
    }
    return this.runFilters(stateWith, pod, withNominated);
  }

  private prioritize(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], cluster: ClusterView): Float64Array {
    const totals = new Float64Array(nodes.length);
    const scores: number[] = new Array<number>(nodes.length);
    for (const plugin of this.scorers) {
      if (plugin.preScore && !plugin.preScore(state, pod, nodes, cluster)) continue;
      for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score(state, pod, nodes[i] as NodeInfo);
      plugin.normalize?.(state, scores, nodes);
      for (let i = 0; i < nodes.length; i++) totals[i] = (totals[i] ?? 0) + (scores[i] ?? 0) * plugin.weight;
    }
    return totals;
  }

  /** The highest total; among equals each is equally likely (reservoir sampling, as kube does). */
  private selectHost(nodes: readonly NodeInfo[], totals: Float64Array): string {
    let best = -1;
    let chosen = '';
    let ties = 0;
    for (let i = 0; i < nodes.length; i++) {
      const score = totals[i] ?? 0;
      if (score > best) {
        best = score;
        chosen = nodes[i]?.name ?? '';
        ties = 1;
      } else if (score === best) {
        ties++;
        if (this.random() * ties < 1) chosen = nodes[i]?.name ?? '';
      }
    }
    return chosen;
  }
}
