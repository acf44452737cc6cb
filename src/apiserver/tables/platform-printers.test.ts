import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiServicePrinter,
  csiDriverPrinter,
  csiNodePrinter,
  flowSchemaPrinter,
  ipAddressPrinter,
  mutatingWebhookPrinter,
  priorityLevelPrinter,
  runtimeClassPrinter,
  serviceCIDRPrinter,
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter,
  volumeAttachmentPrinter,
} from './platform-printers.js';
import { buildTable } from './table.js';

const now = new Date('2026-03-01T12:00:00Z');
const meta = (name: string) => ({ name, creationTimestamp: '2026-03-01T11:00:00Z' });

test('admission configuration tables', () => {
  assert.deepEqual(mutatingWebhookPrinter.row({ metadata: meta('inject'), webhooks: [{ name: 'a' }, { name: 'b' }] }, now), ['inject', 2, '60m']);
  const policy = { metadata: meta('replicas'), spec: { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: [{ expression: 'true' }] } };
  assert.deepEqual(validatingAdmissionPolicyPrinter.row(policy, now), ['replicas', 1, 'v1/ConfigMap', '60m']);
  assert.deepEqual(validatingAdmissionPolicyPrinter.row({ metadata: meta('p') }, now)[2], '<unset>');
  const binding = (paramRef: unknown) => ({ metadata: meta('b'), spec: { policyName: 'replicas', paramRef } });
  assert.equal(validatingAdmissionPolicyBindingPrinter.row(binding({ name: 'limits', namespace: 'prod' }), now)[2], 'prod/limits');
  assert.equal(validatingAdmissionPolicyBindingPrinter.row(binding({ name: 'limits' }), now)[2], '*/limits');
  assert.equal(
    validatingAdmissionPolicyBindingPrinter.row(
      binding({ selector: { matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] } }),
      now,
    )[2],
    '&LabelSelector{MatchLabels:map[string]string{env: prod,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[a b],},},}',
  );
  assert.equal(validatingAdmissionPolicyBindingPrinter.row(binding(undefined), now)[2], '<unset>');
});

test('api services', () => {
  assert.deepEqual(apiServicePrinter.row({ metadata: meta('v1.'), status: { conditions: [{ type: 'Available', status: 'True', reason: 'Local' }] } }, now), [
    'v1.',
    'Local',
    'True',
    '60m',
  ]);
  const remote = {
    metadata: meta('v1beta1.metrics.k8s.io'),
    spec: { service: { namespace: 'kube-system', name: 'metrics-server' } },
    status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] },
  };
  assert.deepEqual(apiServicePrinter.row(remote, now), ['v1beta1.metrics.k8s.io', 'kube-system/metrics-server', 'False (MissingEndpoints)', '60m']);
  assert.equal(apiServicePrinter.row({ metadata: meta('x') }, now)[2], 'Unknown');
});

test('flow control: schemas sort by precedence in a list', () => {
  const fs = (name: string, precedence: number) => ({
    metadata: meta(name),
    spec: { priorityLevelConfiguration: { name: 'workload-low' }, matchingPrecedence: precedence, distinguisherMethod: { type: 'ByUser' } },
  });
  const table = buildTable('flowcontrol.apiserver.k8s.io', 'flowschemas', [fs('service-accounts', 9000), fs('exempt', 1), fs('catch-all', 10000)], {
    includeObject: 'None',
    now,
    listMeta: {},
  });
  assert.deepEqual(
    (table['rows'] as { cells: unknown[] }[]).map((r) => r.cells[0]),
    ['exempt', 'service-accounts', 'catch-all'],
  );
  assert.deepEqual(flowSchemaPrinter.row(fs('exempt', 1), now), ['exempt', 'workload-low', 1, 'ByUser', '60m', '?']);
  const limited = {
    metadata: meta('workload-low'),
    spec: {
      type: 'Limited',
      limited: { nominalConcurrencyShares: 100, limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } } },
    },
  };
  assert.deepEqual(priorityLevelPrinter.row(limited, now), ['workload-low', 'Limited', 100, 128, 6, 50, '60m']);
  assert.deepEqual(priorityLevelPrinter.row({ metadata: meta('exempt'), spec: { type: 'Exempt' } }, now), [
    'exempt',
    'Exempt',
    '<none>',
    '<none>',
    '<none>',
    '<none>',
    '60m',
  ]);
});

test('node and storage plumbing', () => {
  assert.deepEqual(runtimeClassPrinter.row({ metadata: meta('gvisor'), handler: 'runsc' }, now), ['gvisor', 'runsc', '60m']);
  assert.deepEqual(csiNodePrinter.row({ metadata: meta('node-a'), spec: { drivers: [{ name: 'x' }] } }, now), ['node-a', 1, '60m']);
  assert.deepEqual(csiDriverPrinter.row({ metadata: meta('csi.example.com'), spec: { volumeLifecycleModes: ['Persistent', 'Ephemeral'] } }, now), [
    'csi.example.com',
    true,
    false,
    false,
    '<unset>',
    false,
    'Persistent,Ephemeral',
    '60m',
  ]);
  const va = {
    metadata: meta('csi-123'),
    spec: { attacher: 'csi.example.com', nodeName: 'node-a', source: { persistentVolumeName: 'pv-1' } },
    status: { attached: true },
  };
  assert.deepEqual(volumeAttachmentPrinter.row(va, now), ['csi-123', 'csi.example.com', 'pv-1', 'node-a', true, '60m']);
});

test('service CIDRs and IP addresses', () => {
  assert.deepEqual(serviceCIDRPrinter.row({ metadata: meta('kubernetes'), spec: { cidrs: ['10.43.0.0/16', 'fd00:43::/108'] } }, now), [
    'kubernetes',
    '10.43.0.0/16,fd00:43::/108',
    '60m',
  ]);
  const ip = { metadata: meta('10.43.0.10'), spec: { parentRef: { group: '', resource: 'services', namespace: 'kube-system', name: 'kube-dns' } } };
  assert.deepEqual(ipAddressPrinter.row(ip, now), ['10.43.0.10', 'services/kube-system/kube-dns']);
});
