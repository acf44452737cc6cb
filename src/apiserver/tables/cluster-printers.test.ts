import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  certificateSigningRequestPrinter,
  eventPrinter,
  eventsApiEventPrinter,
  leasePrinter,
  namespacePrinter,
  nodePrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  priorityClassPrinter,
  storageClassPrinter,
} from './cluster-printers.js';

const now = new Date('2026-03-01T12:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: '2026-02-20T12:00:00Z', ...extra });

test('namespaces', () => {
  assert.deepEqual(namespacePrinter.row({ metadata: meta('default'), status: { phase: 'Active' } }, now), ['default', 'Active', '9d']);
});

test('nodes: status, roles, version and wide columns', () => {
  const node = {
    metadata: meta('cp-1', { labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '', 'kubernetes.io/role': 'etcd' } }),
    spec: { unschedulable: true },
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
      addresses: [
        { type: 'Hostname', address: 'cp-1' },
        { type: 'InternalIP', address: '192.168.1.10' },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.35.0',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0-18-amd64',
        containerRuntimeVersion: 'containerd://2.0.0',
      },
    },
  };
  assert.deepEqual(nodePrinter.row(node, now), [
    'cp-1',
    'Ready,SchedulingDisabled',
    'control-plane,etcd,master',
    '9d',
    'v1.35.0',
    '192.168.1.10',
    '<none>',
    'Debian GNU/Linux 12 (bookworm)',
    '6.1.0-18-amd64',
    'containerd://2.0.0',
  ]);
  assert.deepEqual(nodePrinter.row({ metadata: meta('new') }, now), [
    'new',
    'Unknown',
    '<none>',
    '9d',
    '',
    '<none>',
    '<none>',
    '<unknown>',
    '<unknown>',
    '<unknown>',
  ]);
  assert.equal(nodePrinter.row({ metadata: meta('sick'), status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }, now)[1], 'NotReady');
});

test('core events', () => {
  const ev = {
    metadata: meta('web-0.17a1', { namespace: 'default' }),
    involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container\n',
    source: { component: 'kubelet', host: 'node-a' },
    firstTimestamp: '2026-03-01T11:00:00Z',
    lastTimestamp: '2026-03-01T11:58:00Z',
    count: 12,
    type: 'Warning',
  };
  assert.deepEqual(eventPrinter.row(ev, now), [
    '2m',
    'Warning',
    'BackOff',
    'pod/web-0',
    'spec.containers{app}',
    'kubelet, node-a',
    'Back-off restarting failed container',
    '60m',
    12,
    'web-0.17a1',
  ]);
  assert.deepEqual(
    eventPrinter.columns.map((c) => `${c.name}:${c.priority}`),
    ['Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1'],
  );
});

test('events without legacy timestamps fall back to eventTime and series', () => {
  const ev = {
    metadata: meta('e1', { namespace: 'default' }),
    involvedObject: { kind: 'Node' },
    reason: 'Starting',
    message: 'Starting kubelet.',
    eventTime: '2026-03-01T11:59:29.523456Z',
    reportingComponent: 'kubelet',
    reportingInstance: 'node-a',
    type: 'Normal',
  };
  assert.deepEqual(eventPrinter.row(ev, now), ['30s', 'Normal', 'Starting', 'node', '', 'kubelet, node-a', 'Starting kubelet.', '30s', 1, 'e1']);
  const series = { ...ev, series: { count: 7, lastObservedTime: '2026-03-01T11:59:50.000000Z' } };
  assert.deepEqual(eventPrinter.row(series, now).slice(0, 1).concat(eventPrinter.row(series, now).slice(8, 9)), ['10s', 7]);
});

test('events.k8s.io events read regarding and note', () => {
  const ev = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: meta('web.1', { namespace: 'default' }),
    eventTime: '2026-03-01T11:59:00.000000Z',
    reportingController: 'default-scheduler',
    reportingInstance: 'default-scheduler-cp-1',
    action: 'Binding',
    reason: 'Scheduled',
    regarding: { kind: 'Pod', namespace: 'default', name: 'web-0' },
    note: 'Successfully assigned default/web-0 to node-a',
    type: 'Normal',
  };
  assert.deepEqual(eventsApiEventPrinter.row(ev, now), [
    '60s',
    'Normal',
    'Scheduled',
    'pod/web-0',
    '',
    'default-scheduler, default-scheduler-cp-1',
    'Successfully assigned default/web-0 to node-a',
    '60s',
    1,
    'web.1',
  ]);
});

test('leases, priority classes and CSRs', () => {
  assert.deepEqual(leasePrinter.row({ metadata: meta('kube-scheduler'), spec: { holderIdentity: 'cp-1_abc' } }, now), ['kube-scheduler', 'cp-1_abc', '9d']);
  assert.deepEqual(leasePrinter.row({ metadata: meta('free'), spec: {} }, now)[1], '');
  assert.deepEqual(priorityClassPrinter.row({ metadata: meta('system-node-critical'), value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' }, now), [
    'system-node-critical',
    2000001000,
    false,
    '9d',
    'PreemptLowerPriority',
  ]);
  const csr = {
    metadata: meta('csr-abc'),
    spec: { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', username: 'system:node:node-a', expirationSeconds: 86400 },
    status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' },
  };
  assert.deepEqual(certificateSigningRequestPrinter.row(csr, now), [
    'csr-abc',
    '9d',
    'kubernetes.io/kube-apiserver-client-kubelet',
    'system:node:node-a',
    '24h',
    'Approved,Issued',
  ]);
  assert.deepEqual(certificateSigningRequestPrinter.row({ metadata: meta('p'), spec: { username: 'u' } }, now).slice(2), ['<none>', 'u', '<none>', 'Pending']);
  assert.equal(
    certificateSigningRequestPrinter.row(
      { metadata: meta('d'), status: { conditions: [{ type: 'Approved' }, { type: 'Denied' }, { type: 'Failed' }] } },
      now,
    )[5],
    'Denied,Failed',
  );
});

test('storage classes mark the default', () => {
  const sc = {
    metadata: meta('local-path', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
    provisioner: 'rancher.io/local-path',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
  assert.deepEqual(storageClassPrinter.row(sc, now), ['local-path (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '9d']);
});

test('persistent volumes and claims', () => {
  const pv = {
    metadata: meta('pvc-123'),
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      claimRef: { namespace: 'default', name: 'data' },
      storageClassName: 'local-path',
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Bound' },
  };
  assert.deepEqual(persistentVolumePrinter.row(pv, now), [
    'pvc-123',
    '1Gi',
    'RWO,RWX',
    'Delete',
    'Bound',
    'default/data',
    'local-path',
    '<unset>',
    '',
    '9d',
    'Filesystem',
  ]);
  const pvc = {
    metadata: meta('data', { namespace: 'default' }),
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      storageClassName: 'local-path',
      volumeName: 'pvc-123',
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } },
  };
  assert.deepEqual(persistentVolumeClaimPrinter.row(pvc, now), ['data', 'Bound', 'pvc-123', '1Gi', 'RWO', 'local-path', '<unset>', '9d', 'Filesystem']);
  const pending = { metadata: meta('new', { deletionTimestamp: '2026-03-01T11:00:00Z' }), spec: { storageClassName: 'fast' }, status: { phase: 'Pending' } };
  assert.deepEqual(persistentVolumeClaimPrinter.row(pending, now), ['new', 'Terminating', '', '', '', 'fast', '<unset>', '9d', '<unset>']);
});
