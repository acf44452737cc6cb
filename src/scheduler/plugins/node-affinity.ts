// NodeAffinity: spec.nodeSelector and required node affinity must match the node's labels (and
// metadata.name fields); preferred node affinity adds the weights of the terms a node matches.
import type { NodeSelectorTerm } from 'kubernetes-types/core/v1.js';
import { nodeSelectorTermMatches as termMatches } from '../../api/index.js';
import { Status, defaultNormalize, type FilterPlugin, type ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';

const nodeAffinityMismatch = "node(s) didn't match Pod's node affinity/selector";

/** A term matches when all its expressions and fields do; an empty term matches nothing. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: NodeInfo): boolean {
  return termMatches(term, node.labels, node.name);
}

/** nodeSelector and required node affinity, as the NodeAffinity filter (and DaemonSets) apply them. */
export function podMatchesNodeSelectorAndAffinity(pod: PodInfo, node: NodeInfo): boolean {
  const selector = pod.pod.spec?.nodeSelector;
  if (selector) {
    const labels = node.labels;
    for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  }
  const required = pod.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return required.nodeSelectorTerms.some((t) => nodeSelectorTermMatches(t, node));
  return true;
}

export const nodeAffinityPlugin: FilterPlugin & ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  events: ['NodeAdd', 'NodeUpdate'],
  filterNeeded(_state, pod) {
    const spec = pod.pod.spec;
    return spec?.nodeSelector !== undefined || spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
  },
  filter(_state, pod, node) {
    return podMatchesNodeSelectorAndAffinity(pod, node) ? undefined : new Status('UnschedulableAndUnresolvable', nodeAffinityMismatch);
  },
  preScore(_state, pod) {
    return (pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
  },
  score(_state, pod, node) {
    let total = 0;
    for (const p of pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (p.weight !== 0 && nodeSelectorTermMatches(p.preference, node)) total += p.weight;
    }
    return total;
  },
  normalize(_state, scores) {
    defaultNormalize(scores, false);
  },
};
