// Taint-based eviction, as kube-controller-manager's taint-eviction-controller: a pod on a node
// with NoExecute taints it does not tolerate is deleted at once; one that tolerates them for
// tolerationSeconds is deleted when that time has passed since the taint was added (the
// DefaultTolerationSeconds admission gives every pod 300 s for not-ready and unreachable).
import type { Taint } from 'kubernetes-types/core/v1.js';
import { ApiResponseError, WorkQueue, objectKey, resourcePath, type EventRecorder, type Informer, gvr } from '../../client/index.js';
import { noExecuteTaints, tolerationSeconds } from './node-health.js';
import { kubeTime } from '../../api/index.js';
import type { ControllerContext, NodeObject, PodObject } from '../shared/index.js';

export class TaintEvictionController {
  private readonly nodes: Informer<NodeObject>;
  private readonly pods: Informer<PodObject>;
  private readonly queue = new WorkQueue<string>({ name: 'taint-eviction' });
  private readonly recorder: EventRecorder;
  /** When this controller first saw a NoExecute taint (by node, key and effect) that carries no timeAdded. */
  private readonly firstSeen = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {
    this.nodes = ctx.informers.informer(gvr.nodes);
    this.pods = ctx.informers.informer(gvr.pods);
    this.recorder = ctx.recorder('taint-eviction-controller');
  }

  async run(signal: AbortSignal): Promise<void> {
    this.nodes.addHandler({
      onAdd: (n) => this.nodeChanged(undefined, n),
      onUpdate: (o, n) => this.nodeChanged(o, n),
    });
    this.pods.addHandler({ onAdd: (p) => this.podChanged(p), onUpdate: (_o, p) => this.podChanged(p) });
    await Promise.all([this.nodes.waitForSync(signal), this.pods.waitForSync(signal)]);
    await this.queue.run(4, (key) => this.sync(key), signal);
  }

  private nodeChanged(old: NodeObject | undefined, node: NodeObject): void {
    const taints = noExecuteTaints(node);
    if (JSON.stringify(noExecuteTaints(old)) === JSON.stringify(taints)) return;
    for (const key of [...this.firstSeen.keys()]) if (key.startsWith(`${node.metadata.name}\n`)) this.firstSeen.delete(key);
    if (!taints.length) return;
    for (const pod of this.pods.store.byIndex('node', node.metadata.name)) this.queue.add(objectKey(pod));
  }

  private podChanged(pod: PodObject): void {
    if (pod.metadata.deletionTimestamp || !pod.spec?.nodeName) return;
    if (noExecuteTaints(this.nodes.store.get(pod.spec.nodeName)).length) this.queue.add(objectKey(pod));
  }

  private taintTime(nodeName: string, taint: Taint, now: number): number {
    if (taint.timeAdded) return Date.parse(taint.timeAdded);
    const key = `${nodeName}\n${taint.key}\n${taint.value ?? ''}`;
    let seen = this.firstSeen.get(key);
    if (seen === undefined) this.firstSeen.set(key, (seen = now));
    return seen;
  }

  private async sync(key: string): Promise<void> {
    const pod = this.pods.store.get(key);
    if (!pod || pod.metadata.deletionTimestamp || !pod.spec?.nodeName) return;
    const taints = noExecuteTaints(this.nodes.store.get(pod.spec.nodeName));
    if (!taints.length) return;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    const now = Date.now();
    const seconds = tolerationSeconds(pod, taints);
    if (seconds === Infinity) return;
    const since = Math.max(...taints.map((t) => this.taintTime(pod.spec!.nodeName!, t, now)));
    const due = since + seconds * 1000;
    if (due > now) return this.queue.addAfter(key, due - now);
    await this.evict(pod, now);
  }

  private async evict(pod: PodObject, now: number): Promise<void> {
    const path = resourcePath(gvr.pods, pod.metadata.namespace, pod.metadata.name);
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    conditions.push({
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
      lastTransitionTime: kubeTime(now),
    });
    try {
      this.recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${objectKey(pod)}`);
      await this.ctx.client.patch(`${path}/status`, { status: { conditions } }, 'merge');
      await this.ctx.client.delete(path, { preconditions: { uid: pod.metadata.uid ?? '' } });
    } catch (err) {
      if (err instanceof ApiResponseError && (err.status === 404 || err.status === 409)) return;
      throw err;
    }
  }
}
