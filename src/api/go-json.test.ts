// Unit tests of the Go JSON shape: what encoding/json would write for kube's typed structs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { typeNameForKind } from './facts/index.js';
import { goJsonShape } from './go-json.js';

function typeOf(group: string, version: string, kind: string): string {
  const name = typeNameForKind(group, version, kind);
  assert.ok(name, `${kind} has type facts`);
  return name;
}

test('omitempty drops empty strings, false, zero, empty lists and maps; pointers keep their zero values', () => {
  const cm = goJsonShape(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', generateName: '', labels: {}, finalizers: [] }, data: {}, binaryData: {}, immutable: false },
    typeOf('', 'v1', 'ConfigMap'),
  );
  // immutable is *bool: false is a value, not an omission.
  assert.deepEqual(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, immutable: false });

  const deployment = goJsonShape(
    { metadata: { name: 'd' }, spec: { replicas: 0, paused: false, template: { metadata: {}, spec: { containers: [] } } } },
    typeOf('apps', 'v1', 'Deployment'),
  );
  const spec = deployment.spec as Record<string, unknown>;
  assert.equal(spec.replicas, 0, '*int32 zero stays');
  assert.equal('paused' in spec, false, 'omitempty bool goes');
  assert.deepEqual((spec.template as { spec: unknown }).spec, { containers: [] }, 'a list without omitempty stays even when empty');
});

test('non-pointer structs are always written, so status: {} appears', () => {
  const ns = goJsonShape({ metadata: { name: 'n' } }, typeOf('', 'v1', 'Namespace'));
  assert.deepEqual(ns, { metadata: { name: 'n' }, spec: {}, status: {} });
  const deployment = goJsonShape(
    { metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [] } } } },
    typeOf('apps', 'v1', 'Deployment'),
  );
  assert.deepEqual((deployment.spec as Record<string, unknown>).strategy, {});
  assert.deepEqual(deployment.status, {});
  const pod = goJsonShape({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', ports: [], env: [] }] } }, typeOf('', 'v1', 'Pod'));
  assert.deepEqual(pod.spec, { containers: [{ name: 'c', image: 'x', resources: {} }] });
});

test('zero times are null and non-omitempty scalars appear with their zero value, down nested lists', () => {
  const pod = goJsonShape(
    {
      metadata: { name: 'p' },
      spec: { containers: [] },
      status: { conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] },
    },
    typeOf('', 'v1', 'Pod'),
  );
  const status = pod.status as { conditions: Record<string, unknown>[]; containerStatuses: Record<string, unknown>[] };
  assert.deepEqual(status.conditions[0], { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: null });
  assert.deepEqual(status.containerStatuses[0], {
    name: 'c',
    ready: true,
    restartCount: 0,
    state: { running: { startedAt: null } },
    lastState: {},
    image: '',
    imageID: '',
  });

  const event = goJsonShape({ metadata: { name: 'e' }, involvedObject: {} }, typeOf('', 'v1', 'Event'));
  assert.equal(event.firstTimestamp, null);
  assert.equal(event.eventTime, null, 'MicroTime is null too');
  assert.equal(event.reportingComponent, '');
  // A set time is left alone.
  const set = goJsonShape({ metadata: { name: 'e' }, firstTimestamp: '2026-01-01T00:00:00Z' }, typeOf('', 'v1', 'Event'));
  assert.equal(set.firstTimestamp, '2026-01-01T00:00:00Z');
});

test('unknown types and fields outside the type are left as they are', () => {
  const obj = { metadata: { name: 'x', labels: {} }, extra: '' };
  assert.deepEqual(goJsonShape(structuredClone(obj), 'no.such.Type'), obj);
  const cm = goJsonShape({ metadata: { name: 'c' }, notAField: '' }, typeOf('', 'v1', 'ConfigMap'));
  assert.equal(cm.notAField, '');
});
