// The simulated kubelets of `skiff sim`: N nodes registered and kept alive by one process, as kwok
// does. Heartbeats are spread over fixed time slots (one timer for all nodes), pods come from one
// shared watch of every bound pod, and each pod moves through its life on one work queue.
import type { Node, NodeCondition, Pod } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import {
  ApiResponseError,
  InformerFactory,
  WorkQueue,
  objectKey,
  sleep,
  stripManagedFields,
  type ApiClient,
  type Cached,
  type Informer,
  gvr,
  resourcePath,
} from '../client/index.js';
import { log } from '../log/index.js';
import { PodIpPool } from './pod-ip-pool.js';
import {
  healthyConditions,
  leaseDurationSeconds as defaultLeaseDurationSeconds,
  leaseNamespace,
  nodeLease,
  simulatedDownAnnotation,
  simulatedNode,
  simulatedNodeIp,
  simulatedNodeLabel,
  simulatedNodeLabelValue,
  type NodeShape,
} from './simulated-node.js';
import {
  exitedStatus,
  nextTransition,
  reassertedStatus,
  restartedStatus,
  restartsAfterExit,
  runningStatus,
  simulatedRun,
  type SimulatedRun,
} from './simulated-pod.js';

export interface NodeSimulatorOptions {
  readonly nodes: number;
  readonly namePrefix: string;
  readonly shape: NodeShape;
  /** The kubelet's --node-lease-duration-seconds; the lease is renewed every quarter of it. */
  readonly leaseDurationSeconds?: number;
  /** How often an unchanged node status is posted anyway (the kubelet's nodeStatusReportFrequency, 5 min). */
  readonly statusReportMs?: number;
  /** Pods handled in parallel. */
  readonly podWorkers?: number;
  readonly deleteOnExit?: boolean;
}

interface SimNode {
  readonly name: string;
  readonly index: number;
  readonly ip: string;
  uid: string;
  lease: Lease | undefined;
  down: boolean;
  /** Deleted by someone else: the simulated kubelet stops, as a kubelet whose node is gone. */
  gone: boolean;
  busy: boolean;
  lastStatusAt: number;
  conditions: NodeCondition[];
  pool: PodIpPool | undefined;
}

const tickMs = 250;
const registrationParallelism = 32;

export class NodeSimulator {
  private readonly nodes = new Map<string, SimNode>();
  private readonly buckets: SimNode[][];
  private readonly informers: InformerFactory;
  private readonly nodeInformer: Informer<Node & { metadata: { name: string } }>;
  private readonly podInformer: Informer<Cached<Pod>>;
  private readonly queue = new WorkQueue<string>({ name: 'sim-pods', baseDelayMs: 100, maxDelayMs: 30_000 });
  /** Pod uid → IP it holds. */
  private readonly podIps = new Map<string, { node: SimNode; ip: string }>();
  private readonly badAnnotations = new Set<string>();
  private readonly leaseDurationSeconds: number;
  private synced = false;
  private tick = 0;
  private failedBeats = 0;
  private lastBeatError = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly options: NodeSimulatorOptions,
  ) {
    this.leaseDurationSeconds = options.leaseDurationSeconds ?? defaultLeaseDurationSeconds;
    const renewMs = (this.leaseDurationSeconds * 1000) / 4;
    this.buckets = Array.from({ length: Math.max(1, Math.round(renewMs / tickMs)) }, () => []);
    for (let i = 0; i < options.nodes; i++) {
      const name = `${options.namePrefix}${i}`;
      const node: SimNode = {
        name,
        index: i,
        ip: simulatedNodeIp(i),
        uid: '',
        lease: undefined,
        down: false,
        gone: false,
        busy: false,
        lastStatusAt: 0,
        conditions: [],
        pool: undefined,
      };
      this.nodes.set(name, node);
      this.buckets[i % this.buckets.length]!.push(node);
    }
    this.informers = new InformerFactory(client, { transform: stripManagedFields });
    this.nodeInformer = this.informers.informer(gvr.nodes, { labelSelector: `${simulatedNodeLabel}=${simulatedNodeLabelValue}` });
    this.podInformer = this.informers.informer(gvr.pods, { fieldSelector: 'spec.nodeName!=' });
  }

  /** Registers the nodes, then simulates them until the signal aborts; `onReady` runs once all are registered. */
  async run(signal: AbortSignal, onReady?: () => void): Promise<void> {
    await this.registerAll(signal);
    if (signal.aborted) return;
    this.nodeInformer.addHandler({ onAdd: (n) => this.nodeSeen(n), onUpdate: (_o, n) => this.nodeSeen(n), onDelete: (n) => this.nodeGone(n) });
    this.podInformer.addHandler({ onAdd: (p) => this.podChanged(p), onUpdate: (_o, p) => this.podChanged(p), onDelete: (p) => this.podGone(p) });
    this.informers.start(signal);
    await this.informers.waitForSync(signal);
    this.synced = true;
    for (const node of this.nodes.values()) this.claimPodIps(node);
    for (const pod of this.podInformer.store.list()) this.podChanged(pod);
    const timer = setInterval(() => this.heartbeat(), tickMs);
    const workers = this.queue.run(this.options.podWorkers ?? 16, (key) => this.syncPod(key), signal);
    onReady?.();
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    clearInterval(timer);
    await workers;
    if (this.options.deleteOnExit) await this.deleteAll();
  }

  private async registerAll(signal: AbortSignal): Promise<void> {
    const pending = [...this.nodes.values()];
    const worker = async () => {
      for (let node = pending.shift(); node && !signal.aborted; node = pending.shift()) {
        for (let attempt = 0; !signal.aborted; attempt++) {
          try {
            await this.register(node);
            break;
          } catch (err) {
            log.error('Registering simulated node failed, retrying', err, { node: node.name, attempt });
            await sleep(Math.min(10_000, 200 * 2 ** attempt), signal);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: registrationParallelism }, worker));
  }

  /** Creates the node, or takes over one left by an earlier run, and its lease. */
  private async register(node: SimNode): Promise<void> {
    const now = Date.now();
    let current: Node;
    try {
      current = await this.client.create<Node>(resourcePath(gvr.nodes), simulatedNode(node.name, node.index, this.options.shape, now));
    } catch (err) {
      if (!(err instanceof ApiResponseError && err.status === 409)) throw err;
      current = await this.client.get<Node>(resourcePath(gvr.nodes, undefined, node.name));
      this.observe(node, current);
      if (!node.down) current = await this.postStatus(node, now);
    }
    this.observe(node, current);
    node.lastStatusAt = now - Math.random() * (this.options.statusReportMs ?? 300_000);
    if (!node.down) await this.renewLease(node, now);
  }

  private observe(node: SimNode, obj: Node): void {
    node.uid = obj.metadata?.uid ?? node.uid;
    node.down = obj.metadata?.annotations?.[simulatedDownAnnotation] === 'true';
    node.conditions = obj.status?.conditions ?? [];
    const cidr = obj.spec?.podCIDR;
    if (cidr && !node.pool) {
      node.pool = new PodIpPool(cidr);
      this.claimPodIps(node);
    }
  }

  private nodeSeen(obj: Node & { metadata: { name: string } }): void {
    const node = this.nodes.get(obj.metadata.name);
    if (!node || node.gone) return;
    const wasDown = node.down;
    const hadPool = node.pool !== undefined;
    this.observe(node, obj);
    if (wasDown && !node.down) {
      log.info('Simulated node is up again', { node: node.name });
      node.lastStatusAt = 0;
      void this.beat(node, Date.now());
    } else if (!wasDown && node.down) log.info('Simulated node is down', { node: node.name });
    if ((wasDown && !node.down) || (!hadPool && node.pool)) this.requeueNode(node);
  }

  private nodeGone(obj: Node & { metadata: { name: string } }): void {
    const node = this.nodes.get(obj.metadata.name);
    if (!node) return;
    log.info('Simulated node was deleted; it stays gone until skiff sim restarts', { node: node.name });
    node.gone = true;
  }

  private requeueNode(node: SimNode): void {
    for (const pod of this.podInformer.store.byIndex('node', node.name)) this.queue.add(objectKey(pod));
  }

  /** Pod IPs in use on a node after a restart of the simulator. */
  private claimPodIps(node: SimNode): void {
    if (!this.synced || !node.pool) return;
    for (const pod of this.podInformer.store.byIndex('node', node.name)) {
      const ip = pod.status?.podIP;
      const uid = pod.metadata.uid ?? '';
      const phase = pod.status?.phase;
      if (ip && !pod.spec?.hostNetwork && phase !== 'Succeeded' && phase !== 'Failed' && node.pool.claim(ip, uid)) this.podIps.set(uid, { node, ip });
    }
  }

  /** One time slot: the nodes of this slot renew their leases (and post status when due). */
  private heartbeat(): void {
    const bucket = this.buckets[this.tick++ % this.buckets.length]!;
    const now = Date.now();
    for (const node of bucket) void this.beat(node, now);
  }

  private async beat(node: SimNode, now: number): Promise<void> {
    if (node.busy || node.down || node.gone || !node.uid) return;
    node.busy = true;
    try {
      if (now - node.lastStatusAt >= (this.options.statusReportMs ?? 300_000)) {
        await this.postStatus(node, now);
        node.lastStatusAt = now;
      }
      await this.renewLease(node, now);
    } catch (err) {
      // With thousands of nodes an unreachable server would mean thousands of lines a second: one every 5 s says it.
      this.failedBeats++;
      if (now - this.lastBeatError >= 5000) {
        log.error('Simulated node heartbeats failed', err, { node: node.name, failuresSinceLastReport: this.failedBeats });
        this.lastBeatError = now;
        this.failedBeats = 0;
      }
    } finally {
      node.busy = false;
    }
  }

  private async postStatus(node: SimNode, now: number): Promise<Node> {
    const updated = await this.client.patch<Node>(
      resourcePath(gvr.nodes, undefined, node.name, 'status'),
      { status: { conditions: healthyConditions(now, node.conditions) } },
      'merge',
    );
    node.conditions = updated.status?.conditions ?? [];
    return updated;
  }

  private async renewLease(node: SimNode, now: number): Promise<void> {
    const path = resourcePath(gvr.leases, leaseNamespace, node.name);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        if (!node.lease) {
          try {
            node.lease = await this.client.get<Lease>(path);
          } catch (err) {
            if (!(err instanceof ApiResponseError && err.status === 404)) throw err;
            node.lease = await this.client.create<Lease>(
              resourcePath(gvr.leases, leaseNamespace),
              nodeLease(node.name, node.uid, now, undefined, this.leaseDurationSeconds),
            );
            return;
          }
        }
        node.lease = await this.client.update<Lease>(path, nodeLease(node.name, node.uid, now, node.lease, this.leaseDurationSeconds));
        return;
      } catch (err) {
        // Someone else wrote the lease (or it was deleted): read it again.
        if (err instanceof ApiResponseError && (err.status === 409 || err.status === 404)) node.lease = undefined;
        else throw err;
      }
    }
  }

  private podChanged(pod: Cached<Pod>): void {
    if (this.nodes.has(pod.spec?.nodeName ?? '')) this.queue.add(objectKey(pod));
  }

  private podGone(pod: Cached<Pod>): void {
    this.releaseIp(pod.metadata.uid ?? '');
    this.badAnnotations.delete(pod.metadata.uid ?? '');
  }

  private releaseIp(uid: string): void {
    const held = this.podIps.get(uid);
    if (!held) return;
    held.node.pool?.release(held.ip, uid);
    this.podIps.delete(uid);
  }

  /** Moves one pod a step through its life; re-queues itself for the next timed step. */
  private async syncPod(key: string): Promise<void> {
    const pod = this.podInformer.store.get(key);
    if (!pod) return;
    const node = this.nodes.get(pod.spec?.nodeName ?? '');
    if (!node || node.down || node.gone) return;
    const uid = pod.metadata.uid ?? '';
    const path = resourcePath(gvr.pods, pod.metadata.namespace, pod.metadata.name);
    if (pod.metadata.deletionTimestamp) {
      // The containers are "stopped" at once; the kubelet then removes the pod for good.
      try {
        await this.client.delete(path, { gracePeriodSeconds: 0, preconditions: { uid } });
      } catch (err) {
        if (!(err instanceof ApiResponseError && (err.status === 404 || err.status === 409))) throw err;
      }
      this.releaseIp(uid);
      return;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      this.releaseIp(uid);
      return;
    }
    const run = this.runOf(pod);
    const started = (pod.status?.containerStatuses ?? []).length > 0;
    if (!started) return this.start(pod, node, path);
    const now = Date.now();
    const reasserted = reassertedStatus(pod, now);
    if (reasserted) await this.client.patch(`${path}/status`, { status: reasserted }, 'merge');
    const next = nextTransition(pod, run);
    if (!next) return;
    if (next.at > now) return this.queue.addAfter(key, next.at - now);
    const status = next.kind === 'restart' ? restartedStatus(pod, now) : exitedStatus(pod, run.exitCode, now);
    await this.client.patch(`${path}/status`, { status }, 'merge');
    if (next.kind === 'exit' && !restartsAfterExit(pod, run.exitCode)) this.releaseIp(uid);
  }

  private async start(pod: Cached<Pod>, node: SimNode, path: string): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    let podIP: string | undefined;
    if (pod.spec?.hostNetwork) podIP = node.ip;
    else {
      podIP = this.podIps.get(uid)?.ip;
      if (!podIP) {
        // Without a podCIDR there is no pod network yet; the node update that brings one re-queues the pod.
        if (!node.pool) return;
        podIP = node.pool.allocate(uid);
        if (!podIP) {
          log.warning('No free pod IP left on simulated node', { node: node.name, pod: objectKey(pod) });
          return;
        }
        this.podIps.set(uid, { node, ip: podIP });
      }
    }
    try {
      await this.client.patch(`${path}/status`, { status: runningStatus(pod, { hostIP: node.ip, podIP }, Date.now()) }, 'merge');
    } catch (err) {
      if (err instanceof ApiResponseError && err.status === 404) return this.releaseIp(uid);
      throw err;
    }
  }

  /** The pod's simulated run; a malformed annotation is reported once and the pod runs until deleted. */
  private runOf(pod: Cached<Pod>): SimulatedRun {
    try {
      return simulatedRun(pod);
    } catch (err) {
      const uid = pod.metadata.uid ?? '';
      if (!this.badAnnotations.has(uid)) {
        this.badAnnotations.add(uid);
        log.warning('Ignoring a malformed simulation annotation', { pod: objectKey(pod), error: (err as Error).message });
      }
      return { durationMs: undefined, exitCode: 0 };
    }
  }

  private async deleteAll(): Promise<void> {
    const pending = [...this.nodes.values()].filter((n) => !n.gone);
    const worker = async () => {
      for (let node = pending.shift(); node; node = pending.shift()) {
        for (const path of [resourcePath(gvr.nodes, undefined, node.name), resourcePath(gvr.leases, leaseNamespace, node.name)]) {
          await this.client.delete(path).catch((err: unknown) => {
            if (!(err instanceof ApiResponseError && err.status === 404)) log.error('Deleting simulated node failed', err, { node: node.name });
          });
        }
      }
    };
    await Promise.all(Array.from({ length: registrationParallelism }, worker));
  }
}
