// Node lifecycle, as kube-controller-manager's node lifecycle controller: a node is alive while its
// kubelet renews its Lease in kube-node-lease or posts status. After the grace period (40 s) without
// either, its conditions go Unknown, its pods not ready; its taints follow its conditions
// (unreachable / not-ready NoExecute and the NoSchedule ones) and go when it comes back.
import type { Taint } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { ApiResponseError, WorkQueue, objectKey, resourcePath, type EventRecorder, type Informer, gvr } from '../../client/index.js';
import { log } from '../../log/index.js';
import { conditionTaints, nodeZone, readyStatus, reconcileTaints, unknownConditions, zoneStates, type ZoneState } from './node-health.js';
import { kubeTime } from '../../api/index.js';
import { isPodReady, type Cached, type ControllerContext, type NodeObject, type PodObject } from '../shared/index.js';

interface Health {
  /** When (local clock) the kubelet was last heard from: a new lease renewal or node heartbeat. */
  probeMs: number;
  renewTime: string | undefined;
  heartbeat: string | undefined;
  ready: string | undefined;
}

const defaultNodeMonitorGracePeriodSeconds = 40;
/** Zones up to this size stop tainting NoExecute while partially disrupted (--large-cluster-size-threshold). */
const largeZoneSize = 50;
/** A partially disrupted large zone taints one more node per this long (--secondary-node-eviction-rate 0.01/s). */
const partialDisruptionTaintIntervalMs = 100_000;
/**
 * A node is tainted NoExecute this long after it needs it, once the zone states include every node
 * that went silent at about the same time, as kube-controller-manager's 5 s monitor pass does.
 */
const nodeMonitorPeriodMs = 5000;

export class NodeLifecycleController {
  private readonly nodes: Informer<NodeObject>;
  private readonly leases: Informer<Cached<Lease>>;
  private readonly pods: Informer<PodObject>;
  private readonly queue = new WorkQueue<string>({ name: 'node-lifecycle' });
  private readonly health = new Map<string, Health>();
  private readonly recorder: EventRecorder;
  private readonly graceMs: number;
  private zones: { at: number; states: Map<string, ZoneState>; sizes: Map<string, number> } = { at: 0, states: new Map(), sizes: new Map() };
  private readonly lastZoneTaint = new Map<string, number>();
  /** When each node first needed a NoExecute taint it does not have. */
  private readonly taintPending = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {
    this.graceMs = (ctx.config.nodeMonitorGracePeriodSeconds ?? defaultNodeMonitorGracePeriodSeconds) * 1000;
    this.nodes = ctx.informers.informer(gvr.nodes);
    this.leases = ctx.informers.informer(gvr.leases, { namespace: 'kube-node-lease' });
    this.pods = ctx.informers.informer(gvr.pods);
    this.recorder = ctx.recorder('node-controller');
  }

  async run(signal: AbortSignal): Promise<void> {
    this.nodes.addHandler({ onAdd: (n) => this.nodeSeen(n), onUpdate: (_o, n) => this.nodeSeen(n), onDelete: (n) => this.forget(n.metadata.name) });
    this.leases.addHandler({ onAdd: (l) => this.leaseSeen(l), onUpdate: (_o, l) => this.leaseSeen(l) });
    await Promise.all([this.nodes.waitForSync(signal), this.leases.waitForSync(signal), this.pods.waitForSync(signal)]);
    await this.queue.run(4, (name) => this.sync(name), signal);
  }

  private forget(name: string): void {
    this.health.delete(name);
    this.taintPending.delete(name);
  }

  private entry(name: string): Health {
    let h = this.health.get(name);
    if (!h) this.health.set(name, (h = { probeMs: Date.now(), renewTime: undefined, heartbeat: undefined, ready: undefined }));
    return h;
  }

  private nodeSeen(node: NodeObject): void {
    const h = this.entry(node.metadata.name);
    const heartbeat = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    if (heartbeat && heartbeat !== h.heartbeat && readyStatus(node) !== 'Unknown') {
      h.heartbeat = heartbeat;
      h.probeMs = Date.now();
    }
    this.queue.add(node.metadata.name);
  }

  private leaseSeen(lease: Cached<Lease>): void {
    const name = lease.metadata.name;
    const renew = lease.spec?.renewTime;
    const h = this.entry(name);
    if (renew && renew !== h.renewTime) {
      const first = h.renewTime === undefined;
      h.renewTime = renew;
      h.probeMs = Date.now();
      // A lease heard from again may end an Unknown state: look at once. Otherwise the next look is due after the grace period.
      if (!first && this.nodes.store.get(name) && readyStatus(this.nodes.store.get(name)!) === 'Unknown') this.queue.add(name);
      else this.queue.addAfter(name, this.graceMs + 1);
    }
  }

  private async sync(name: string): Promise<void> {
    let node = this.nodes.store.get(name);
    if (!node) return;
    const h = this.entry(name);
    const now = Date.now();
    const silentFor = now - h.probeMs;
    if (silentFor > this.graceMs) {
      const conditions = unknownConditions(node, kubeTime(now));
      if (conditions) {
        log.v(2, 'Node stopped posting status', { node: name, silentForMs: silentFor });
        node = await this.ctx.client.patch<NodeObject>(resourcePath(gvr.nodes, undefined, name, 'status'), { status: { conditions } }, 'merge');
      }
    } else this.queue.addAfter(name, this.graceMs - silentFor + 1);

    const ready = readyStatus(node);
    if (h.ready === 'True' && ready !== 'True') this.nodeEvent(node, 'NodeNotReady');
    if (h.ready !== undefined && h.ready !== 'True' && ready === 'True') this.nodeEvent(node, 'NodeReady');
    h.ready = ready;

    const taints = reconcileTaints(node.spec?.taints ?? [], this.allowedTaints(node, conditionTaints(node), now), kubeTime(now));
    if (taints) {
      try {
        await this.ctx.client.update(resourcePath(gvr.nodes, undefined, name), { ...node, apiVersion: 'v1', kind: 'Node', spec: { ...node.spec, taints } });
      } catch (err) {
        // Someone else changed the node: its update event brings it back here.
        if (err instanceof ApiResponseError && (err.status === 409 || err.status === 404)) return;
        throw err;
      }
    }
    if (ready !== undefined && ready !== 'True') await this.markPodsNotReady(name, now);
  }

  /**
   * The taints to apply, with kube-controller-manager's care for disruptions: when no node of any
   * zone is ready the fault is more likely the control plane's, so nothing is evicted (NoExecute
   * taints are held back and removed); a zone with 55% of its nodes down stops tainting if it is
   * small and slows to one node per 100 s if large.
   */
  private allowedTaints(node: NodeObject, desired: Taint[], now: number): Taint[] {
    const name = node.metadata.name;
    const noExecute = desired.filter((t) => t.effect === 'NoExecute');
    const has = (t: Taint) => (node.spec?.taints ?? []).some((e) => e.key === t.key && e.effect === t.effect);
    if (!noExecute.length || noExecute.every(has)) this.taintPending.delete(name);
    if (!noExecute.length) return desired;
    const others = desired.filter((t) => t.effect !== 'NoExecute');
    const held = [...others, ...noExecute.filter(has)];
    const pendingSince = this.taintPending.get(name);
    if (!noExecute.every(has)) {
      if (pendingSince === undefined) this.taintPending.set(name, now);
      const since = pendingSince ?? now;
      if (now - since < nodeMonitorPeriodMs) {
        this.queue.addAfter(name, since + nodeMonitorPeriodMs - now);
        return held;
      }
    }
    const { states, sizes } = this.zoneHealth(now, pendingSince !== undefined);
    if ([...states.values()].every((s) => s === 'FullDisruption')) return others;
    const zone = nodeZone(node);
    if (noExecute.every(has) || states.get(zone) !== 'PartialDisruption') return desired;
    if ((sizes.get(zone) ?? 0) <= largeZoneSize) return held;
    const last = this.lastZoneTaint.get(zone) ?? 0;
    if (now - last >= partialDisruptionTaintIntervalMs) {
      this.lastZoneTaint.set(zone, now);
      return desired;
    }
    this.queue.addAfter(name, last + partialDisruptionTaintIntervalMs - now);
    return held;
  }

  /** Zone states, recomputed at most once a second; a zone whose state changed has its nodes looked at again. */
  private zoneHealth(now: number, fresh = false): { states: Map<string, ZoneState>; sizes: Map<string, number> } {
    if (!fresh && now - this.zones.at < 1000) return this.zones;
    const nodes = this.nodes.store.list();
    const states = zoneStates(nodes);
    const sizes = new Map<string, number>();
    for (const n of nodes) sizes.set(nodeZone(n), (sizes.get(nodeZone(n)) ?? 0) + 1);
    const before = this.zones.states;
    const allFull = (m: Map<string, ZoneState>) => m.size > 0 && [...m.values()].every((s) => s === 'FullDisruption');
    const changed = new Set([...states].filter(([z, s]) => before.get(z) !== s).map(([z]) => z));
    if (this.zones.at && (changed.size || allFull(before) !== allFull(states))) {
      log.info('Zone health changed', { zones: [...states].map(([z, s]) => `${z || '(none)'}=${s}`).join(',') });
      for (const n of nodes) if (allFull(before) !== allFull(states) || changed.has(nodeZone(n))) this.queue.add(n.metadata.name);
    }
    this.zones = { at: now, states, sizes };
    return this.zones;
  }

  private nodeEvent(node: NodeObject, status: string): void {
    this.recorder.event({ ...node, apiVersion: 'v1', kind: 'Node' }, 'Normal', status, `Node ${node.metadata.name} status is now: ${status}`);
  }

  /** The pods of a node that is not ready are not ready either. */
  private async markPodsNotReady(nodeName: string, now: number): Promise<void> {
    for (const pod of this.pods.store.byIndex('node', nodeName)) {
      if (!isPodReady(pod)) continue;
      const conditions = pod.status?.conditions ?? [];
      const next = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: kubeTime(now) } : c));
      try {
        await this.ctx.client.patch(resourcePath(gvr.pods, pod.metadata.namespace, pod.metadata.name, 'status'), { status: { conditions: next } }, 'merge');
        this.recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        if (!(err instanceof ApiResponseError && err.status === 404)) throw err;
        log.v(4, 'Pod gone while marking it not ready', { pod: objectKey(pod) });
      }
    }
  }
}
