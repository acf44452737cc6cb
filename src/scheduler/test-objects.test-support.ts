// Builders of the Node and Pod objects the scheduler's unit tests place, and a cache holding them:
// small literals instead of full manifests, so each test shows only what it is about.
import type { Affinity, Node, Pod, Taint, Toleration, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { CycleState, type FilterPlugin, type ScorePlugin, type Status } from './framework.js';
import { newPodInfo } from './pod-info.js';
import { SchedulerCache } from './scheduler-cache.js';

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
  extra?: Record<string, string>;
}

export function makeNode(name: string, o: NodeOptions = {}): Node {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', ...o.extra };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: allocatable, allocatable, ...(o.images ? { images: o.images } : {}) },
  };
}

export interface PodOptions {
  namespace?: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  priority?: number;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  hostPort?: number;
  spread?: TopologySpreadConstraint[];
  image?: string;
  preemptionPolicy?: string;
}

export function makePod(name: string, o: PodOptions = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.namespace ?? 'default', uid: `uid-${name}`, labels: o.labels ?? {}, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      containers: [
        {
          name: 'c',
          image: o.image ?? 'nginx:1.27',
          resources: { requests },
          ...(o.hostPort ? { ports: [{ containerPort: 80, hostPort: o.hostPort }] } : {}),
        },
      ],
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      priority: o.priority ?? 0,
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
      ...(o.spread ? { topologySpreadConstraints: o.spread } : {}),
      ...(o.preemptionPolicy ? { preemptionPolicy: o.preemptionPolicy } : {}),
    },
    status: { phase: o.nodeName ? 'Running' : 'Pending' },
  };
}

/** A cache holding the nodes and the (bound) pods. */
export function cacheOf(nodes: readonly Node[], pods: readonly Pod[] = []): SchedulerCache {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.addOrUpdateNode(n);
  for (const p of pods) cache.addOrUpdatePod(p);
  return cache;
}

/** Runs one filter plugin (PreFilter first) for a pod on a node of the cache; the reasons, or undefined when it passes. */
export function runFilter(plugin: FilterPlugin, pod: Pod, cache: SchedulerCache, nodeName: string): Status | undefined {
  const state = new CycleState();
  const info = newPodInfo(pod);
  const rejected = plugin.preFilter?.(state, info, cache);
  if (rejected) return rejected;
  const node = cache.node(nodeName);
  if (!node) throw new Error(`no node ${nodeName}`);
  return plugin.filter(state, info, node);
}

/** Runs one score plugin over every node of the cache; node name → normalized score (empty when it skips). */
export function runScore(plugin: ScorePlugin, pod: Pod, cache: SchedulerCache): Map<string, number> {
  const state = new CycleState();
  const info = newPodInfo(pod);
  const nodes = cache.nodes;
  if (plugin.preScore && !plugin.preScore(state, info, nodes, cache)) return new Map();
  const scores = nodes.map((n) => plugin.score(state, info, n));
  plugin.normalize?.(state, scores, nodes);
  return new Map(nodes.map((n, i) => [n.name, scores[i] ?? 0]));
}
