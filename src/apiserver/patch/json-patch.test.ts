import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/index.js';
import { applyJsonPatch, MAX_JSON_PATCH_ELEMENT_SHIFTS, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';

const REJECTED = 'the server rejected our request due to an error in our request';

/** Asserts the generic 422 kube-apiserver gives a failed operation, and what the operation said. */
function assertOpFails(doc: unknown, patch: unknown, detail: string | RegExp): void {
  assert.throws(
    () => applyJsonPatch(doc, patch),
    (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.code, 422);
      assert.equal(err.reason, 'Invalid');
      assert.equal(err.message, REJECTED);
      assert.deepEqual(err.toStatus().details, {});
      const cause = (err.cause as Error).message;
      if (typeof detail === 'string') assert.equal(cause, detail);
      else assert.match(cause, detail);
      return true;
    },
  );
}

function assertBadRequest(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => err instanceof ApiError && err.code === 400 && err.reason === 'BadRequest' && err.message === message);
}

const pod = () => ({
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'a', image: 'nginx' },
      { name: 'b', image: 'redis' },
    ],
  },
});

test('add sets object members and inserts into arrays', () => {
  const out = applyJsonPatch(pod(), [
    { op: 'add', path: '/metadata/labels/tier', value: 'front' },
    { op: 'add', path: '/spec/containers/1', value: { name: 'mid' } },
    { op: 'add', path: '/spec/containers/-', value: { name: 'last' } },
  ]) as ReturnType<typeof pod>;
  assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'front' });
  assert.deepEqual(
    out.spec.containers.map((c) => c.name),
    ['a', 'mid', 'b', 'last'],
  );
});

test('the original is not modified', () => {
  const original = pod();
  applyJsonPatch(original, [{ op: 'remove', path: '/metadata/labels' }]);
  assert.deepEqual(original, pod());
});

test('add at the array length appends; beyond it fails', () => {
  const out = applyJsonPatch({ l: [1, 2] }, [{ op: 'add', path: '/l/2', value: 3 }]);
  assert.deepEqual(out, { l: [1, 2, 3] });
  assertOpFails(
    { l: [1, 2] },
    [{ op: 'add', path: '/l/3', value: 3 }],
    "error in add for path: '/l/3': Unable to access invalid index: 3: invalid index referenced",
  );
});

test('negative indices count from the end, as evanphx v4 allows', () => {
  assert.deepEqual(applyJsonPatch({ l: [1, 2, 3] }, [{ op: 'remove', path: '/l/-1' }]), { l: [1, 2] });
  assert.deepEqual(applyJsonPatch({ l: [1, 2] }, [{ op: 'add', path: '/l/-1', value: 9 }]), { l: [1, 2, 9] });
  assert.deepEqual(applyJsonPatch({ l: [1, 2] }, [{ op: 'replace', path: '/l/-2', value: 0 }]), { l: [0, 2] });
  assertOpFails({ l: [1, 2] }, [{ op: 'remove', path: '/l/-3' }], /Unable to access invalid index: -3/);
});

test('a non-numeric array index fails', () => {
  assertOpFails({ l: [1] }, [{ op: 'add', path: '/l/x', value: 1 }], /value was not a proper array index: 'x'/);
  assertOpFails({ l: [1] }, [{ op: 'remove', path: '/l/x' }], /error in remove for path: '\/l\/x'/);
});

test('JSON pointer escapes: ~1 is a slash, ~0 a tilde', () => {
  const out = applyJsonPatch({ metadata: { annotations: {} } }, [
    { op: 'add', path: '/metadata/annotations/example.com~1owner', value: 'me' },
    { op: 'add', path: '/metadata/annotations/a~0b', value: 'tilde' },
    { op: 'add', path: '/metadata/annotations/~01', value: 'not a slash' },
  ]);
  assert.deepEqual(out, { metadata: { annotations: { 'example.com/owner': 'me', 'a~b': 'tilde', '~1': 'not a slash' } } });
});

test('remove of a missing key or a missing parent fails', () => {
  assertOpFails(
    pod(),
    [{ op: 'remove', path: '/metadata/annotations' }],
    "error in remove for path: '/metadata/annotations': Unable to remove nonexistent key: annotations: missing value",
  );
  assertOpFails(pod(), [{ op: 'remove', path: '/status/phase' }], 'remove operation does not apply: doc is missing path: "/status/phase": missing value');
});

test('replace of a missing object key adds it (evanphx v4), of a missing array index fails', () => {
  assert.deepEqual(applyJsonPatch({ a: {} }, [{ op: 'replace', path: '/a/b', value: 1 }]), { a: { b: 1 } });
  assertOpFails({ l: [] }, [{ op: 'replace', path: '/l/0', value: 1 }], 'replace operation does not apply: doc is missing key: /l/0: missing value');
});

test('replace of the whole document takes an object', () => {
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }]), { b: 2 });
  assertOpFails({ a: 1 }, [{ op: 'replace', path: '', value: 'x' }], /must be object or array/);
});

test('add and remove at the root fail as upstream does', () => {
  assertOpFails({ a: 1 }, [{ op: 'add', path: '', value: {} }], /add operation does not apply: doc is missing path: ""/);
  assertOpFails({ a: 1 }, [{ op: 'remove', path: '' }], /remove operation does not apply/);
});

test('a missing value is null', () => {
  assert.deepEqual(applyJsonPatch({}, [{ op: 'add', path: '/a' }]), { a: null });
});

test('move and copy', () => {
  const moved = applyJsonPatch({ a: { x: 1 }, l: [1, 2, 3] }, [
    { op: 'move', from: '/a/x', path: '/b' },
    { op: 'move', from: '/l/0', path: '/l/-' },
  ]);
  assert.deepEqual(moved, { a: {}, b: 1, l: [2, 3, 1] });
  const copied = applyJsonPatch({ a: { x: [1] } }, [
    { op: 'copy', from: '/a', path: '/b' },
    { op: 'add', path: '/b/x/-', value: 2 },
  ]);
  assert.deepEqual(copied, { a: { x: [1] }, b: { x: [1, 2] } }, 'copies are deep');
  assertOpFails({ a: 1 }, [{ op: 'move', from: '/nope', path: '/b' }], "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value");
  assertOpFails({ a: 1 }, [{ op: 'copy', path: '/b' }], /copy operation failed to decode from/);
});

test('copy of a missing object key copies null (evanphx v4)', () => {
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'copy', from: '/nope', path: '/b' }]), { a: 1, b: null });
});

test('copy is capped at 3 MiB in total', () => {
  const big = 'x'.repeat(1024 * 1024);
  const ops = [1, 2, 3, 4].map((n) => ({ op: 'copy', from: '/big', path: `/c${n}` }));
  assertOpFails({ big }, ops, /accumulated size increase of copy is 3145734, exceeding the limit 3145728/);
});

test('test compares structurally', () => {
  const doc = { a: { x: [1, { y: 'z' }] }, n: null };
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'test', path: '/a', value: { x: [1, { y: 'z' }] } }]), doc);
  assertOpFails(doc, [{ op: 'test', path: '/a/x/0', value: 2 }], 'testing value /a/x/0 failed: test failed');
  assertOpFails(doc, [{ op: 'test', path: '/a/x', value: [1] }], /test failed/);
});

test('test of a missing or null member passes only for a null value', () => {
  const doc = { n: null };
  assert.deepEqual(
    applyJsonPatch(doc, [
      { op: 'test', path: '/n', value: null },
      { op: 'test', path: '/missing', value: null },
    ]),
    doc,
  );
  assertOpFails(doc, [{ op: 'test', path: '/missing', value: 'x' }], /testing value \/missing failed/);
  assertOpFails({ a: 1 }, [{ op: 'test', path: '/a', value: null }], /testing value \/a failed/);
});

test('one failing operation fails the whole patch', () => {
  const original = pod();
  assertOpFails(
    original,
    [
      { op: 'add', path: '/metadata/labels/x', value: 'y' },
      { op: 'test', path: '/metadata/name', value: 'other' },
    ],
    /testing value \/metadata\/name failed/,
  );
  assert.deepEqual(original, pod());
});

test('unknown or missing op names', () => {
  assertOpFails({}, [{ op: 'increment', path: '/a' }], 'Unexpected kind: increment');
  assertOpFails({}, [{ path: '/a' }], 'Unexpected kind: unknown');
  assertOpFails({}, [null], 'Unexpected kind: unknown');
});

test('a missing path fails the operation', () => {
  assertOpFails({}, [{ op: 'add', value: 1 }], 'add operation failed to decode path: missing value');
});

test('navigation through scalars, nulls and missing members fails', () => {
  assertOpFails({ a: 'str' }, [{ op: 'add', path: '/a/b', value: 1 }], /doc is missing path: "\/a\/b"/);
  assertOpFails({ a: null }, [{ op: 'add', path: '/a/b', value: 1 }], /doc is missing path/);
  assertOpFails({ l: [{}] }, [{ op: 'add', path: '/l/5/b', value: 1 }], /doc is missing path/);
});

test('a body that is not a list of operations is a 400', () => {
  assertBadRequest(() => applyJsonPatch({}, { op: 'add' }), 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp');
  assertBadRequest(() => applyJsonPatch({}, [1]), 'error decoding patch: json: cannot unmarshal number into Go value of type handlers.jsonPatchOp');
  assertBadRequest(
    () => applyJsonPatch({}, [{ op: 1, path: '/a' }]),
    'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string',
  );
  assertBadRequest(() => applyJsonPatch({}, 'x', 'Ignore'), 'json: cannot unmarshal string into Go value of type jsonpatch.Patch');
});

test('a null body is an empty patch', () => {
  assert.deepEqual(applyJsonPatch({ a: 1 }, null), { a: 1 });
});

test('more than 10000 operations is 413', () => {
  const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/a', value: 1 }));
  assert.throws(
    () => applyJsonPatch({ a: 1 }, ops),
    (err: unknown) =>
      err instanceof ApiError &&
      err.code === 413 &&
      err.reason === 'RequestEntityTooLarge' &&
      err.message === 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
  );
  assert.deepEqual(applyJsonPatch({ a: 1 }, ops.slice(1)), { a: 1 });
});

test('inserts and removes that shift more than 32 Mi array elements are a 413, in milliseconds', () => {
  const list = new Array<number>(1_000_000).fill(0);
  const front = Array.from({ length: 10_000 }, () => ({ op: 'add', path: '/list/0', value: 1 }));
  const started = performance.now();
  assert.throws(
    () => applyJsonPatch({ list }, front),
    (err: unknown) =>
      err instanceof ApiError &&
      err.code === 413 &&
      err.message === `Request entity too large: the operations of a JSON patch may shift at most ${MAX_JSON_PATCH_ELEMENT_SHIFTS} array elements`,
  );
  assert.ok(performance.now() - started < 1000);
  const removals = Array.from({ length: 40 }, () => ({ op: 'remove', path: '/list/0' }));
  assert.throws(
    () => applyJsonPatch({ list }, removals),
    (err: unknown) => err instanceof ApiError && err.code === 413,
  );
  // Appending and changing the end shift nothing.
  const tail = [...Array.from({ length: 5_000 }, () => ({ op: 'add', path: '/list/-', value: 2 })), { op: 'remove', path: '/list/-1' }];
  assert.equal((applyJsonPatch({ list }, tail) as { list: number[] }).list.length, 1_004_999);
});

test('a __proto__ key is an ordinary member', () => {
  const out = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepEqual(Object.keys(out), ['__proto__']);
});
