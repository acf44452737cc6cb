import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findResource } from '../../api/index.js';
import type { ObjectMap } from '../watch-cache.js';
import { LimitRanger } from './limit-ranger.js';

const pods = findResource('', 'v1', 'pods')!;
const claims = findResource('', 'v1', 'persistentvolumeclaims')!;

const range = (limits: unknown[]): ObjectMap => ({ metadata: { name: 'lr', namespace: 'ns' }, spec: { limits } });
const pod = (resources: unknown = {}): ObjectMap => ({
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'web', image: 'nginx', resources }] },
  status: { phase: 'Pending', qosClass: 'BestEffort' },
});

async function refused(plugin: LimitRanger, obj: ObjectMap, r = pods): Promise<string> {
  try {
    await plugin.create({}, obj, r);
  } catch (err) {
    assert.equal((err as { code?: number }).code, 403);
    return (err as Error).message;
  }
  assert.fail('admitted');
}

describe('LimitRanger admission', () => {
  test('fills container defaults, annotates what it set and recomputes the QoS class', async () => {
    const plugin = new LimitRanger(() => [
      range([{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '250m', memory: '256Mi' } }]),
    ]);
    const p = pod({ limits: { memory: '512Mi' } });
    await plugin.create({}, p, pods);
    const c = (p.spec as { containers: Array<{ resources: { requests: object; limits: object } }> }).containers[0]!;
    assert.deepEqual(c.resources.limits, { memory: '512Mi', cpu: '500m' });
    assert.deepEqual(c.resources.requests, { cpu: '250m', memory: '256Mi' });
    assert.equal(
      (p.metadata as { annotations: Record<string, string> }).annotations['kubernetes.io/limit-ranger'],
      'LimitRanger plugin set: cpu, memory request for container web; cpu limit for container web',
    );
    assert.equal((p.status as { qosClass: string }).qosClass, 'Burstable');
  });

  test('refuses containers and pods outside min, max and ratio with kube messages', async () => {
    const plugin = new LimitRanger(() => [range([{ type: 'Container', max: { cpu: '1' }, min: { memory: '100Mi' }, maxLimitRequestRatio: { cpu: '2' } }])]);
    assert.equal(
      await refused(plugin, pod({ limits: { cpu: '2' }, requests: { cpu: '1', memory: '200Mi' } })),
      'pods "p" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    );
    assert.equal(
      await refused(plugin, pod({ limits: { cpu: '1' }, requests: { cpu: '200m', memory: '200Mi' } })),
      'pods "p" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000',
    );
    assert.equal(
      await refused(plugin, pod({ limits: { cpu: '1' }, requests: { cpu: '1' } })),
      'pods "p" is forbidden: minimum memory usage per Container is 100Mi.  No request is specified',
    );
    const podRange = new LimitRanger(() => [range([{ type: 'Pod', max: { memory: '1Gi' } }])]);
    const two = pod();
    (two.spec as { containers: unknown[] }).containers = [
      { name: 'a', resources: { limits: { memory: '768Mi' } } },
      { name: 'b', resources: { limits: { memory: '512Mi' } } },
    ];
    assert.equal(await refused(podRange, two), 'pods "p" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1280Mi');
    const both = pod({ limits: { cpu: '3' } });
    const several = new LimitRanger(() => [range([{ type: 'Container', max: { cpu: '1', memory: '1Gi' } }])]);
    assert.equal(
      await refused(several, both),
      'pods "p" is forbidden: [maximum cpu usage per Container is 1, but limit is 3, maximum memory usage per Container is 1Gi.  No limit is specified]',
    );
  });

  test('checks claims against PersistentVolumeClaim min and max, on create and resize', async () => {
    const plugin = new LimitRanger(() => [range([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '2Gi' } }])]);
    const claim = (storage: string): ObjectMap => ({
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'c', namespace: 'ns' },
      spec: { resources: { requests: { storage } } },
    });
    assert.equal(
      await refused(plugin, claim('5Gi'), claims),
      'persistentvolumeclaims "c" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi',
    );
    assert.equal(
      await refused(plugin, claim('500Mi'), claims),
      'persistentvolumeclaims "c" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi',
    );
    await plugin.create({}, claim('1536Mi'), claims);
    await assert.rejects(plugin.update({}, claim('3Gi'), claim('1Gi'), claims), /maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 3Gi/);
  });

  test('namespaces without a LimitRange are left alone', async () => {
    const plugin = new LimitRanger(() => []);
    const p = pod();
    await plugin.create({}, p, pods);
    assert.equal((p.metadata as { annotations?: unknown }).annotations, undefined);
  });
});
