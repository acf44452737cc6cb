// PodTopologySpread: DoNotSchedule constraints reject nodes whose domain would exceed maxSkew over the
// least loaded eligible domain; ScheduleAnyway constraints score nodes by how many matching pods
// their domains already hold. Pods without constraints of their own are spread softly over nodes
// and zones by kube-scheduler's system defaults, against the pods of their Services and controller.
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { FieldPath, labelSelectorFromObject, type LabelSelector, tolerates } from '../../api/index.js';
import type { CycleState } from '../framework.js';
import { Status, maxNodeScore, type ClusterView, type FilterPlugin, type PluginState, type ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { podMatchesNodeSelectorAndAffinity } from './node-affinity.js';

const topologySpreadNotMatch = "node(s) didn't match pod topology spread constraints";
const topologySpreadMissingLabel = "node(s) didn't match pod topology spread constraints (missing required label)";

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
  for (const c of constraints) if (node.labels[c.topologyKey] === undefined || !included(pod, node, c)) return false;
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
    /** Per constraint: matching pods per domain, for the domains of the filtered nodes (not hostname: counted per node). */
    readonly counts: Map<string, number>[],
    readonly weights: readonly number[],
    /** Filtered nodes lacking a topology key of the pod's own constraints: they score 0. */
    readonly ignored: ReadonlySet<string>,
    readonly countOn: (node: NodeInfo, c: Constraint) => number,
  ) {}
  clone(): PluginState {
    return this;
  }
}

const hostnameKey = 'kubernetes.io/hostname';

/** kube-scheduler's system default constraints, for pods without their own: soft spreading over nodes and zones. */
function defaultConstraints(selector: LabelSelector): Constraint[] {
  const soft = { selector, minDomains: 1, honorTaints: false, honorAffinity: true };
  return [
    { ...soft, maxSkew: 3, topologyKey: hostnameKey },
    { ...soft, maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone' },
  ];
}

function hasKeys(node: NodeInfo, constraints: readonly Constraint[]): boolean {
  return constraints.every((c) => node.labels[c.topologyKey] !== undefined);
}

/** Whether a node's pods count for a constraint under its inclusion policies (node affinity, taints). */
function included(pod: PodInfo, node: NodeInfo, c: Constraint): boolean {
  if (c.honorAffinity && !podMatchesNodeSelectorAndAffinity(pod, node)) return false;
  if (c.honorTaints) {
    const tolerations = pod.pod.spec?.tolerations ?? [];
    for (const taint of node.taints) {
      if ((taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerations.some((t) => tolerates(t, taint))) return false;
    }
  }
  return true;
}

/**
 * The pods on a node that count against the incoming one, as kube-scheduler scores them: a pod with an
 * owner counts the pods of that same owner; one without, the live pods its constraint selects.
 */
function countFor(pod: PodInfo, cluster: ClusterView): (node: NodeInfo, c: Constraint) => number {
  const owner = pod.ownerUid;
  if (owner) {
    const perNode = cluster.podsOfOwner(owner);
    return (node) => perNode.get(node.name) ?? 0;
  }
  return (node, c) => {
    let n = 0;
    for (const other of node.pods.values()) if (countsPod(c, pod, other)) n++;
    return n;
  };
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
    // A pod with constraints of its own is spread by those; one without, by the system defaults (when
    // anything selects it). Only its own constraints make nodes without every topology key score 0.
    const own = (pod.pod.spec?.topologySpreadConstraints ?? []).length > 0;
    const selector = own ? undefined : cluster.defaultSpreadSelector(pod);
    const constraints = own ? constraintsOf(pod, 'ScheduleAnyway') : selector ? defaultConstraints(selector) : [];
    if (constraints.length === 0) return false;
    const ignored = new Set<string>();
    const counts = constraints.map(() => new Map<string, number>());
    for (const node of nodes) {
      if (own && !hasKeys(node, constraints)) {
        ignored.add(node.name);
        continue;
      }
      constraints.forEach((c, i) => {
        const value = node.labels[c.topologyKey];
        if (c.topologyKey !== hostnameKey && value !== undefined) counts[i]!.set(value, 0);
      });
    }
    // Domains weigh by log(size+2) so that keys with many domains do not drown the others.
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === hostnameKey ? nodes.length - ignored.size : counts[i]!.size) + 2));
    const countOn = countFor(pod, cluster);
    // The domains' counts take the pods of every node in them, not only of the filtered ones.
    if (counts.some((m) => m.size > 0)) {
      for (const node of cluster.nodes) {
        if (own && !hasKeys(node, constraints)) continue;
        constraints.forEach((c, i) => {
          const domain = counts[i]!;
          const value = node.labels[c.topologyKey];
          if (value === undefined || !domain.has(value) || !included(pod, node, c)) return;
          domain.set(value, domain.get(value)! + countOn(node, c));
        });
      }
    }
    state.write(scoreKey, new SpreadScoring(constraints, counts, weights, ignored, countOn));
    return true;
  },
  score(state, _pod, node) {
    const s = state.read<SpreadScoring>(scoreKey);
    if (!s) return 0;
    if (s.ignored.has(node.name)) return -1;
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const value = node.labels[c.topologyKey];
      if (value === undefined) continue;
      const count = c.topologyKey === hostnameKey ? s.countOn(node, c) : (s.counts[i]?.get(value) ?? 0);
      score += count * (s.weights[i] ?? 1) + (c.maxSkew - 1);
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
