import { test } from 'node:test';
import assert from 'node:assert/strict';
import { customResourcePrinter, parseColumnPath } from './custom-resource-printer.js';
import { buildTable } from './table.js';

const now = new Date('2026-03-01T12:00:00Z');
const certificate = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'web-tls', namespace: 'default', creationTimestamp: '2026-03-01T10:00:00Z', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { secretName: 'web-tls', dnsNames: ['a.example.com'], replicas: 3, ratio: 0.5 },
  status: {
    conditions: [
      { type: 'Issuing', status: 'False' },
      { type: 'Ready', status: 'True' },
    ],
    notAfter: '2026-02-28T12:00:00Z',
  },
};

test('declared columns read their JSONPath and convert by type', () => {
  const printer = customResourcePrinter([
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Secret', type: 'string', jsonPath: '.spec.secretName' },
    { name: 'Names', type: 'string', jsonPath: '.spec.dnsNames', priority: 1 },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio' },
    { name: 'App', type: 'string', jsonPath: '.metadata.labels.app\\.kubernetes\\.io/name' },
    { name: 'Expired', type: 'date', jsonPath: '.status.notAfter' },
    { name: 'Missing', type: 'string', jsonPath: '.status.nothing' },
    { name: 'Wrong', type: 'boolean', jsonPath: '.spec.secretName' },
  ]);
  assert.deepEqual(printer.row(certificate, now), ['web-tls', 'True', 'web-tls', '["a.example.com"]', 3, 0.5, 'web', '24h', null, null]);
  assert.deepEqual(
    printer.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Secret', 'string', 0],
      ['Names', 'string', 1],
      ['Replicas', 'integer', 0],
      ['Ratio', 'number', 0],
      ['App', 'string', 0],
      ['Expired', 'date', 0],
      ['Missing', 'string', 0],
      ['Wrong', 'boolean', 0],
    ],
  );
});

test('no declared columns means Name and Age', () => {
  const table = buildTable('cert-manager.io', 'certificates', [certificate], { includeObject: 'Metadata', now, listMeta: {}, customColumns: [] });
  assert.deepEqual(
    (table['columnDefinitions'] as { name: string; type: string }[]).map((c) => [c.name, c.type]),
    [
      ['Name', 'string'],
      ['Age', 'date'],
    ],
  );
  assert.deepEqual((table['rows'] as { cells: unknown[] }[])[0]!.cells, ['web-tls', '120m']);
  assert.deepEqual(buildTable('cert-manager.io', 'certificates', [], { includeObject: 'Metadata', now, listMeta: {}, customColumns: [] })['rows'], []);
});

test('path parsing', () => {
  assert.deepEqual(parseColumnPath('.spec.items[0].name'), [
    { kind: 'field', name: 'spec' },
    { kind: 'field', name: 'items' },
    { kind: 'index', index: 0 },
    { kind: 'field', name: 'name' },
  ]);
  assert.deepEqual(parseColumnPath("{.metadata['name']}"), [
    { kind: 'field', name: 'metadata' },
    { kind: 'field', name: 'name' },
  ]);
  assert.equal(parseColumnPath('spec'), undefined);
});
