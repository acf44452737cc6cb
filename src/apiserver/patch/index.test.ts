import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, type TypeFacts } from '../../api/index.js';
import { acceptedPatchTypes, applyPatch, PatchType } from './index.js';

const facts: Record<string, TypeFacts> = {
  't.Thing': {
    name: 't.Thing',
    fields: [{ name: 'items', type: { kind: 'array', items: { kind: 'ref', type: 't.Item' } }, patchStrategy: 'merge', patchMergeKey: 'id' }],
  },
  't.Item': {
    name: 't.Item',
    fields: [
      { name: 'id', type: { kind: 'string' } },
      { name: 'v', type: { kind: 'int32' } },
    ],
  },
};
const lookup = (name: string): TypeFacts | undefined => facts[name];
const original = {
  items: [
    { id: 'a', v: 1 },
    { id: 'b', v: 2 },
  ],
};

function assertApiError(fn: () => unknown, code: number, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.message, message);
    return true;
  });
}

const ALL = 'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml';
const CR = 'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';

test('dispatches by content type', () => {
  assert.deepEqual(applyPatch(PatchType.json, original, '[{"op":"replace","path":"/items/0/v","value":5}]', 't.Thing', lookup), {
    items: [
      { id: 'a', v: 5 },
      { id: 'b', v: 2 },
    ],
  });
  assert.deepEqual(applyPatch(PatchType.merge, original, '{"items":[{"id":"c"}]}', 't.Thing', lookup), { items: [{ id: 'c' }] });
  assert.deepEqual(applyPatch(PatchType.strategicMerge, original, '{"items":[{"id":"b","v":7}]}', 't.Thing', lookup), {
    items: [
      { id: 'a', v: 1 },
      { id: 'b', v: 7 },
    ],
  });
});

test('parameters after ; are ignored, bytes and decoded bodies are accepted', () => {
  const body = new TextEncoder().encode('{"items":null}');
  assert.deepEqual(applyPatch('application/merge-patch+json; charset=utf-8', original, body, 't.Thing', lookup), {});
  assert.deepEqual(applyPatch(PatchType.merge, original, { items: null }, undefined, lookup), {});
});

test('unknown media types are 415 listing what the resource accepts', () => {
  assertApiError(
    () => applyPatch('application/json', original, '{}', 't.Thing', lookup),
    415,
    `the body of the request was in an unknown format - accepted media types include: ${ALL}`,
  );
  assertApiError(
    () => applyPatch('Application/Merge-Patch+json', original, '{}', 't.Thing', lookup),
    415,
    `the body of the request was in an unknown format - accepted media types include: ${ALL}`,
  );
  assertApiError(
    () => applyPatch('text/plain', original, '{}', undefined, lookup),
    415,
    `the body of the request was in an unknown format - accepted media types include: ${CR}`,
  );
});

test('strategic merge patch on a custom resource is 415', () => {
  assertApiError(
    () => applyPatch(PatchType.strategicMerge, original, '{}', undefined, lookup),
    415,
    `the body of the request was in an unknown format - accepted media types include: ${CR}`,
  );
  assertApiError(
    () => applyPatch(PatchType.strategicMerge, original, '{}', 'example.com.Widget', lookup),
    415,
    `the body of the request was in an unknown format - accepted media types include: ${CR}`,
  );
  assert.deepEqual(acceptedPatchTypes(false), CR.split(', '));
});

test("syntax errors are 400 with Go's wording", () => {
  assertApiError(() => applyPatch(PatchType.json, original, '[{"op":', 't.Thing', lookup), 400, 'error decoding patch: unexpected end of JSON input');
  assertApiError(
    () => applyPatch(PatchType.merge, original, 'nope', 't.Thing', lookup),
    400,
    "error decoding patch: invalid character 'o' in literal null (expecting 'u')",
  );
  assertApiError(() => applyPatch(PatchType.strategicMerge, original, 'xyz', 't.Thing', lookup), 400, "invalid character 'x' looking for beginning of value");
  assertApiError(() => applyPatch(PatchType.strategicMerge, original, '{} x', 't.Thing', lookup), 400, "invalid character 'x' after top-level value");
  assertApiError(() => applyPatch(PatchType.strategicMerge, original, '', 't.Thing', lookup), 400, 'unexpected end of JSON input');
  assertApiError(() => applyPatch(PatchType.merge, original, '{', 't.Thing', lookup, { fieldValidation: 'Ignore' }), 400, 'Invalid JSON Patch');
  assertApiError(
    () => applyPatch(PatchType.json, original, '{"a" 1}', 't.Thing', lookup, { fieldValidation: 'Ignore' }),
    400,
    "invalid character '1' after object key",
  );
});

test('bodies of the wrong shape are 400', () => {
  assertApiError(
    () => applyPatch(PatchType.json, original, '{}', 't.Thing', lookup),
    400,
    'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
  );
  assertApiError(
    () => applyPatch(PatchType.merge, original, '[]', 't.Thing', lookup),
    400,
    'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}',
  );
  assertApiError(() => applyPatch(PatchType.merge, original, 'null', 't.Thing', lookup), 400, 'Invalid JSON Patch');
  assertApiError(
    () => applyPatch(PatchType.strategicMerge, original, '"x"', 't.Thing', lookup),
    400,
    'json: cannot unmarshal string into Go value of type map[string]interface {}',
  );
});

test('a failed JSON patch operation is the generic 422', () => {
  assertApiError(
    () => applyPatch(PatchType.json, original, '[{"op":"test","path":"/items/0/v","value":9}]', 't.Thing', lookup),
    422,
    'the server rejected our request due to an error in our request',
  );
});

test('server-side apply is not handled here', () => {
  assertApiError(() => applyPatch(PatchType.applyYaml, original, 'a: b', 't.Thing', lookup), 500, 'application/apply-patch+yaml: unimplemented patch type');
});
