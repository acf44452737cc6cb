// A node as the scheduler sees it: the Node object with the pods bound or assumed onto it and the
// sums the filters need (requested resources, used host ports, image presence), kept incrementally
// as pods come and go so that a filter costs a few comparisons, not a walk over the node's pods.
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import type { HostPort, PodInfo } from './pod-info.js';
import { addResource, cloneResource, emptyResource, nodeAllocatable, type Resource } from './resources.js';

export class NodeInfo {
  node: Node | undefined;
  readonly pods = new Map<string, PodInfo>();
  /** Pods with any (anti-)affinity, which InterPodAffinity must look at from the other side. */
  readonly podsWithAffinity = new Set<PodInfo>();
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();
  readonly requested: Resource = emptyResource();
  readonly nonZeroRequested = { milliCPU: 0, memory: 0 };
  allocatable: Resource = emptyResource();
  allowedPodNumber = 0;
  /** `protocol/port` → host IPs using it ('0.0.0.0' is every IP). */
  readonly usedPorts = new Map<string, Map<string, number>>();
  /** Image names (every tag/digest alias) present on the node → size in bytes. */
  imageSizes: ReadonlyMap<string, number> = new Map();
  /** Bumped on every change, so callers can tell a stale view. */
  generation = 0;

  constructor(readonly name: string) {}

  get labels(): Readonly<Record<string, string>> {
    return this.node?.metadata?.labels ?? {};
  }

  get taints(): readonly Taint[] {
    return this.node?.spec?.taints ?? [];
  }

  setNode(node: Node): void {
    this.node = node;
    const { resource, pods } = nodeAllocatable(node);
    this.allocatable = resource;
    this.allowedPodNumber = pods;
    const sizes = new Map<string, number>();
    for (const image of node.status?.images ?? []) {
      for (const name of image.names ?? []) sizes.set(normalizedImageName(name), image.sizeBytes ?? 0);
    }
    this.imageSizes = sizes;
    this.generation++;
  }

  addPod(pod: PodInfo): void {
    this.pods.set(pod.key, pod);
    if (pod.requiredAffinity.length || pod.requiredAntiAffinity.length || pod.preferredAffinity.length || pod.preferredAntiAffinity.length) {
      this.podsWithAffinity.add(pod);
    }
    if (pod.requiredAntiAffinity.length) this.podsWithRequiredAntiAffinity.add(pod);
    this.account(pod, 1);
  }

  removePod(key: string): PodInfo | undefined {
    const pod = this.pods.get(key);
    if (!pod) return undefined;
    this.pods.delete(key);
    this.podsWithAffinity.delete(pod);
    this.podsWithRequiredAntiAffinity.delete(pod);
    this.account(pod, -1);
    return pod;
  }

  private account(pod: PodInfo, sign: 1 | -1): void {
    addResource(this.requested, pod.requests, sign);
    this.nonZeroRequested.milliCPU += sign * pod.nonZero.milliCPU;
    this.nonZeroRequested.memory += sign * pod.nonZero.memory;
    for (const p of pod.hostPorts) {
      const key = `${p.protocol}/${p.port}`;
      let ips = this.usedPorts.get(key);
      if (!ips) this.usedPorts.set(key, (ips = new Map<string, number>()));
      const count = (ips.get(p.ip) ?? 0) + sign;
      if (count > 0) ips.set(p.ip, count);
      else ips.delete(p.ip);
      if (ips.size === 0) this.usedPorts.delete(key);
    }
    this.generation++;
  }

  /** Whether a host port is taken: the same IP, or either side binding every IP (0.0.0.0). */
  portInUse(p: HostPort): boolean {
    const ips = this.usedPorts.get(`${p.protocol}/${p.port}`);
    if (!ips) return false;
    return p.ip === '0.0.0.0' || ips.has('0.0.0.0') || ips.has(p.ip);
  }

  /** A copy that can lose or gain pods without touching the cache (preemption's what-if runs). */
  clone(): NodeInfo {
    const copy = new NodeInfo(this.name);
    copy.node = this.node;
    copy.allocatable = cloneResource(this.allocatable);
    copy.allowedPodNumber = this.allowedPodNumber;
    copy.imageSizes = this.imageSizes;
    for (const pod of this.pods.values()) copy.addPod(pod);
    return copy;
  }
}

/** Image names as the kubelet reports them: a name without tag or digest means :latest. */
export function normalizedImageName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  const tail = name.slice(lastSlash + 1);
  if (tail.includes(':') || tail.includes('@')) return name;
  return `${name}:latest`;
}
