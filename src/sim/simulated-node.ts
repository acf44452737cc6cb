// What a simulated node publishes about itself, built as the kubelet builds it: the Node object it
// registers (labels, capacity, addresses, nodeInfo), the four conditions of a healthy kubelet and
// its Lease in kube-node-lease.
import { createHash } from 'node:crypto';
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { intToIp } from '../net/index.js';
import { kubeMicroTime, kubeTime } from '../api/index.js';

/** The label every simulated node carries; `skiff sim` finds its nodes by it. */
export const simulatedNodeLabel = 'type';
export const simulatedNodeLabelValue = 'skiff-sim';
/** Set to "true" on a node (kubectl annotate) to make its simulated kubelet stop reporting. */
export const simulatedDownAnnotation = 'skiff.dev/simulated-down';

export const leaseNamespace = 'kube-node-lease';
export const leaseDurationSeconds = 40;
export const kubeletVersion = 'v1.35.0';

export interface NodeShape {
  readonly cpu: string;
  readonly memory: string;
  readonly pods: string;
  readonly ephemeralStorage: string;
}

/** Node addresses live in 172.16.0.0/12, away from the default pod and service ranges (.1 to .254 of each /24). */
export function simulatedNodeIp(index: number): string {
  const subnet = Math.floor(index / 254);
  return intToIp(((172 << 24) | (16 << 16)) + subnet * 256 + (index % 254) + 1);
}

function stableId(name: string, what: string): string {
  const h = createHash('sha256').update(`${what}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The node as its kubelet registers it. */
export function simulatedNode(name: string, index: number, shape: NodeShape, now: number): Node {
  const resources = { cpu: shape.cpu, memory: shape.memory, pods: shape.pods, 'ephemeral-storage': shape.ephemeralStorage };
  const ip = simulatedNodeIp(index);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'skiff-sim',
        [simulatedNodeLabel]: simulatedNodeLabelValue,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {},
    status: {
      capacity: resources,
      allocatable: { ...resources },
      conditions: healthyConditions(now),
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: stableId(name, 'machine').replace(/-/g, ''),
        systemUUID: stableId(name, 'system'),
        bootID: stableId(`${name}/${now}`, 'boot'),
        kernelVersion: '6.8.0-skiff-sim',
        osImage: 'Skiff simulated node',
        containerRuntimeVersion: 'skiff-sim://0.1.0',
        kubeletVersion,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

const healthy: readonly Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>[] = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/**
 * The conditions a healthy kubelet posts at `now`: every heartbeat is now; a transition time is
 * kept while the condition's status is unchanged, as the kubelet does.
 */
export function healthyConditions(now: number, previous: readonly NodeCondition[] = []): NodeCondition[] {
  const time = kubeTime(now);
  const out: NodeCondition[] = healthy.map((c) => {
    const before = previous.find((p) => p.type === c.type);
    const transition = before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : time;
    return { ...c, lastHeartbeatTime: time, lastTransitionTime: transition };
  });
  // Conditions posted by others (NetworkUnavailable from a network plugin) stay.
  for (const p of previous) if (!healthy.some((c) => c.type === p.type)) out.push(p);
  return out;
}

/** The node's Lease as the kubelet writes it, owned by the Node so it goes with it. */
export function nodeLease(nodeName: string, nodeUid: string, now: number, existing?: Lease, durationSeconds = leaseDurationSeconds): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      ...(existing?.metadata ?? {}),
      name: nodeName,
      namespace: leaseNamespace,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }],
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime: kubeMicroTime(now) },
  };
}
