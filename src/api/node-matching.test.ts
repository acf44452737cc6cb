import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeRequirementMatches, nodeSelectorTermMatches, tolerates } from './node-matching.js';

test('tolerations match taints by key, value, operator and effect', () => {
  const taint = { key: 'k', value: 'v', effect: 'NoExecute' };
  assert.equal(tolerates({ key: 'k', operator: 'Exists' }, taint), true);
  assert.equal(tolerates({ key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute' }, taint), true);
  assert.equal(tolerates({ key: 'k', operator: 'Equal', value: 'v' }, taint), true);
  assert.equal(tolerates({ key: 'k', value: 'other' }, taint), false);
  assert.equal(tolerates({ key: 'k', operator: 'Exists', effect: 'NoSchedule' }, taint), false);
  assert.equal(tolerates({ operator: 'Exists' }, taint), true);
  assert.equal(tolerates({ key: 'other', operator: 'Exists' }, taint), false);
});

test('node selector requirements compare integers as int64 and need one value', () => {
  assert.equal(nodeRequirementMatches({ key: 'n', operator: 'Gt', values: ['9'] }, '10'), true);
  assert.equal(nodeRequirementMatches({ key: 'n', operator: 'Lt', values: ['-1'] }, '-2'), true);
  assert.equal(nodeRequirementMatches({ key: 'n', operator: 'Gt', values: ['9223372036854775806'] }, '9223372036854775807'), true);
  assert.equal(nodeRequirementMatches({ key: 'n', operator: 'Gt', values: ['1', '2'] }, '10'), false);
  assert.equal(nodeRequirementMatches({ key: 'n', operator: 'Gt', values: ['1'] }, '1.5'), false);
  assert.equal(nodeRequirementMatches({ key: 'n', operator: 'NotIn', values: ['a'] }, undefined), true);
  assert.equal(nodeRequirementMatches({ key: 'n', operator: 'DoesNotExist' }, ''), false);
});

test('a term needs every expression and field; an empty term matches nothing', () => {
  const labels = { zone: 'a', gpu: 'yes' };
  assert.equal(nodeSelectorTermMatches({}, labels, 'n1'), false);
  assert.equal(nodeSelectorTermMatches({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }, labels, 'n1'), true);
  assert.equal(
    nodeSelectorTermMatches(
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] },
      labels,
      'n1',
    ),
    false,
  );
  assert.equal(nodeSelectorTermMatches({ matchFields: [{ key: 'metadata.uid', operator: 'Exists' }] }, labels, 'n1'), false);
  assert.equal(nodeSelectorTermMatches({ matchExpressions: [{ key: 'toString', operator: 'Exists' }] }, labels, 'n1'), false);
});
