import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTable, tableColumns, tableRow } from './table.js';

const now = new Date('2026-03-01T12:00:00Z');
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'done', namespace: 'default', uid: 'u1', resourceVersion: '41', creationTimestamp: '2026-03-01T11:59:00Z', labels: { app: 'job' } },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
  status: { phase: 'Succeeded', containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
};

test('a pod list table with PartialObjectMetadata rows and list metadata', () => {
  const table = buildTable('', 'pods', [pod], { includeObject: 'Metadata', now, listMeta: { resourceVersion: '42', continue: 'abc', remainingItemCount: 3 } });
  assert.equal(table['kind'], 'Table');
  assert.equal(table['apiVersion'], 'meta.k8s.io/v1');
  assert.deepEqual(table['metadata'], { resourceVersion: '42', continue: 'abc', remainingItemCount: 3 });
  const columns = table['columnDefinitions'] as { name: string; format: string }[];
  assert.deepEqual(
    columns.map((c) => c.name),
    ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates'],
  );
  assert.equal(columns[0]!.format, 'name');
  assert.deepEqual(table['rows'], [
    {
      cells: ['done', '0/1', 'Completed', '0', '60s', '<none>', '<none>', '<none>', '<none>'],
      conditions: [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata },
    },
  ]);
});

test('includeObject Object embeds the object, None leaves null, omitColumns drops headers', () => {
  const full = buildTable('', 'pods', [pod], { includeObject: 'Object', now, listMeta: {} });
  assert.deepEqual((full['rows'] as { object: unknown }[])[0]!.object, pod);
  assert.deepEqual(full['metadata'], {});
  const none = buildTable('', 'pods', [pod], { includeObject: 'None', now, listMeta: {}, omitColumns: true });
  assert.equal((none['rows'] as { object: unknown }[])[0]!.object, null);
  assert.equal(none['columnDefinitions'], null);
});

test('resources without a printer get Name and Created At', () => {
  const role = { metadata: { name: 'reader', namespace: 'default', creationTimestamp: '2026-02-01T08:30:00Z' } };
  assert.deepEqual(
    tableColumns('rbac.authorization.k8s.io', 'roles').map((c) => [c.name, c.type, c.format]),
    [
      ['Name', 'string', 'name'],
      ['Created At', 'date', ''],
    ],
  );
  assert.deepEqual(tableRow('rbac.authorization.k8s.io', 'roles', role, now), ['reader', '2026-02-01T08:30:00Z']);
  assert.deepEqual(tableRow('', 'limitranges', { metadata: { name: 'lr', creationTimestamp: '2026-02-01T08:30:00.000Z' } }, now), [
    'lr',
    '2026-02-01T08:30:00Z',
  ]);
  assert.equal(buildTable('example.com', 'widgets', [], { includeObject: 'Metadata', now, listMeta: { resourceVersion: '7' } })['rows'], null);
  assert.deepEqual(buildTable('', 'pods', [], { includeObject: 'Metadata', now, listMeta: {} })['rows'], []);
});

test('every column definition carries all five fields', () => {
  for (const [group, resource] of [
    ['', 'pods'],
    ['apps', 'deployments'],
    ['', 'events'],
    ['x', 'y'],
  ] as const) {
    for (const c of tableColumns(group, resource)) assert.deepEqual(Object.keys(c).sort(), ['description', 'format', 'name', 'priority', 'type']);
  }
});
