import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from './kube-object.js';
import { ObjectStore } from './object-store.js';

type Pod = KubeObject & { spec?: { nodeName?: string } };

const pod = (ns: string, name: string, node: string, owner?: string): Pod => ({
  metadata: {
    namespace: ns,
    name,
    resourceVersion: '1',
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner }] } : {}),
  },
  spec: { nodeName: node },
});

describe('ObjectStore', () => {
  test('keys, namespace and owner indexes, and custom indexes follow updates and removals', () => {
    const s = new ObjectStore<Pod>();
    s.addIndex('byNode', (p) => [p.spec?.nodeName ?? '']);
    s.upsert(pod('a', 'p1', 'n1', 'u1'));
    s.upsert(pod('a', 'p2', 'n1'));
    s.upsert(pod('b', 'p1', 'n2', 'u1'));
    assert.equal(s.size, 3);
    assert.equal(s.get('a/p1')?.metadata.name, 'p1');
    assert.deepEqual(
      s
        .listNamespace('a')
        .map((p) => p.metadata.name)
        .sort(),
      ['p1', 'p2'],
    );
    assert.deepEqual(
      s
        .byIndex('owner', 'u1')
        .map((p) => p.metadata.namespace)
        .sort(),
      ['a', 'b'],
    );
    assert.equal(s.byIndex('node', 'n1').length, 2);
    assert.equal(s.byIndex('byNode', 'n1').length, 2);
    const old = s.upsert(pod('a', 'p2', 'n2'));
    assert.equal(old?.spec?.nodeName, 'n1');
    assert.equal(s.byIndex('node', 'n1').length, 1);
    assert.equal(s.byIndex('node', 'n2').length, 2);
    assert.equal(s.remove('b/p1')?.metadata.namespace, 'b');
    assert.deepEqual(
      s.byIndex('owner', 'u1').map((p) => p.metadata.namespace),
      ['a'],
    );
    assert.equal(s.remove('b/p1'), undefined);
    assert.deepEqual(s.byIndex('node', 'nowhere'), []);
    assert.throws(() => s.byIndex('missing', 'x'), /no index named missing/);
  });

  test('an index added later covers the objects already stored', () => {
    const s = new ObjectStore<Pod>();
    s.upsert(pod('a', 'p1', 'n1'));
    s.addIndex('byNode', (p) => [p.spec?.nodeName ?? '']);
    assert.equal(s.byIndex('byNode', 'n1').length, 1);
  });
});
