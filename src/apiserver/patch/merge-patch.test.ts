import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/index.js';
import { applyMergePatch } from './merge-patch.js';

function assertBadRequest(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => err instanceof ApiError && err.code === 400 && err.reason === 'BadRequest' && err.message === message);
}

test('null deletes a member, at any depth', () => {
  const out = applyMergePatch({ metadata: { labels: { a: '1', b: '2' } }, x: 1 }, { metadata: { labels: { a: null } }, x: null });
  assert.deepEqual(out, { metadata: { labels: { b: '2' } } });
});

test('objects merge recursively, other values replace', () => {
  const original = { spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'x' }] } } } };
  const out = applyMergePatch(original, { spec: { replicas: 3, template: { spec: { containers: [{ name: 'b' }] } } } });
  assert.deepEqual(out, { spec: { replicas: 3, template: { spec: { containers: [{ name: 'b' }] } } } });
  assert.deepEqual(original.spec.template.spec.containers, [{ name: 'a', image: 'x' }], 'original untouched');
});

test('a new object member is set without its nulls', () => {
  assert.deepEqual(applyMergePatch({}, { a: { b: null, c: { d: null, e: 1 } } }), { a: { c: { e: 1 } } });
});

test("a scalar replaced by an object loses the object's nulls", () => {
  assert.deepEqual(applyMergePatch({ a: 'x' }, { a: { b: null, c: 1 } }), { a: { c: 1 } });
});

test('nulls inside arrays stay; objects inside arrays lose their null members', () => {
  assert.deepEqual(applyMergePatch({ a: [1] }, { a: [null, { b: null, c: 2 }] }), { a: [null, { c: 2 }] });
});

test('an object replaced by a non-object keeps the value untouched', () => {
  assert.deepEqual(applyMergePatch({ a: { b: 1 } }, { a: [{ c: null }] }), { a: [{ c: null }] });
  assert.deepEqual(applyMergePatch({ a: { b: 1 } }, { a: 'flat' }), { a: 'flat' });
});

test('deleting a missing member is harmless; an empty patch changes nothing', () => {
  assert.deepEqual(applyMergePatch({ a: 1 }, { zz: null }), { a: 1 });
  assert.deepEqual(applyMergePatch({ a: 1 }, {}), { a: 1 });
});

test('a null member in the original is replaced like a missing one', () => {
  assert.deepEqual(applyMergePatch({ a: null }, { a: { b: null, c: 1 } }), { a: { c: 1 } });
});

test("non-object bodies are 400 with the strict decoder's message", () => {
  assertBadRequest(() => applyMergePatch({}, [1]), 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}');
  assertBadRequest(() => applyMergePatch({}, 'x'), 'error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}');
  assertBadRequest(() => applyMergePatch({}, null), 'Invalid JSON Patch');
});

test('with fieldValidation=Ignore a list replaces the document and scalars are invalid', () => {
  assert.deepEqual(applyMergePatch({ a: 1 }, [{ b: null }, null], 'Ignore'), [{}, null]);
  assertBadRequest(() => applyMergePatch({}, 5, 'Ignore'), 'Invalid JSON Patch');
});
