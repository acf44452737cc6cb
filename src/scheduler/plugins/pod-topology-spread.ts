// PodTopologySpread: DoNotSchedule constraints reject nodes whose domain would exceed maxSkew over the
// least loaded eligible domain; ScheduleAnyway constraints score nodes by how many matching pods
// their domains already hold.
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { FieldPath } from '../../api/field-errors.js';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/index.js';
import type { CycleState } from '../framework.js';
import { Status, maxNodeScore, type ClusterView, type FilterPlugin, type PluginState, type ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { podMatchesNodeSelectorAndAffinity } from './node-affinity.js';
import { tolerates } from '../../api/node-matching.js';

export const topologySpreadNotMatch = "node(s) didn't match pod topology spread constraints";
export const topologySpreadMissingLabel = "node(s) didn't match pod topology spread constraints (missing required label)";

interface Constraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: LabelSelector;
  readonly minDomains: number;
  readonly honorTaints: boolean;
  readonly honorAffinity: boolean;
}

function constraintsOf(pod: PodInfo, when: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const own = pod.labels;
  return (pod.pod.spec?.topologySpreadConstraints ?? [])
    .filter((c: TopologySpreadConstraint) => c.whenUnsatisfiable === when)
    .map((c) => {
      const extra = (c.matchLabelKeys ?? []).filter((k) => own[k] !== undefined).map((k) => ({ key: k, operator: 'In', values: [own[k]] }));
      const selectorObject =
        extra.length && c.labelSelector ? { ...c.labelSelector, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...extra] } : c.labelSelector;
      return {
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        selector: labelSelectorFromObject(selectorObject, FieldPath.root('labelSelector')).selector,
        minDomains: c.minDomains ?? 1,
        honorTaints: c.nodeTaintsPolicy === 'Honor',
        honorAffinity: c.nodeAffinityPolicy !== 'Ignore',
      };
    });
}

/** Whether a node's domains count for the pod: it passes the policies and carries every topology key. */
function eligible(pod: PodInfo, node: NodeInfo, constraints: readonly Constraint[]): boolean {
  for (const c of constraints) {
    if (node.labels[c.topologyKey] === undefined) return false;
    if (c.honorAffinity && !podMatchesNodeSelectorAndAffinity(pod, node)) return false;
    if (c.honorTaints) {
      const tolerations = pod.pod.spec?.tolerations ?? [];
      for (const taint of node.taints) {
        if ((taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerations.some((t) => tolerates(t, taint))) return false;
      }
    }
  }
  return true;
}

function countsPod(c: Constraint, pod: PodInfo, other: PodInfo): boolean {
  return other.namespace === pod.namespace && !other.pod.metadata?.deletionTimestamp && c.selector.matches(other.labels);
}

class SpreadCounts implements PluginState {
  constructor(
    readonly constraints: readonly Constraint[],
    /** per constraint: domain value → matching pods */
    readonly counts: Map<string, number>[],
  ) {}
  clone(): SpreadCounts {
    return new SpreadCounts(
      this.constraints,
      this.counts.map((m) => new Map(m)),
    );
  }
  minMatch(i: number): number {
    const c = this.constraints[i];
    const counts = this.counts[i];
    if (!c || !counts) return 0;
    if (counts.size < c.minDomains) return 0;
    let min = Number.POSITIVE_INFINITY;
    for (const v of counts.values()) min = Math.min(min, v);
    return Number.isFinite(min) ? min : 0;
  }
}

function countDomains(pod: PodInfo, constraints: readonly Constraint[], nodes: readonly NodeInfo[]): Map<string, number>[] {
  const counts = constraints.map(() => new Map<string, number>());
  for (const node of nodes) {
    if (!eligible(pod, node, constraints)) continue;
    constraints.forEach((c, i) => {
      const value = node.labels[c.topologyKey] ?? '';
      let n = 0;
      for (const other of node.pods.values()) if (countsPod(c, pod, other)) n++;
      const map = counts[i];
      if (map) map.set(value, (map.get(value) ?? 0) + n);
    });
  }
  return counts;
}

const filterKey = 'PreFilterPodTopologySpread';
const scoreKey = 'PreScorePodTopologySpread';

class SpreadScoring implements PluginState {
  constructor(
    readonly constraints: readonly Constraint[],
    readonly counts: Map<string, number>[],
    readonly weights: readonly number[],
  ) {}
  clone(): PluginState {
    return this;
  }
}

export const podTopologySpreadPlugin: FilterPlugin & ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  events: ['AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'NodeAdd', 'NodeUpdate'],
  preFilter(state: CycleState, pod, cluster: ClusterView) {
    const constraints = constraintsOf(pod, 'DoNotSchedule');
    if (constraints.length) state.write(filterKey, new SpreadCounts(constraints, countDomains(pod, constraints, cluster.nodes)));
    return undefined;
  },
  filterNeeded: (state) => state.read<SpreadCounts>(filterKey) !== undefined,
  filter(state, pod, node) {
    const s = state.read<SpreadCounts>(filterKey);
    if (!s) return undefined;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      if (!c) continue;
      const value = node.labels[c.topologyKey];
      if (value === undefined) return new Status('UnschedulableAndUnresolvable', topologySpreadMissingLabel);
      const self = c.selector.matches(pod.labels) ? 1 : 0;
      const skew = (s.counts[i]?.get(value) ?? 0) + self - s.minMatch(i);
      if (skew > c.maxSkew) return new Status('Unschedulable', topologySpreadNotMatch);
    }
    return undefined;
  },
  updateState(state, pod, other, node, sign) {
    const s = state.read<SpreadCounts>(filterKey);
    if (!s || !eligible(pod, node, s.constraints)) return;
    s.constraints.forEach((c, i) => {
      if (!countsPod(c, pod, other)) return;
      const value = node.labels[c.topologyKey] ?? '';
      const map = s.counts[i];
      if (map) map.set(value, (map.get(value) ?? 0) + sign);
    });
  },
  preScore(state, pod, nodes, cluster) {
    const constraints = constraintsOf(pod, 'ScheduleAnyway');
    if (constraints.length === 0) return false;
    const counts = countDomains(pod, constraints, cluster.nodes);
    // Domains weigh by log(count+2) so that keys with many domains do not drown the others.
    const weights = counts.map((m, i) => (constraints[i]?.topologyKey === 'kubernetes.io/hostname' ? Math.log(nodes.length + 2) : Math.log(m.size + 2)));
    state.write(scoreKey, new SpreadScoring(constraints, counts, weights));
    return true;
  },
  score(state, _pod, node) {
    const s = state.read<SpreadScoring>(scoreKey);
    if (!s) return 0;
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      if (!c) continue;
      const value = node.labels[c.topologyKey];
      if (value === undefined) return -1;
      score += (s.counts[i]?.get(value) ?? 0) * (s.weights[i] ?? 1) + (c.maxSkew - 1);
    }
    return Math.round(score);
  },
  normalize(_state, scores) {
    // -1 marks a node without the topology keys: it gets 0.
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (const s of scores) {
      if (s < 0) continue;
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i] ?? 0;
      if (s < 0) scores[i] = 0;
      else if (max === 0) scores[i] = maxNodeScore;
      else scores[i] = Math.trunc((maxNodeScore * (max + min - s)) / max);
    }
  },
};
