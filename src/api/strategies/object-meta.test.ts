import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate, validateNamespaceScope, validateLabelSelector, selectorMatches } from './object-meta.js';
import { FieldPath } from '../field-errors.js';
import { nameIsDNSSubdomain } from './name-validation.js';

const rules = { nameFn: nameIsDNSSubdomain };
const messages = (errs: readonly Parameters<typeof fieldErrorMessage>[0][]) => errs.map(fieldErrorMessage);

test('name or generateName is required', () => {
  assert.deepEqual(messages(validateObjectMeta({ metadata: {} }, rules)), ['metadata.name: Required value: name or generateName is required']);
  assert.deepEqual(validateObjectMeta({ metadata: { generateName: 'web-', name: 'web-x1' } }, rules), []);
});

test('labels are checked under metadata.labels with the offending key or value', () => {
  const errs = messages(validateObjectMeta({ metadata: { name: 'a', labels: { 'bad key!': 'ok', app: 'x'.repeat(64) } } }, rules));
  assert.equal(errs.length, 2);
  assert.match(errs[0] ?? '', /^metadata\.labels: Invalid value: "bad key!": name part must consist of/);
  assert.match(errs[1] ?? '', /^metadata\.labels: Invalid value: "x{64}": must be no more than 63 characters$/);
});

test('annotations may total at most 256 KiB', () => {
  const errs = validateObjectMeta({ metadata: { name: 'a', annotations: { big: 'x'.repeat(256 * 1024) } } }, rules);
  assert.equal(errs.length, 1);
  assert.equal(errs[0]?.type, 'FieldValueTooLong');
  assert.equal(errs[0]?.field, 'metadata.annotations');
});

test('owner references need identity fields and at most one controller', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true };
  const errs = messages(validateObjectMeta({ metadata: { name: 'a', ownerReferences: [ref, { ...ref, name: 'b', uid: '' }] } }, rules));
  assert.deepEqual(errs[0], 'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty');
  assert.match(errs[1] ?? '', /Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/);
});

test('identity fields are immutable on update', () => {
  const old = { metadata: { name: 'a', namespace: 'ns', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z', generation: 2 } };
  const errs = messages(
    validateObjectMetaUpdate({ metadata: { name: 'b', namespace: 'ns', uid: 'u2', creationTimestamp: '2024-01-01T00:00:00Z', generation: 1 } }, old),
  );
  assert.deepEqual(errs, [
    'metadata.generation: Invalid value: 1: must not be decremented',
    'metadata.name: Invalid value: "b": field is immutable',
    'metadata.uid: Invalid value: "u2": field is immutable',
  ]);
});

test('no finalizers can be added while deleting', () => {
  const old = { metadata: { name: 'a', deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['x.io/a'] } };
  const errs = validateObjectMetaUpdate({ metadata: { ...old.metadata, finalizers: ['x.io/a', 'x.io/b'] } }, old);
  assert.equal(errs[0]?.type, 'FieldValueForbidden');
});

test('label selectors: operator rules and matching', () => {
  const sel = {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['a', 'b'] },
      { key: 'x', operator: 'DoesNotExist' },
    ],
  };
  assert.deepEqual(validateLabelSelector(sel, FieldPath.root('spec').child('selector')), []);
  assert.equal(selectorMatches(sel, { app: 'web', tier: 'b' }), true);
  assert.equal(selectorMatches(sel, { app: 'web', tier: 'c' }), false);
  assert.equal(selectorMatches(sel, { app: 'web', tier: 'a', x: '1' }), false);
  const bad = {
    matchExpressions: [
      { key: 'a', operator: 'In', values: [] },
      { key: 'b', operator: 'Exists', values: ['1'] },
      { key: 'c', operator: 'Near' },
    ],
  };
  assert.deepEqual(messages(validateLabelSelector(bad, FieldPath.root('spec').child('selector'))), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
  ]);
});

test('namespace scope rules', () => {
  assert.deepEqual(messages(validateNamespaceScope({ metadata: { name: 'a' } }, true)), ['metadata.namespace: Required value']);
  assert.deepEqual(messages(validateNamespaceScope({ metadata: { name: 'a', namespace: 'x' } }, false)), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
  assert.deepEqual(validateNamespaceScope({ metadata: { name: 'a', namespace: 'x' } }, true), []);
});
