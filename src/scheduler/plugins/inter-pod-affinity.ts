// InterPodAffinity: required pod affinity and anti-affinity of the incoming pod, and the required
// anti-affinity of pods already placed, evaluated per topology domain (node label key=value);
// preferred terms of both sides score the domains.
import type { CycleState } from '../framework.js';
import { Status, maxNodeScore, type ClusterView, type FilterPlugin, type PluginState, type ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import { termMatches, type AffinityTerm, type PodInfo } from '../pod-info.js';

const affinityRulesNotMatch = "node(s) didn't match pod affinity rules";
const antiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";
const existingAntiAffinityNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";

type NamespaceLabels = ClusterView['namespaceLabels'];
const pair = (key: string, value: string): string => `${key}\u0000${value}`;

/** Counts of matching pods per topology pair, for the three required checks. */
class AffinityCounts implements PluginState {
  constructor(
    readonly namespaceLabels: NamespaceLabels,
    readonly existingAntiAffinity = new Map<string, number>(),
    readonly affinity = new Map<string, number>(),
    readonly antiAffinity = new Map<string, number>(),
  ) {}
  clone(): AffinityCounts {
    return new AffinityCounts(this.namespaceLabels, new Map(this.existingAntiAffinity), new Map(this.affinity), new Map(this.antiAffinity));
  }
}

const filterKey = 'PreFilterInterPodAffinity';
const scoreKey = 'PreScoreInterPodAffinity';

function bump(counts: Map<string, number>, node: NodeInfo, key: string, by: number): void {
  const value = node.labels[key];
  if (value === undefined) return;
  const k = pair(key, value);
  const next = (counts.get(k) ?? 0) + by;
  if (next === 0) counts.delete(k);
  else counts.set(k, next);
}

function matchesAll(terms: readonly AffinityTerm[], pod: PodInfo, ns: NamespaceLabels): boolean {
  return terms.length > 0 && terms.every((t) => termMatches(t, pod, ns));
}

/** Adds (1) or removes (-1) what `existing` on `node` contributes to the incoming pod's counts. */
function account(counts: AffinityCounts, incoming: PodInfo, existing: PodInfo, node: NodeInfo, sign: 1 | -1): void {
  const ns = counts.namespaceLabels;
  for (const term of existing.requiredAntiAffinity) if (termMatches(term, incoming, ns)) bump(counts.existingAntiAffinity, node, term.topologyKey, sign);
  if (matchesAll(incoming.requiredAffinity, existing, ns)) for (const term of incoming.requiredAffinity) bump(counts.affinity, node, term.topologyKey, sign);
  for (const term of incoming.requiredAntiAffinity) if (termMatches(term, existing, ns)) bump(counts.antiAffinity, node, term.topologyKey, sign);
}

function anyDomainCounted(counts: Map<string, number>, node: NodeInfo, terms: readonly AffinityTerm[]): boolean {
  for (const term of terms) {
    const value = node.labels[term.topologyKey];
    if (value !== undefined && (counts.get(pair(term.topologyKey, value)) ?? 0) > 0) return true;
  }
  return false;
}

function satisfiesAffinity(counts: AffinityCounts, pod: PodInfo, node: NodeInfo): boolean {
  const terms = pod.requiredAffinity;
  if (terms.length === 0) return true;
  let all = true;
  for (const term of terms) {
    const value = node.labels[term.topologyKey];
    if (value === undefined || (counts.affinity.get(pair(term.topologyKey, value)) ?? 0) <= 0) all = false;
  }
  if (all) return true;
  // The first pod of a group that selects itself may go anywhere the topology keys exist.
  return counts.affinity.size === 0 && matchesAll(terms, pod, counts.namespaceLabels) && terms.every((t) => node.labels[t.topologyKey] !== undefined);
}

class TopologyScores implements PluginState {
  constructor(readonly scores: Map<string, number>) {}
  clone(): PluginState {
    return this;
  }
}

function addScores(scores: Map<string, number>, node: NodeInfo, key: string, weight: number): void {
  const value = node.labels[key];
  if (value !== undefined && weight !== 0) scores.set(pair(key, value), (scores.get(pair(key, value)) ?? 0) + weight);
}

export const interPodAffinityPlugin: FilterPlugin & ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  events: ['AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'NodeAdd', 'NodeUpdate'],
  preFilter(state: CycleState, pod, cluster) {
    const counts = new AffinityCounts((ns) => cluster.namespaceLabels(ns));
    const needAll = pod.requiredAffinity.length > 0 || pod.requiredAntiAffinity.length > 0;
    for (const node of needAll ? cluster.nodes : cluster.nodesWithAffinityPods()) {
      if (needAll) for (const existing of node.pods.values()) account(counts, pod, existing, node, 1);
      else for (const existing of node.podsWithRequiredAntiAffinity) account(counts, pod, existing, node, 1);
    }
    state.write(filterKey, counts);
    return undefined;
  },
  // Without terms of its own, a pod is only kept off nodes by existing pods' required anti-affinity.
  filterNeeded(state, pod) {
    const counts = state.read<AffinityCounts>(filterKey);
    return counts !== undefined && (pod.requiredAffinity.length > 0 || pod.requiredAntiAffinity.length > 0 || counts.existingAntiAffinity.size > 0);
  },
  filter(state, pod, node) {
    const counts = state.read<AffinityCounts>(filterKey);
    if (!counts) return undefined;
    if (!satisfiesAffinity(counts, pod, node)) return new Status('UnschedulableAndUnresolvable', affinityRulesNotMatch);
    if (anyDomainCounted(counts.antiAffinity, node, pod.requiredAntiAffinity)) return new Status('Unschedulable', antiAffinityRulesNotMatch);
    if (counts.existingAntiAffinity.size > 0) {
      for (const [key, value] of Object.entries(node.labels)) {
        if ((counts.existingAntiAffinity.get(pair(key, value)) ?? 0) > 0) return new Status('Unschedulable', existingAntiAffinityNotMatch);
      }
    }
    return undefined;
  },
  updateState(state, pod, other, node, sign) {
    const counts = state.read<AffinityCounts>(filterKey);
    if (counts) account(counts, pod, other, node, sign);
  },
  preScore(state, pod, _nodes, cluster) {
    const hasPreferred = pod.preferredAffinity.length > 0 || pod.preferredAntiAffinity.length > 0;
    const candidates = hasPreferred ? cluster.nodes : cluster.nodesWithAffinityPods();
    if (candidates.length === 0) return false;
    const ns = (n: string): Readonly<Record<string, string>> | undefined => cluster.namespaceLabels(n);
    const scores = new Map<string, number>();
    for (const node of candidates) {
      const pods = hasPreferred ? node.pods.values() : node.podsWithAffinity.values();
      for (const existing of pods) {
        for (const t of pod.preferredAffinity) if (termMatches(t, existing, ns)) addScores(scores, node, t.topologyKey, t.weight);
        for (const t of pod.preferredAntiAffinity) if (termMatches(t, existing, ns)) addScores(scores, node, t.topologyKey, -t.weight);
        // Existing pods' required affinity counts with kube's hardPodAffinityWeight of 1.
        for (const t of existing.requiredAffinity) if (termMatches(t, pod, ns)) addScores(scores, node, t.topologyKey, 1);
        for (const t of existing.preferredAffinity) if (termMatches(t, pod, ns)) addScores(scores, node, t.topologyKey, t.weight);
        for (const t of existing.preferredAntiAffinity) if (termMatches(t, pod, ns)) addScores(scores, node, t.topologyKey, -t.weight);
      }
    }
    if (scores.size === 0) return false;
    state.write(scoreKey, new TopologyScores(scores));
    return true;
  },
  score(state, _pod, node) {
    const s = state.read<TopologyScores>(scoreKey);
    if (!s) return 0;
    let total = 0;
    for (const [key, value] of Object.entries(node.labels)) total += s.scores.get(pair(key, value)) ?? 0;
    return total;
  },
  normalize(_state, scores) {
    if (scores.length === 0) return;
    const min = Math.min(...scores);
    const max = Math.max(...scores);
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc((maxNodeScore * ((scores[i] ?? 0) - min)) / diff) : 0;
  },
};
