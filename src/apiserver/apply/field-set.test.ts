import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FieldSet, pathString } from './field-set.js';

const fields = (v: unknown) => FieldSet.fromFieldsV1(v);

describe('FieldSet', () => {
  test('round-trips FieldsV1 with `.` for members that have children', () => {
    const v1 = { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } };
    const set = fields(v1);
    assert.deepEqual(set.toFieldsV1(), v1);
    assert.ok(set.has(['f:metadata', 'f:labels']));
    assert.ok(set.has(['f:spec', 'f:replicas']));
    assert.ok(!set.has(['f:spec']));
  });

  test('union, intersection and difference work node by node', () => {
    const a = fields({ 'f:data': { 'f:a': {}, 'f:b': {} } });
    const b = fields({ 'f:data': { '.': {}, 'f:b': {}, 'f:c': {} } });
    assert.deepEqual(a.union(b).toFieldsV1(), { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {}, 'f:c': {} } });
    assert.deepEqual(a.intersection(b).toFieldsV1(), { 'f:data': { 'f:b': {} } });
    assert.deepEqual(b.difference(a).toFieldsV1(), { 'f:data': { '.': {}, 'f:c': {} } });
    assert.ok(a.difference(a).empty());
  });

  test('paths come in FieldsV1 order and print as structured-merge-diff prints them', () => {
    const set = fields({
      'f:spec': {
        'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {} } },
        'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {} } },
        'f:finalizers': { 'v:"a"': {} },
      },
    });
    assert.deepEqual(set.paths().map(pathString), [
      '.spec.containers[name="app"]',
      '.spec.containers[name="app"].image',
      '.spec.finalizers[="a"]',
      '.spec.ports[containerPort=80,protocol="TCP"]',
    ]);
  });
});
