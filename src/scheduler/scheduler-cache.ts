// The scheduler's view of the cluster, kept from the node and pod informers: every node with the pods
// bound to it, plus pods the scheduler has assumed onto a node while their binding is in flight, so
// the next pod already sees the placement before the watch confirms it.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { ClusterView } from './framework.js';
import { NodeInfo } from './node-info.js';
import { newPodInfo, type PodInfo } from './pod-info.js';
import type { LabelSelector } from '../api/index.js';

interface PodState {
  info: PodInfo;
  nodeName: string;
  /** Placed by this scheduler and not yet seen bound through the watch. */
  assumed: boolean;
}

export class SchedulerCache implements ClusterView {
  private readonly nodeInfos = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private readonly imageCounts = new Map<string, number>();
  private readonly namespaceLabelsByName = new Map<string, Readonly<Record<string, string>>>();
  private nodeList: NodeInfo[] | undefined;
  private podsWithAffinity = 0;
  /** Owner uid → node name → pods: one small map per workload for spreading, not a lookup per node. */
  private readonly ownerNodes = new Map<string, Map<string, number>>();

  /** Nodes with a Node object, in insertion order (stable across cycles for round-robin filtering). */
  get nodes(): readonly NodeInfo[] {
    if (!this.nodeList) this.nodeList = [...this.nodeInfos.values()].filter((n) => n.node !== undefined);
    return this.nodeList;
  }

  node(name: string): NodeInfo | undefined {
    const info = this.nodeInfos.get(name);
    return info?.node ? info : undefined;
  }

  nodesWithAffinityPods(): readonly NodeInfo[] {
    // Most clusters have no such pods; skip the walk over every node then.
    if (this.podsWithAffinity === 0) return [];
    return this.nodes.filter((n) => n.podsWithAffinity.size > 0);
  }

  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined {
    return this.namespaceLabelsByName.get(namespace);
  }

  /** Where defaultSpreadSelector looks (the scheduler's listers); without one, pods get no default spreading. */
  spreadSelectors: ((pod: PodInfo) => LabelSelector | undefined) | undefined;

  defaultSpreadSelector(pod: PodInfo): LabelSelector | undefined {
    return this.spreadSelectors?.(pod);
  }

  podsOfOwner(ownerUid: string): ReadonlyMap<string, number> {
    return this.ownerNodes.get(ownerUid) ?? noCounts;
  }

  imageNodeCount(image: string): number {
    return this.imageCounts.get(image) ?? 0;
  }

  setNamespace(name: string, labels: Readonly<Record<string, string>> | undefined): void {
    if (labels === undefined) this.namespaceLabelsByName.delete(name);
    else this.namespaceLabelsByName.set(name, labels);
  }

  addOrUpdateNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    let info = this.nodeInfos.get(name);
    if (!info) {
      info = new NodeInfo(name);
      this.nodeInfos.set(name, info);
    }
    if (!info.node) this.nodeList = undefined;
    this.countImages(info, -1);
    info.setNode(node);
    this.countImages(info, 1);
  }

  removeNode(name: string): void {
    const info = this.nodeInfos.get(name);
    if (!info) return;
    this.countImages(info, -1);
    // Pods still bound to a deleted node keep their entry until their own deletion arrives.
    if (info.pods.size === 0) this.nodeInfos.delete(name);
    else info.node = undefined;
    this.nodeList = undefined;
  }

  private countImages(info: NodeInfo, sign: 1 | -1): void {
    if (!info.node) return;
    for (const image of info.imageSizes.keys()) {
      const n = (this.imageCounts.get(image) ?? 0) + sign;
      if (n > 0) this.imageCounts.set(image, n);
      else this.imageCounts.delete(image);
    }
  }

  /** Records the scheduler's decision before the API server has it. */
  assumePod(info: PodInfo, nodeName: string): void {
    this.removePodByKey(info.key);
    this.place({ info, nodeName, assumed: true });
  }

  /** Undoes an assumption whose binding failed. */
  forgetPod(key: string): void {
    const state = this.podStates.get(key);
    if (state?.assumed) this.removePodByKey(key);
  }

  isAssumed(key: string): boolean {
    return this.podStates.get(key)?.assumed ?? false;
  }

  /** A pod seen through the informer: bound pods count on their node; others (and finished ones) do not. */
  addOrUpdatePod(pod: Pod): void {
    const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    const nodeName = pod.spec?.nodeName;
    const phase = pod.status?.phase;
    const current = this.podStates.get(key);
    if (phase === 'Succeeded' || phase === 'Failed') {
      this.removePodByKey(key);
      return;
    }
    // A stale update of a pod we assumed (sent before the binding landed) must not undo the assumption.
    if (!nodeName) {
      if (!current?.assumed) this.removePodByKey(key);
      return;
    }
    if (current && !current.assumed && current.nodeName === nodeName && current.info.pod === pod) return;
    this.removePodByKey(key);
    this.place({ info: newPodInfo(pod), nodeName, assumed: false });
  }

  removePod(pod: Pod): void {
    this.removePodByKey(`${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`);
  }

  podInfo(key: string): PodInfo | undefined {
    return this.podStates.get(key)?.info;
  }

  private place(state: PodState): void {
    this.podStates.set(state.info.key, state);
    let node = this.nodeInfos.get(state.nodeName);
    if (!node) {
      node = new NodeInfo(state.nodeName);
      this.nodeInfos.set(state.nodeName, node);
    }
    node.addPod(state.info);
    if (hasAffinity(state.info)) this.podsWithAffinity++;
    this.countOwner(state, 1);
  }

  private countOwner(state: PodState, sign: 1 | -1): void {
    const owner = state.info.ownerUid;
    if (!owner) return;
    let nodes = this.ownerNodes.get(owner);
    if (!nodes) this.ownerNodes.set(owner, (nodes = new Map<string, number>()));
    const n = (nodes.get(state.nodeName) ?? 0) + sign;
    if (n > 0) nodes.set(state.nodeName, n);
    else nodes.delete(state.nodeName);
    if (nodes.size === 0) this.ownerNodes.delete(owner);
  }

  private removePodByKey(key: string): void {
    const state = this.podStates.get(key);
    if (!state) return;
    this.podStates.delete(key);
    if (hasAffinity(state.info)) this.podsWithAffinity--;
    this.countOwner(state, -1);
    const node = this.nodeInfos.get(state.nodeName);
    if (!node) return;
    node.removePod(key);
    if (!node.node && node.pods.size === 0) this.nodeInfos.delete(state.nodeName);
  }
}

const noCounts: ReadonlyMap<string, number> = new Map();

function hasAffinity(p: PodInfo): boolean {
  return p.requiredAffinity.length + p.requiredAntiAffinity.length + p.preferredAffinity.length + p.preferredAntiAffinity.length > 0;
}
