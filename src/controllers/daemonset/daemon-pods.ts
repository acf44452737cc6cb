// The pure parts of the DaemonSet controller: whether a node should run the daemon pod (node
// selector, required node affinity, taints against the pod's tolerations), the tolerations kube
// adds to every daemon pod, and the pod for a node, pinned by required node affinity on the
// node's metadata.name (not spec.nodeName) so the scheduler binds it, as kube does since 1.12.
import type { Affinity, PodSpec, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { nodeSelectorTermMatches, tolerates } from '../../api/index.js';
import type { NodeObject } from '../shared/index.js';

/** The tolerations every daemon pod gets, so node conditions do not evict or keep it off a node. */
export function daemonTolerations(spec: PodSpec): Toleration[] {
  const exists = (key: string, effect: 'NoExecute' | 'NoSchedule'): Toleration => ({ key, operator: 'Exists', effect });
  const added = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ];
  if (spec.hostNetwork) added.push(exists('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  const out = [...(spec.tolerations ?? [])];
  for (const t of added) if (!out.some((o) => o.key === t.key && o.effect === t.effect && o.operator === 'Exists')) out.push(t);
  return out;
}

export interface NodeFit {
  /** The pod may be placed on the node. */
  readonly shouldRun: boolean;
  /** A pod already there may stay (only NoExecute taints it does not tolerate evict it). */
  readonly shouldContinueRunning: boolean;
}

export function nodeFit(template: PodTemplateSpec, node: NodeObject): NodeFit {
  const spec = template.spec ?? { containers: [] };
  const labels = node.metadata.labels ?? {};
  const selectorOk = Object.entries(spec.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const affinityOk = !required || required.nodeSelectorTerms.some((t) => nodeSelectorTermMatches(t, labels, node.metadata.name));
  if (!selectorOk || !affinityOk) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = daemonTolerations(spec);
  let shouldRun = true;
  let shouldContinueRunning = true;
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule' || tolerations.some((t) => tolerates(t, taint))) continue;
    shouldRun = false;
    if (taint.effect === 'NoExecute') shouldContinueRunning = false;
  }
  return { shouldRun, shouldContinueRunning };
}

/** Required node affinity on exactly this node, replacing the template's required terms. */
export function pinToNode(affinity: Affinity | undefined, nodeName: string): Affinity {
  const out = structuredClone(affinity ?? {});
  const nodeAffinity = (out.nodeAffinity ??= {});
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
  return out;
}

/** The node a daemon pod is for: where it is bound, else the node its affinity pins it to. */
export function targetNode(spec: PodSpec | undefined): string | undefined {
  if (spec?.nodeName) return spec.nodeName;
  for (const term of spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}
