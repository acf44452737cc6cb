import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gvr, type KubeObject } from '../../client/index.js';
import { OwnerGraph, nodeOf } from './owner-graph.js';

function obj(uid: string, owners: { uid: string; block?: boolean }[] = [], extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    metadata: {
      name: `n-${uid}`,
      namespace: 'ns',
      uid,
      ownerReferences: owners.map((o) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: `n-${o.uid}`,
        uid: o.uid,
        ...(o.block ? { blockOwnerDeletion: true } : {}),
      })),
      ...extra,
    },
  };
}
const node = (o: KubeObject) => nodeOf(o, gvr.configMaps, 'ConfigMap');

test('a dependent whose owner was never seen is checked; one with a seen owner is not', () => {
  const g = new OwnerGraph();
  assert.deepEqual(g.upsert(node(obj('owner'))), { attemptToDelete: [], attemptToOrphan: [] });
  assert.deepEqual(g.upsert(node(obj('dep', [{ uid: 'owner' }]))).attemptToDelete, []);
  assert.deepEqual(g.upsert(node(obj('stray', [{ uid: 'missing' }]))).attemptToDelete, ['stray']);
  assert.deepEqual(
    g.dependents('owner').map((d) => d.uid),
    ['dep'],
  );
});

test('deleting an owner asks for its dependents; deleting a blocking dependent asks for its waiting owner', () => {
  const g = new OwnerGraph();
  g.upsert(node(obj('owner')));
  g.upsert(node(obj('a', [{ uid: 'owner', block: true }])));
  g.upsert(node(obj('b', [{ uid: 'owner' }])));
  // The owner enters foreground deletion: every dependent and the owner itself are looked at.
  const fg = g.upsert(node(obj('owner', [], { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] })));
  assert.deepEqual(fg.attemptToDelete.sort(), ['a', 'b', 'owner']);
  assert.deepEqual(
    g.blockingDependents('owner').map((d) => d.uid),
    ['a'],
  );
  assert.deepEqual(g.remove('a').attemptToDelete, ['owner']);
  assert.deepEqual(g.blockingDependents('owner'), []);
  assert.deepEqual(g.remove('owner').attemptToDelete, ['b']);
  assert.deepEqual(g.remove('owner').attemptToDelete, [], 'a second delete is a no-op');
});

test('an owner deleted with the orphan policy is orphaned once', () => {
  const g = new OwnerGraph();
  const orphaning = obj('owner', [], { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['orphan'] });
  assert.deepEqual(g.upsert(node(orphaning)).attemptToOrphan, ['owner']);
  assert.deepEqual(g.upsert(node({ ...orphaning, metadata: { ...orphaning.metadata, labels: { x: 'y' } } })).attemptToOrphan, []);
});

test('a dependent that stops blocking releases a waiting owner; dropped references unlink', () => {
  const g = new OwnerGraph();
  g.upsert(node(obj('owner', [], { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] })));
  // A new dependent of an owner in foreground deletion is looked at at once.
  assert.deepEqual(g.upsert(node(obj('dep', [{ uid: 'owner', block: true }]))).attemptToDelete, ['dep']);
  assert.deepEqual(g.upsert(node(obj('dep', [{ uid: 'owner' }]))).attemptToDelete, ['owner']);
  assert.deepEqual(g.upsert(node(obj('dep'))).attemptToDelete, []);
  assert.deepEqual(g.dependents('owner'), []);
});

test("owners seen alive: present, same name and kind, not being deleted, in the dependent's namespace or cluster-scoped", () => {
  const g = new OwnerGraph();
  const dep = node(obj('dep', [{ uid: 'owner' }]));
  assert.equal(g.ownersSeenAlive(dep), false);
  g.upsert(node(obj('owner')));
  assert.equal(g.ownersSeenAlive(dep), true);
  g.upsert(node(obj('owner', [], { namespace: 'elsewhere' })));
  assert.equal(g.ownersSeenAlive(dep), false);
  g.upsert(node(obj('owner', [], { namespace: '' })));
  assert.equal(g.ownersSeenAlive(dep), true, 'a cluster-scoped owner');
  g.upsert(node(obj('owner', [], { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] })));
  assert.equal(g.ownersSeenAlive(dep), false);
  g.upsert(node(obj('owner', [], { name: 'renamed' })));
  assert.equal(g.ownersSeenAlive(dep), false);
});
