import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controllerEnabled } from './index.js';

test('--controllers as kube-controller-manager reads it', () => {
  assert.ok(controllerEnabled('deployment-controller'));
  assert.ok(controllerEnabled('deployment-controller', ['*']));
  assert.ok(!controllerEnabled('deployment-controller', ['*', '-deployment-controller']));
  assert.ok(controllerEnabled('replicaset-controller', ['*', '-deployment-controller']));
  assert.ok(!controllerEnabled('replicaset-controller', ['namespace-controller']));
  assert.ok(controllerEnabled('namespace-controller', ['namespace-controller']));
  assert.ok(!controllerEnabled('replicationcontroller-controller', ['*', '-replicationcontroller']), 'short names of older releases');
  assert.ok(controllerEnabled('deployment-controller', ['deployment']));
});
