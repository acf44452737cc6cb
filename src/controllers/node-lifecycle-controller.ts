// Node lifecycle, as kube-controller-manager's node lifecycle controller: a node is alive while its
// kubelet renews its Lease in kube-node-lease or posts status. After the grace period (40 s) without
// either, its conditions go Unknown, its pods not ready; its taints follow its conditions
// (unreachable / not-ready NoExecute and the NoSchedule ones) and go when it comes back.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { ApiResponseError, WorkQueue, objectKey, type EventRecorder, type Informer } from '../client/index.js';
import { log } from '../log/index.js';
import type { ControllerContext } from './controller-context.js';
import { conditionTaints, readyStatus, reconcileTaints, unknownConditions } from './node-health.js';

type Named<T> = T & { metadata: { name: string } };

interface Health {
  /** When (local clock) the kubelet was last heard from: a new lease renewal or node heartbeat. */
  probeMs: number;
  renewTime: string | undefined;
  heartbeat: string | undefined;
  ready: string | undefined;
}

export const defaultNodeMonitorGracePeriodSeconds = 40;

function kubeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export class NodeLifecycleController {
  private readonly nodes: Informer<Named<Node>>;
  private readonly leases: Informer<Named<Lease>>;
  private readonly pods: Informer<Named<Pod>>;
  private readonly queue = new WorkQueue<string>({ name: 'node-lifecycle' });
  private readonly health = new Map<string, Health>();
  private readonly recorder: EventRecorder;
  private readonly graceMs: number;

  constructor(private readonly ctx: ControllerContext) {
    this.graceMs = (ctx.config.nodeMonitorGracePeriodSeconds ?? defaultNodeMonitorGracePeriodSeconds) * 1000;
    this.nodes = ctx.informers.informer({ group: '', version: 'v1', resource: 'nodes' });
    this.leases = ctx.informers.informer({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases' }, { namespace: 'kube-node-lease' });
    this.pods = ctx.informers.informer({ group: '', version: 'v1', resource: 'pods' });
    this.pods.addIndexer('nodeName', (p) => [p.spec?.nodeName ?? '']);
    this.recorder = ctx.recorder('node-controller');
  }

  async run(signal: AbortSignal): Promise<void> {
    this.nodes.addHandler({ onAdd: (n) => this.nodeSeen(n), onUpdate: (_o, n) => this.nodeSeen(n), onDelete: (n) => this.health.delete(n.metadata.name) });
    this.leases.addHandler({ onAdd: (l) => this.leaseSeen(l), onUpdate: (_o, l) => this.leaseSeen(l) });
    await Promise.all([this.nodes.waitForSync(signal), this.leases.waitForSync(signal), this.pods.waitForSync(signal)]);
    await this.queue.run(4, (name) => this.sync(name), signal);
  }

  private entry(name: string): Health {
    let h = this.health.get(name);
    if (!h) this.health.set(name, (h = { probeMs: Date.now(), renewTime: undefined, heartbeat: undefined, ready: undefined }));
    return h;
  }

  private nodeSeen(node: Named<Node>): void {
    const h = this.entry(node.metadata.name);
    const heartbeat = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    if (heartbeat && heartbeat !== h.heartbeat && readyStatus(node) !== 'Unknown') {
      h.heartbeat = heartbeat;
      h.probeMs = Date.now();
    }
    this.queue.add(node.metadata.name);
  }

  private leaseSeen(lease: Named<Lease>): void {
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
        node = await this.ctx.client.patch<Named<Node>>(`/api/v1/nodes/${encodeURIComponent(name)}/status`, { status: { conditions } }, 'merge');
      }
    } else this.queue.addAfter(name, this.graceMs - silentFor + 1);

    const ready = readyStatus(node);
    if (h.ready === 'True' && ready !== 'True') this.nodeEvent(node, 'NodeNotReady');
    if (h.ready !== undefined && h.ready !== 'True' && ready === 'True') this.nodeEvent(node, 'NodeReady');
    h.ready = ready;

    const taints = reconcileTaints(node.spec?.taints ?? [], conditionTaints(node), kubeTime(now));
    if (taints) {
      try {
        await this.ctx.client.update(`/api/v1/nodes/${encodeURIComponent(name)}`, { ...node, apiVersion: 'v1', kind: 'Node', spec: { ...node.spec, taints } });
      } catch (err) {
        // Someone else changed the node: its update event brings it back here.
        if (err instanceof ApiResponseError && (err.status === 409 || err.status === 404)) return;
        throw err;
      }
    }
    if (ready !== undefined && ready !== 'True') await this.markPodsNotReady(name, now);
  }

  private nodeEvent(node: Named<Node>, status: string): void {
    this.recorder.event({ ...node, apiVersion: 'v1', kind: 'Node' }, 'Normal', status, `Node ${node.metadata.name} status is now: ${status}`);
  }

  /** The pods of a node that is not ready are not ready either. */
  private async markPodsNotReady(nodeName: string, now: number): Promise<void> {
    for (const pod of this.pods.store.byIndex('nodeName', nodeName)) {
      const conditions = pod.status?.conditions ?? [];
      if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      const next = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: kubeTime(now) } : c));
      try {
        await this.ctx.client.patch(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { status: { conditions: next } }, 'merge');
        this.recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        if (!(err instanceof ApiResponseError && err.status === 404)) throw err;
        log.v(4, 'Pod gone while marking it not ready', { pod: objectKey(pod) });
      }
    }
  }
}
