// Unit tests of ClusterIP and NodePort allocation over the in-memory backend: addresses and ports
// are keys under /registry/ranges/, so collisions, releases and exhaustion show in the store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/index.js';
import { createMemoryBackend, type StorageBackend } from '../../storage/index.js';
import type { RequestContext } from '../registry/context.js';
import type { ObjectMap } from '../watch-cache.js';
import { parseCidr } from '../../net/index.js';
import { ServiceAllocation } from './service-allocation.js';

const ctx: RequestContext = { user: { name: 'admin', groups: [] }, dryRun: false, fieldManager: 'test', apiVersion: 'v1', warnings: [] };

async function withAllocation(
  cidr: string,
  ports: { min: number; max: number },
  fn: (a: ServiceAllocation, backend: StorageBackend) => Promise<void>,
): Promise<void> {
  const backend = createMemoryBackend();
  try {
    await fn(new ServiceAllocation(backend, { serviceCidr: parseCidr(cidr), nodePortRange: ports }), backend);
  } finally {
    await backend.close();
  }
}

const service = (name: string, spec: Record<string, unknown> = {}): ObjectMap => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec,
});
const specOf = (o: ObjectMap) => o.spec as { clusterIP?: string; clusterIPs?: string[]; ports?: { port: number; protocol?: string; nodePort?: number }[] };

async function heldKeys(backend: StorageBackend): Promise<string[]> {
  return (await backend.list('/registry/ranges/')).items.map((kv) => kv.key);
}

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

test('handles only core services', async () => {
  await withAllocation('10.96.0.0/24', { min: 30000, max: 30001 }, async (a) => {
    assert.equal(a.handles({ group: '', resource: 'services' } as never), true);
    assert.equal(a.handles({ group: '', resource: 'pods' } as never), false);
    assert.equal(a.handles({ group: 'example.com', resource: 'services' } as never), false);
  });
});

test('ClusterIPs come from the CIDR, never .1, the network or broadcast address, until the range is full', async () => {
  // 10.0.0.0/29: .0 is the network, .7 broadcast, .1 the kubernetes service: .2-.6 remain.
  await withAllocation('10.0.0.0/29', { min: 30000, max: 30001 }, async (a, backend) => {
    assert.equal(await a.reserveIp('10.0.0.1'), true);
    assert.equal(await a.reserveIp('10.0.0.1'), false, 'a reserved address cannot be taken twice');
    const got: string[] = [];
    for (let i = 0; i < 5; i++) {
      const svc = service(`s${i}`);
      await a.create(ctx, svc);
      const spec = specOf(svc);
      assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
      got.push(spec.clusterIP!);
    }
    assert.deepEqual([...got].sort(), ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    const err = await apiError(a.create(ctx, service('full')));
    assert.equal(err.code, 500);
    assert.equal(err.message, 'Internal error occurred: failed to allocate a serviceIP: range is full');
    // Deleting a service frees its address for the next one.
    await a.deleted(service('s0', { clusterIP: got[0], clusterIPs: [got[0]] }));
    const next = service('again');
    await a.create(ctx, next);
    assert.equal(specOf(next).clusterIP, got[0]);
    assert.equal((await heldKeys(backend)).length, 6);
  });
});

test('requested ClusterIPs are honoured once, checked against the range, and None and ExternalName take nothing', async () => {
  await withAllocation('10.96.0.0/24', { min: 30000, max: 30001 }, async (a, backend) => {
    const first = service('a', { clusterIP: '10.96.0.50' });
    await a.create(ctx, first);
    assert.deepEqual(specOf(first).clusterIPs, ['10.96.0.50']);
    const fromList = service('b', { clusterIPs: ['10.96.0.51'] });
    await a.create(ctx, fromList);
    assert.equal(specOf(fromList).clusterIP, '10.96.0.51');

    let err = await apiError(a.create(ctx, service('dup', { clusterIP: '10.96.0.50' })));
    assert.equal(err.code, 422);
    assert.equal(
      err.message,
      'Service "dup" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.50"}: failed to allocate IP 10.96.0.50: provided IP is already allocated',
    );
    err = await apiError(a.create(ctx, service('out', { clusterIP: '10.97.0.5' })));
    assert.equal(err.code, 422);
    assert.match(err.message, /^Service "out" is invalid: spec\.clusterIPs: Invalid value: \[\]string\{"10\.97\.0\.5"\}: failed to allocate IP 10\.97\.0\.5: /);
    assert.match(err.message, /: the provided IP \(10\.97\.0\.5\) is not in the valid range\. The range of valid IPs is 10\.96\.0\.0\/24$/);

    const headless = service('h', { clusterIP: 'None' });
    await a.create(ctx, headless);
    assert.deepEqual(specOf(headless).clusterIPs, ['None']);
    const external = service('e', { type: 'ExternalName', externalName: 'example.com' });
    await a.create(ctx, external);
    assert.equal(specOf(external).clusterIP, undefined);
    assert.deepEqual(await heldKeys(backend), ['/registry/ranges/serviceips/10.96.0.50', '/registry/ranges/serviceips/10.96.0.51']);
    // Headless services release nothing on delete.
    await a.deleted(headless);
    assert.equal((await heldKeys(backend)).length, 2);
  });
});

test('NodePorts come from the range, keep their number across updates, and are released on delete', async () => {
  await withAllocation('10.96.0.0/24', { min: 30000, max: 30002 }, async (a, backend) => {
    const svc = service('np', {
      type: 'NodePort',
      ports: [
        { port: 80, protocol: 'TCP' },
        { port: 443, protocol: 'TCP', nodePort: 30001 },
      ],
    });
    await a.create(ctx, svc);
    const [http, https] = specOf(svc).ports!;
    assert.equal(https?.nodePort, 30001);
    assert.ok(http?.nodePort === 30000 || http?.nodePort === 30002, `got ${String(http?.nodePort)}`);

    // An update that drops the node ports gets the same ones back, and the ClusterIP too.
    const updated = service('np', {
      type: 'NodePort',
      ports: [
        { port: 80, protocol: 'TCP' },
        { port: 443, protocol: 'TCP', nodePort: 30001 },
      ],
    });
    await a.update(ctx, updated, svc);
    assert.deepEqual(
      specOf(updated).ports!.map((p) => p.nodePort),
      [http?.nodePort, 30001],
    );
    assert.equal(specOf(updated).clusterIP, specOf(svc).clusterIP);

    let err = await apiError(a.create(ctx, service('taken', { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] })));
    assert.equal(err.message, 'Service "taken" is invalid: spec.ports[0].nodePort: Invalid value: 30001: provided port is already allocated');
    err = await apiError(a.create(ctx, service('outside', { type: 'NodePort', ports: [{ port: 80 }, { port: 81, nodePort: 31000 }] })));
    assert.equal(
      err.message,
      'Service "outside" is invalid: spec.ports[1].nodePort: Invalid value: 31000: provided port is not in the valid range. The range of valid ports is 30000-30002',
    );
    // Failed creates give back what they took: one port is left, and one more service takes it.
    const last = service('last', { type: 'LoadBalancer', ports: [{ port: 80 }] });
    await a.create(ctx, last);
    err = await apiError(a.create(ctx, service('none-left', { type: 'NodePort', ports: [{ port: 80 }] })));
    assert.equal(err.code, 500);
    assert.equal(err.message, 'Internal error occurred: failed to allocate a nodePort: range is full');
    const ipsBefore = (await heldKeys(backend)).filter((k) => k.includes('serviceips')).length;
    assert.equal(ipsBefore, 2, 'the failed creates released their ClusterIPs');

    await a.deleted(updated);
    const keys = await heldKeys(backend);
    assert.deepEqual(
      keys.filter((k) => k.includes('nodeports')),
      [`/registry/ranges/servicenodeports/${String(specOf(last).ports![0]!.nodePort)}`],
    );
  });
});

test('the undo of a create releases everything it allocated', async () => {
  await withAllocation('10.96.0.0/24', { min: 30000, max: 30005 }, async (a, backend) => {
    const svc = service('u', { type: 'NodePort', ports: [{ port: 80 }, { port: 81 }] });
    const undo = await a.create(ctx, svc);
    assert.equal((await heldKeys(backend)).length, 3);
    await undo?.();
    assert.deepEqual(await heldKeys(backend), []);
  });
});
