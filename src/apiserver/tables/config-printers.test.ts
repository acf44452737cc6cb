import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clusterRoleBindingPrinter,
  configMapPrinter,
  resourceQuotaPrinter,
  roleBindingPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './config-printers.js';

const now = new Date('2026-03-01T12:00:00Z');
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: '2026-03-01T08:30:00Z' });

test('config maps, secrets and service accounts count their entries', () => {
  assert.deepEqual(configMapPrinter.row({ metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, now), ['cfg', 3, '3h30m']);
  assert.deepEqual(configMapPrinter.row({ metadata: meta('empty') }, now), ['empty', 0, '3h30m']);
  assert.deepEqual(secretPrinter.row({ metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }, now), [
    'tls',
    'kubernetes.io/tls',
    2,
    '3h30m',
  ]);
  assert.deepEqual(serviceAccountPrinter.row({ metadata: meta('default') }, now), ['default', 0, '3h30m']);
});

test('resource quotas split requests and limits', () => {
  const rq = {
    metadata: meta('compute'),
    status: {
      hard: { 'limits.memory': '2Gi', 'requests.cpu': '1', pods: '10', 'limits.cpu': '2' },
      used: { 'requests.cpu': '500m', pods: '3', 'limits.cpu': '1' },
    },
  };
  assert.deepEqual(resourceQuotaPrinter.row(rq, now), ['compute', 'pods: 3/10, requests.cpu: 500m/1', 'limits.cpu: 1/2, limits.memory: 0/2Gi', '3h30m']);
});

test('role bindings list subjects by kind', () => {
  const rb = {
    metadata: meta('view'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [
      { kind: 'User', name: 'alice' },
      { kind: 'User', name: 'bob' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', namespace: 'ci', name: 'runner' },
    ],
  };
  assert.deepEqual(roleBindingPrinter.row(rb, now), ['view', 'ClusterRole/view', '3h30m', 'alice, bob', 'devs', 'ci/runner']);
  assert.deepEqual(clusterRoleBindingPrinter.row({ metadata: meta('admin'), roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } }, now), [
    'admin',
    'ClusterRole/cluster-admin',
    '3h30m',
    '',
    '',
    '',
  ]);
  assert.deepEqual(
    roleBindingPrinter.columns.map((c) => c.priority),
    [0, 0, 0, 1, 1, 1],
  );
});
