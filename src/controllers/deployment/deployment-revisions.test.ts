import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxRevision, setDeploymentRevision, setNewReplicaSetAnnotations } from './deployment-revisions.js';
import type { DeploymentObject, ReplicaSetObject } from '../shared/index.js';

const d: DeploymentObject = {
  metadata: {
    name: 'web',
    annotations: {
      'kubernetes.io/change-cause': 'set image',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'deployment.kubernetes.io/revision': '2',
    },
  },
  spec: { replicas: 3, selector: {}, template: {} },
};

test('a new ReplicaSet gets the revision, the copied annotations and its replica annotations', () => {
  const rs: ReplicaSetObject = { metadata: { name: 'web-1' } };
  assert.ok(setNewReplicaSetAnnotations(d, rs, 3, false, 1));
  assert.deepEqual(rs.metadata.annotations, {
    'kubernetes.io/change-cause': 'set image',
    'deployment.kubernetes.io/revision': '3',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
  });
  assert.ok(!setNewReplicaSetAnnotations(d, rs, 3, true, 1), 'nothing left to change');
});

test('a rolled-back-to ReplicaSet records the revisions it served', () => {
  const rs: ReplicaSetObject = { metadata: { name: 'web-1', annotations: { 'deployment.kubernetes.io/revision': '1' } } };
  setNewReplicaSetAnnotations(d, rs, 3, true, 1);
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
  setNewReplicaSetAnnotations(d, rs, 5, true, 1);
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1,3');
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '5');
  assert.equal(maxRevision([rs, { metadata: { name: 'x' } }]), 5);
});

test('the Deployment carries the latest revision', () => {
  const copy = structuredClone(d);
  assert.ok(setDeploymentRevision(copy, 3));
  assert.ok(!setDeploymentRevision(copy, 3));
  assert.equal(copy.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
});
