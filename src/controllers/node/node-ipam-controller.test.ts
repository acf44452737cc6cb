import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'kubernetes-types/core/v1.js';
import { InformerFactory, type ApiClient, type EventRecorder, type WatchEventLine } from '../../client/index.js';
import { NodeIpamController } from './node-ipam-controller.js';
import type { ControllerContext } from '../shared/index.js';

/** A fake API with a node list, a watch the test feeds, and a record of the patches and events. */
class FakeNodeApi {
  readonly patches: { path: string; body: unknown }[] = [];
  readonly events: string[] = [];
  private emit: ((e: WatchEventLine) => void) | undefined;
  private version = 10;

  constructor(private readonly nodes: Node[]) {}

  async get(): Promise<unknown> {
    return { metadata: { resourceVersion: String(this.version) }, items: this.nodes };
  }

  watch(_path: string, onEvent: (e: WatchEventLine) => void, signal: AbortSignal): Promise<void> {
    this.emit = onEvent;
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  async patch(path: string, body: { spec: { podCIDR: string } }): Promise<unknown> {
    this.patches.push({ path, body });
    // The server stores it; the watch brings the node back with its CIDR.
    const name = decodeURIComponent(path.split('/').pop()!);
    this.send('MODIFIED', { metadata: { name }, spec: body.spec });
    return {};
  }

  send(type: WatchEventLine['type'], node: Node): void {
    this.version++;
    this.emit?.({ type, object: { ...node, metadata: { ...node.metadata, resourceVersion: String(this.version) } } });
  }

  context(clusterCidr: string): ControllerContext {
    const client = this as unknown as ApiClient;
    const recorder = { event: (_o: unknown, type: string, reason: string, message: string) => this.events.push(`${type} ${reason} ${message}`) };
    return {
      client,
      informers: new InformerFactory(client),
      recorder: () => recorder as unknown as EventRecorder,
      config: { clusterCidr, serviceCidr: '10.96.0.0/12', nodeCidrMaskSize: 24 },
    };
  }
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), 'timed out');
}

test('assigns free subnets around the ones nodes already have, waits when full, reuses a freed one', async () => {
  const api = new FakeNodeApi([
    { metadata: { name: 'old' }, spec: { podCIDR: '10.0.0.0/24', podCIDRs: ['10.0.0.0/24'] } },
    { metadata: { name: 'new-a' }, spec: {} },
  ]);
  const ctx = api.context('10.0.0.0/23');
  const stop = new AbortController();
  const running = new NodeIpamController(ctx).run(stop.signal);
  ctx.informers.start(stop.signal);
  try {
    await until(() => api.patches.length === 1);
    // The subnet of the node that had one is never handed out again: a restart rebuilt the map.
    assert.deepEqual(api.patches[0], { path: '/api/v1/nodes/new-a', body: { spec: { podCIDR: '10.0.1.0/24', podCIDRs: ['10.0.1.0/24'] } } });
    api.send('ADDED', { metadata: { name: 'new-b' }, spec: {} });
    await until(() => api.events.length === 1);
    assert.deepEqual(api.events, ['Normal CIDRNotAvailable Node new-b status is now: CIDRNotAvailable']);
    assert.equal(api.patches.length, 1);
    api.send('DELETED', { metadata: { name: 'old' }, spec: { podCIDR: '10.0.0.0/24', podCIDRs: ['10.0.0.0/24'] } });
    await until(() => api.patches.length === 2);
    assert.deepEqual(api.patches[1], { path: '/api/v1/nodes/new-b', body: { spec: { podCIDR: '10.0.0.0/24', podCIDRs: ['10.0.0.0/24'] } } });
  } finally {
    stop.abort();
    await running;
  }
});
