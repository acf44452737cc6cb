// The pure rules of node lifecycle, as kube-controller-manager applies them: which conditions a
// silent node's are turned into, which taints a node's conditions call for, and whether a pod
// tolerates a node's NoExecute taints and for how long.
import type { Node, NodeCondition, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { tolerates } from '../../api/index.js';

const unreachableTaintKey = 'node.kubernetes.io/unreachable';
const notReadyTaintKey = 'node.kubernetes.io/not-ready';

/** The conditions the kubelet reports that go Unknown when it stops posting. */
const kubeletConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** Conditions (status) that the node lifecycle controller turns into NoSchedule taints. */
const noScheduleTaints: readonly { type: string; status: string; key: string }[] = [
  { type: 'Ready', status: 'False', key: notReadyTaintKey },
  { type: 'Ready', status: 'Unknown', key: unreachableTaintKey },
  { type: 'MemoryPressure', status: 'True', key: 'node.kubernetes.io/memory-pressure' },
  { type: 'DiskPressure', status: 'True', key: 'node.kubernetes.io/disk-pressure' },
  { type: 'NetworkUnavailable', status: 'True', key: 'node.kubernetes.io/network-unavailable' },
  { type: 'PIDPressure', status: 'True', key: 'node.kubernetes.io/pid-pressure' },
];
const unschedulableTaintKey = 'node.kubernetes.io/unschedulable';

/** Every taint key and effect this controller manages; others' taints are left alone. */
const managed = new Set([
  ...noScheduleTaints.map((t) => `${t.key}:NoSchedule`),
  `${unschedulableTaintKey}:NoSchedule`,
  `${unreachableTaintKey}:NoExecute`,
  `${notReadyTaintKey}:NoExecute`,
]);

export function readyStatus(node: Node): string | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

/**
 * The conditions of a node whose kubelet stopped posting: each kubelet condition Unknown (or added
 * as never updated); undefined when they all already are.
 */
export function unknownConditions(node: Node, time: string): NodeCondition[] | undefined {
  const conditions = [...(node.status?.conditions ?? [])];
  let changed = false;
  for (const type of kubeletConditions) {
    const i = conditions.findIndex((c) => c.type === type);
    const current = conditions[i];
    if (!current) {
      const heartbeat = node.metadata?.creationTimestamp;
      conditions.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        ...(heartbeat ? { lastHeartbeatTime: heartbeat } : {}),
        lastTransitionTime: time,
      });
      changed = true;
    } else if (current.status !== 'Unknown') {
      conditions[i] = { ...current, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: time };
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}

/** The managed taints the node's conditions (and spec.unschedulable) call for. */
export function conditionTaints(node: Node): Taint[] {
  const conditions = node.status?.conditions ?? [];
  const out: Taint[] = [];
  for (const t of noScheduleTaints) if (conditions.some((c) => c.type === t.type && c.status === t.status)) out.push({ key: t.key, effect: 'NoSchedule' });
  if (node.spec?.unschedulable) out.push({ key: unschedulableTaintKey, effect: 'NoSchedule' });
  const ready = readyStatus(node);
  if (ready === 'False') out.push({ key: notReadyTaintKey, effect: 'NoExecute' });
  if (ready === 'Unknown') out.push({ key: unreachableTaintKey, effect: 'NoExecute' });
  return out;
}

/** The node's taints with the managed ones made to match `desired`; undefined when nothing changes. */
export function reconcileTaints(existing: readonly Taint[], desired: readonly Taint[], time: string): Taint[] | undefined {
  const id = (t: Taint) => `${t.key}:${t.effect}`;
  const wanted = new Set(desired.map(id));
  const kept = existing.filter((t) => !managed.has(id(t)) || wanted.has(id(t)));
  const have = new Set(kept.map(id));
  const added = desired.filter((t) => !have.has(id(t))).map((t) => (t.effect === 'NoExecute' ? { ...t, timeAdded: time } : t));
  if (!added.length && kept.length === existing.length) return undefined;
  return [...kept, ...added];
}

/**
 * How long the pod may stay on a node with these NoExecute taints: 0 when one is not tolerated,
 * the smallest tolerationSeconds of the tolerations used, or Infinity when none sets one.
 */
export function tolerationSeconds(pod: Pod, taints: readonly Taint[]): number {
  const tolerations = pod.spec?.tolerations ?? [];
  let min = Infinity;
  for (const taint of taints) {
    const used = tolerations.filter((t) => tolerates(t, taint));
    if (!used.length) return 0;
    for (const t of used) if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) min = Math.min(min, Math.max(0, t.tolerationSeconds));
  }
  return min;
}

export function noExecuteTaints(node: Node | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** The zone a node is in, by the well-known topology labels; '' without one. */
export function nodeZone(node: Node): string {
  const labels = node.metadata?.labels ?? {};
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\0:${zone}` : '';
}

/**
 * Each zone's health as kube-controller-manager judges it: fully disrupted when none of its nodes
 * is ready, partially when at least 55% of them (and more than two) are not.
 */
export function zoneStates(nodes: Iterable<Node>): Map<string, ZoneState> {
  const counts = new Map<string, { ready: number; notReady: number }>();
  for (const node of nodes) {
    const zone = nodeZone(node);
    let c = counts.get(zone);
    if (!c) counts.set(zone, (c = { ready: 0, notReady: 0 }));
    if (readyStatus(node) === 'True') c.ready++;
    else c.notReady++;
  }
  const out = new Map<string, ZoneState>();
  for (const [zone, { ready, notReady }] of counts) {
    if (ready === 0 && notReady > 0) out.set(zone, 'FullDisruption');
    else if (notReady > 2 && notReady / (ready + notReady) >= 0.55) out.set(zone, 'PartialDisruption');
    else out.set(zone, 'Normal');
  }
  return out;
}
