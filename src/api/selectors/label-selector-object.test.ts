import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldPath, fieldErrorMessage } from '../field-errors.js';
import { labelSelectorFromObject } from './label-selector-object.js';

const path = FieldPath.root('spec').child('selector');

test('matchLabels and matchExpressions combine', () => {
  const { selector, errors } = labelSelectorFromObject(
    {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    },
    path,
  );
  assert.deepEqual(errors, []);
  assert.equal(selector.toString(), 'app=web,!legacy,tier in (edge,front)');
  assert.equal(selector.matches({ app: 'web', tier: 'edge' }), true);
  assert.equal(selector.matches({ app: 'web', tier: 'edge', legacy: '1' }), false);
});

test('a missing selector selects nothing, an empty one everything', () => {
  assert.equal(labelSelectorFromObject(undefined, path).selector.matches({ a: 'b' }), false);
  assert.equal(labelSelectorFromObject({}, path).selector.matches({ a: 'b' }), true);
});

test('validation errors carry kube paths and wording', () => {
  const { errors } = labelSelectorFromObject(
    {
      matchLabels: { 'bad key': 'ok' },
      matchExpressions: [
        { key: 'a', operator: 'In', values: [] },
        { key: 'b', operator: 'Exists', values: ['x'] },
        { key: 'c', operator: 'Near' },
      ],
    },
    path,
  );
  const messages = errors.map(fieldErrorMessage);
  assert.match(messages[0]!, /^spec\.selector\.matchLabels: Invalid value: "bad key": name part must consist/);
  assert.equal(messages[1], "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
  assert.equal(messages[2], "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
  assert.equal(messages[3], 'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator');
  assert.equal(messages.length, 4);
});
