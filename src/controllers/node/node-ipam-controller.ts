// Node IPAM, as kube-controller-manager's range allocator: every node gets a podCIDR (a /24 by
// default) from --cluster-cidr. The taken subnets are rebuilt from the nodes at start, freed when a
// node goes, and a node that finds the range full gets a CIDRNotAvailable event and waits for a
// subnet to be freed.
import { ApiResponseError, WorkQueue, resourcePath, type EventRecorder, type Informer, type ReadonlyCached, gvr } from '../../client/index.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { log } from '../../log/index.js';
import { CidrAllocator } from './cidr-allocator.js';
import type { ControllerContext } from '../shared/index.js';

export class NodeIpamController {
  private readonly nodes: Informer<ReadonlyCached<Node>>;
  private readonly queue = new WorkQueue<string>({ name: 'node-ipam' });
  private readonly allocator: CidrAllocator;
  private readonly recorder: EventRecorder;
  /** Subnets handed out whose node does not show them yet. */
  private readonly assigned = new Map<string, string>();
  /** Nodes waiting for a subnet to be freed. */
  private readonly waiting = new Set<string>();

  constructor(private readonly ctx: ControllerContext) {
    this.allocator = new CidrAllocator(ctx.config.clusterCidr, ctx.config.nodeCidrMaskSize, [ctx.config.serviceCidr]);
    this.nodes = ctx.informers.informer<ReadonlyCached<Node>>(gvr.nodes);
    this.recorder = ctx.recorder('cidrAllocator');
  }

  async run(signal: AbortSignal): Promise<void> {
    this.nodes.addHandler({
      onAdd: (n) => this.seen(n),
      onUpdate: (_old, n) => this.seen(n),
      onDelete: (n) => this.gone(n),
    });
    await this.nodes.waitForSync(signal);
    await this.queue.run(4, (name) => this.sync(name), signal);
  }

  private seen(node: ReadonlyCached<Node>): void {
    // Every subnet a node shows is taken, whoever assigned it: this rebuilds the map after a restart.
    for (const cidr of node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : [])) this.allocator.occupy(cidr);
    if (node.spec?.podCIDR) this.assigned.delete(node.metadata.name);
    else this.queue.add(node.metadata.name);
  }

  private gone(node: ReadonlyCached<Node>): void {
    const name = node.metadata.name;
    for (const cidr of new Set([...(node.spec?.podCIDRs ?? []), ...(node.spec?.podCIDR ? [node.spec.podCIDR] : []), this.assigned.get(name) ?? ''])) {
      if (cidr) this.allocator.release(cidr);
    }
    this.assigned.delete(name);
    this.waiting.delete(name);
    for (const w of this.waiting) this.queue.add(w);
  }

  private async sync(name: string): Promise<void> {
    const node = this.nodes.store.get(name);
    if (!node || node.spec?.podCIDR) {
      this.assigned.delete(name);
      return;
    }
    let cidr = this.assigned.get(name);
    if (!cidr) {
      cidr = this.allocator.allocate();
      if (!cidr) {
        this.waiting.add(name);
        this.recorder.event({ ...node, apiVersion: 'v1', kind: 'Node' }, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
        log.warning('No pod CIDR left for node', { node: name, clusterCidr: this.ctx.config.clusterCidr, nodeCidrMaskSize: this.allocator.maskSize });
        return;
      }
      this.assigned.set(name, cidr);
    }
    this.waiting.delete(name);
    try {
      await this.ctx.client.patch(resourcePath(gvr.nodes, undefined, name), { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'merge');
      log.v(2, 'Assigned pod CIDR to node', { node: name, podCIDR: cidr });
    } catch (err) {
      if (err instanceof ApiResponseError && (err.status === 404 || err.status === 422)) {
        // The node is gone, or already has another subnet (which its next update occupies).
        this.allocator.release(cidr);
        this.assigned.delete(name);
        return;
      }
      throw err;
    }
  }
}
