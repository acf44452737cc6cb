// Unit tests of REST paths as client-go builds them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gvr } from './gvr.js';
import { groupVersionPath, resourcePath } from './resource-path.js';

test('core objects under /api, others under /apis, names and namespaces encoded', () => {
  assert.equal(resourcePath(gvr.pods, 'ns', 'web-0', 'status'), '/api/v1/namespaces/ns/pods/web-0/status');
  assert.equal(resourcePath(gvr.nodes, undefined, 'a b'), '/api/v1/nodes/a%20b');
  assert.equal(resourcePath(gvr.leases, 'kube-node-lease'), '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases');
  assert.equal(resourcePath(gvr.deployments), '/apis/apps/v1/deployments');
});

test('discovery paths of a group and a group version', () => {
  assert.equal(groupVersionPath('', 'v1'), '/api/v1');
  assert.equal(groupVersionPath('apps', 'v1'), '/apis/apps/v1');
  assert.equal(groupVersionPath('metrics.k8s.io'), '/apis/metrics.k8s.io');
});
