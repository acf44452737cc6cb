// What the scheduler needs to know about a pod, computed once when the pod is seen: its key, priority,
// effective requests, host ports and parsed (anti-)affinity terms. Filters and scores read these
// instead of walking the pod spec for every node.
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { FieldPath, labelSelectorFromObject, type LabelSelector } from '../api/index.js';
import { podNonZeroRequests, podRequests, type Resource } from './resources.js';

export interface AffinityTerm {
  /** Namespaces the term looks in (the pod's own when neither namespaces nor namespaceSelector are given). */
  readonly namespaces: ReadonlySet<string>;
  /** Set when the term has a namespaceSelector; matched against namespace labels. */
  readonly namespaceSelector: LabelSelector | undefined;
  readonly selector: LabelSelector;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

export interface HostPort {
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
}

export interface PodInfo {
  readonly pod: Pod;
  /** namespace/name */
  readonly key: string;
  readonly uid: string;
  /** The uid of the pod's first owner: PodTopologySpread counts a workload's pods by it. */
  readonly ownerUid: string | undefined;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly priority: number;
  readonly requests: Resource;
  readonly nonZero: { readonly milliCPU: number; readonly memory: number };
  readonly hostPorts: readonly HostPort[];
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
}

const selectorPath = FieldPath.root('labelSelector');

function affinityTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm {
  const namespaces = term.namespaces?.length || term.namespaceSelector ? new Set(term.namespaces ?? []) : new Set([pod.metadata?.namespace ?? '']);
  const ns = term.namespaceSelector ? labelSelectorFromObject(term.namespaceSelector, selectorPath).selector : undefined;
  // matchLabelKeys/mismatchLabelKeys add requirements on the incoming pod's own label values.
  const requirements: Record<string, unknown>[] = [];
  const ownLabels = pod.metadata?.labels ?? {};
  for (const key of term.matchLabelKeys ?? []) {
    const value = ownLabels[key];
    if (value !== undefined) requirements.push({ key, operator: 'In', values: [value] });
  }
  for (const key of term.mismatchLabelKeys ?? []) {
    const value = ownLabels[key];
    if (value !== undefined) requirements.push({ key, operator: 'NotIn', values: [value] });
  }
  const selectorObject =
    requirements.length === 0 || !term.labelSelector
      ? term.labelSelector
      : { ...term.labelSelector, matchExpressions: [...(term.labelSelector.matchExpressions ?? []), ...requirements] };
  return {
    namespaces,
    namespaceSelector: ns,
    selector: labelSelectorFromObject(selectorObject, selectorPath).selector,
    topologyKey: term.topologyKey,
  };
}

function weightedTerms(pod: Pod, terms: readonly WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] {
  return (terms ?? []).map((t) => ({ ...affinityTerm(pod, t.podAffinityTerm), weight: t.weight }));
}

/** Whether `term` (of some pod) selects `candidate`, given the candidate namespace's labels. */
export function termMatches(
  term: AffinityTerm,
  candidate: PodInfo,
  namespaceLabels: (namespace: string) => Readonly<Record<string, string>> | undefined,
): boolean {
  const inNamespace =
    term.namespaces.has(candidate.namespace) || (term.namespaceSelector !== undefined && term.namespaceSelector.matches(namespaceLabels(candidate.namespace)));
  return inNamespace && term.selector.matches(candidate.labels);
}

export function newPodInfo(pod: Pod): PodInfo {
  const spec = pod.spec;
  const hostPorts: HostPort[] = [];
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (p.hostPort && p.hostPort > 0) hostPorts.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  const affinity = spec?.affinity;
  return {
    pod,
    key: `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`,
    uid: pod.metadata?.uid ?? '',
    ownerUid: pod.metadata?.ownerReferences?.[0]?.uid,
    namespace: pod.metadata?.namespace ?? '',
    labels: pod.metadata?.labels ?? {},
    priority: spec?.priority ?? 0,
    requests: podRequests(pod),
    nonZero: podNonZeroRequests(pod),
    hostPorts,
    requiredAffinity: (affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTerm(pod, t)),
    requiredAntiAffinity: (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTerm(pod, t)),
    preferredAffinity: weightedTerms(pod, affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: weightedTerms(pod, affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
}
