// Hostile and random PATCH bodies against applyPatch: whatever the body, the answer is a result or
// a 4xx ApiError, never another exception; results are held to the limits of a request body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxNestingDepth, ApiError, typeFacts } from '../../api/index.js';
import { seededRandom } from '../../api/seeded-random.test-support.js';
import { applyPatch, PatchType } from './index.js';

const podType = 'io.k8s.api.core.v1.Pod';

function pod(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'web', 'a/b': 'x', '~': 'tilde' }, finalizers: ['f1', 'f2'] },
    spec: {
      containers: [
        { name: 'a', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'E', value: '1' }], args: ['x', 'y'] },
        { name: 'b', image: 'busybox' },
      ],
      tolerations: [{ key: 'k', operator: 'Exists' }],
      nodeSelector: { zone: 'a' },
      volumes: [{ name: 'v', emptyDir: {} }],
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

const keys = [
  'metadata',
  'spec',
  'status',
  'labels',
  'finalizers',
  'containers',
  'name',
  'image',
  'ports',
  'env',
  'args',
  'tolerations',
  'nodeSelector',
  'volumes',
  'conditions',
  'a',
  'b',
  '0',
  '1',
  '-1',
  '-',
  '',
  '~0',
  '~1',
  '~',
  'a/b',
  '__proto__',
  'constructor',
  '$patch',
  '$retainKeys',
  '$deleteFromPrimitiveList/finalizers',
  '$deleteFromPrimitiveList/args',
  '$deleteFromPrimitiveList',
  '$setElementOrder/containers',
  '$setElementOrder/finalizers',
  '$setElementOrder/env',
  '$setElementOrder',
  'containerPort',
];
const tokens = [...keys, '2', '3', '10', '-2', '+1', '01', '1e1', '9007199254740993', '~2', '~01', '~10'];
const directives = ['delete', 'replace', 'merge', 'bogus', 1, null, [], {}, true];

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

function value(next: () => number, depth = 0): unknown {
  const r = next();
  if (depth > 3 || r < 0.35) return pick(next, ['x', '', 'f1', 'a', 'nginx', 0, 1, -1, 80, 1.5, true, false, null, '$patch']);
  if (r < 0.45) return { $patch: pick(next, directives), name: pick(next, ['a', 'b', 'c']) };
  if (r < 0.55) return { $retainKeys: next() < 0.5 ? [pick(next, keys)] : pick(next, ['x', 1, null, {}]) };
  if (r < 0.75) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 4); i > 0; i--)
    Object.defineProperty(object, pick(next, keys), { value: value(next, depth + 1), enumerable: true, writable: true, configurable: true });
  return object;
}

function path(next: () => number): unknown {
  const r = next();
  if (r < 0.05) return '';
  if (r < 0.08) return pick(next, ['metadata', '//', '/', 7, null]);
  const parts = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(next, tokens));
  return `/${parts.join('/')}`;
}

function jsonPatchOperation(next: () => number): unknown {
  if (next() < 0.03) return pick(next, [null, 1, 'add', []]);
  const op: Record<string, unknown> = { op: pick(next, ['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus', 1, null]) };
  if (next() < 0.95) op.path = path(next);
  if (next() < 0.5) op.from = path(next);
  if (next() < 0.7) op.value = value(next);
  return op;
}

function jsonPatch(next: () => number): unknown {
  if (next() < 0.05) return value(next);
  return Array.from({ length: 1 + Math.floor(next() * 5) }, () => jsonPatchOperation(next));
}

/** Rebuilds the pod shape with random changes: the places directives and lists live. */
function mergePatch(next: () => number): unknown {
  if (next() < 0.05) return value(next);
  const patch = value(next, 3);
  const spec: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 3); i > 0; i--) spec[pick(next, keys)] = value(next, 1);
  if (next() < 0.5)
    spec.containers = Array.from({ length: Math.floor(next() * 3) }, () => ({ name: pick(next, ['a', 'b', 'c']), ...(value(next, 2) as object) }));
  const metadata: Record<string, unknown> = {};
  if (next() < 0.5) metadata[pick(next, keys)] = value(next, 1);
  return next() < 0.2 ? patch : { spec, metadata, ...(next() < 0.3 ? { [pick(next, keys)]: value(next, 1) } : {}) };
}

function expectResultOr4xx(run: () => unknown, describe: () => string): void {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof ApiError, `${describe()}\nthrew ${err instanceof Error ? err.stack : String(err)}`);
    assert.ok(err.code >= 400 && err.code < 500, `${describe()}\nanswered ${err.code}: ${err.message}`);
  }
}

test('random JSON patches: a result or a 4xx, never another exception', () => {
  const next = seededRandom(6902);
  for (let i = 0; i < 3000; i++) {
    const body = JSON.stringify(jsonPatch(next));
    for (const fieldValidation of ['Strict', 'Ignore'] as const) {
      expectResultOr4xx(
        () => applyPatch(PatchType.json, pod(), body, podType, typeFacts, { fieldValidation }),
        () => `patch ${i}: ${body}`,
      );
    }
  }
});

test('random merge and strategic merge patches: a result or a 4xx, never another exception', () => {
  const next = seededRandom(7386);
  for (let i = 0; i < 3000; i++) {
    const body = JSON.stringify(mergePatch(next));
    for (const type of [PatchType.merge, PatchType.strategicMerge]) {
      expectResultOr4xx(
        () => applyPatch(type, pod(), body, podType, typeFacts),
        () => `${type} ${i}: ${body}`,
      );
    }
  }
});

test('patch bodies of the wrong shape or type are 4xx with kube-apiserver wording', () => {
  const cases: [string, string, number, string][] = [
    [PatchType.json, '{"op":"add"}', 400, 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp'],
    [PatchType.merge, '[1]', 400, 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}'],
    [PatchType.merge, '"x"', 400, 'error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}'],
    [PatchType.strategicMerge, '[]', 400, 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    [PatchType.json, '[', 400, 'error decoding patch: unexpected end of JSON input'],
  ];
  for (const [type, body, code, message] of cases) {
    assert.throws(
      () => applyPatch(type, pod(), body, podType, typeFacts),
      (err: unknown) => err instanceof ApiError && err.code === code && err.message === message,
      `${type} ${body}`,
    );
  }
  assert.throws(
    () => applyPatch('application/x-garbage', pod(), '{}', podType, typeFacts),
    (err: unknown) => err instanceof ApiError && err.code === 415,
  );
});

test('malformed strategic merge directives are a 400 that says why', () => {
  const cases: [unknown, RegExp][] = [
    [{ spec: { $patch: 'bogus' } }, /^unknown patch type: bogus in map: map\[\$patch:bogus\]$/],
    [{ spec: { $retainKeys: 'containers' } }, /^invalid patch format of retainKeys$/],
    [{ spec: { containers: [{ $patch: 7, name: 'a' }] } }, /^unknown patch type: %!s\(int64=7\) in map: map\[\$patch:7 name:a\]$/],
    [{ metadata: { '$deleteFromPrimitiveList/finalizers': 'f1' } }, /^invalid patch format of primitive list$/],
    [{ metadata: { '$setElementOrder/finalizers': { a: 1 } } }, /^expected a \[\]interface \{\}, but received a map\[string\]interface \{\}$/],
    [{ spec: { '$setElementOrder/containers': [1, 2] } }, /^value for key 0 is not a map$/],
    [{ spec: { containers: [{ image: 'no-name' }] } }, /does not contain declared merge key: name$/],
  ];
  for (const [patch, message] of cases) {
    assert.throws(
      () => applyPatch(PatchType.strategicMerge, pod(), JSON.stringify(patch), podType, typeFacts),
      (err: unknown) => err instanceof ApiError && err.code === 400 && message.test(err.message),
      JSON.stringify(patch),
    );
  }
});

test('a huge value in a strategic merge error is quoted in part', () => {
  const big = 'x'.repeat(1024 * 1024);
  assert.throws(
    () => applyPatch(PatchType.strategicMerge, pod(), JSON.stringify({ spec: { $patch: 'bogus', big } }), podType, typeFacts),
    (err: unknown) => err instanceof ApiError && err.code === 400 && err.message.length < 1200,
  );
});

test('patch bodies nested past the limit are a 400 before they are parsed', () => {
  const deep = `{"metadata":{"labels":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}}`;
  for (const type of [PatchType.merge, PatchType.strategicMerge]) {
    assert.throws(
      () => applyPatch(type, pod(), deep, podType, typeFacts),
      (err: unknown) => err instanceof ApiError && err.code === 400 && /exceeded max depth/.test(err.message),
    );
  }
});

test('JSON patch copies that nest the document past the limit are a 422, not a stack overflow', () => {
  let nested: unknown = 'leaf';
  for (let i = 0; i < maxNestingDepth - 10; i++) nested = { a: nested };
  const deepPath = `/d${'/a'.repeat(maxNestingDepth - 12)}/x`;
  const ops = Array.from({ length: 4 }, () => ({ op: 'copy', from: '/d', path: deepPath }));
  assert.throws(
    () => applyPatch(PatchType.json, { d: nested }, JSON.stringify(ops), undefined, typeFacts),
    (err: unknown) =>
      err instanceof ApiError && err.code === 422 && err.reason === 'Invalid' && /patch: Invalid value: exceeded max depth of 1000$/.test(err.message),
  );
});

test('a patch result larger than a body may be is a 413', () => {
  const big = 'x'.repeat(1024 * 1024);
  const ops = [
    { op: 'copy', from: '/a', path: '/b' },
    { op: 'copy', from: '/a', path: '/c' },
  ];
  assert.throws(
    () => applyPatch(PatchType.json, { a: big }, JSON.stringify(ops), undefined, typeFacts),
    (err: unknown) => err instanceof ApiError && err.code === 413 && err.message === 'Request entity too large: limit is 3145728',
  );
  assert.throws(
    () => applyPatch(PatchType.merge, { a: big, b: big }, JSON.stringify({ c: big }), undefined, typeFacts),
    (err: unknown) => err instanceof ApiError && err.code === 413,
  );
});

test('strategic merge of two lists of twenty thousand elements stays linear (a scan per element took minutes)', () => {
  const refs = (prefix: string) => Array.from({ length: 20_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'X', name: 'n', uid: `${prefix}${i}` }));
  const original = { metadata: { name: 'c', ownerReferences: refs('a') } };
  const started = performance.now();
  const merged = applyPatch(
    PatchType.strategicMerge,
    original,
    JSON.stringify({ metadata: { ownerReferences: refs('b') } }),
    'io.k8s.api.core.v1.ConfigMap',
    typeFacts,
  ) as {
    metadata: { ownerReferences: { uid: string }[] };
  };
  assert.equal(merged.metadata.ownerReferences.length, 40_000);
  const deletions = refs('a').map((r) => ({ uid: r.uid, $patch: 'delete' }));
  const emptied = applyPatch(
    PatchType.strategicMerge,
    original,
    JSON.stringify({ metadata: { ownerReferences: deletions } }),
    'io.k8s.api.core.v1.ConfigMap',
    typeFacts,
  ) as {
    metadata: { ownerReferences?: unknown[] };
  };
  assert.deepEqual(emptied.metadata.ownerReferences, []);
  assert.ok(performance.now() - started < 3000, `took ${Math.round(performance.now() - started)} ms`);
});

test('$setElementOrder with an empty order over a long patch list is linear (the insertion sort took hours)', () => {
  const finalizers = Array.from({ length: 50_000 }, (_, i) => `f${i}`);
  const patch = JSON.stringify({ metadata: { '$setElementOrder/finalizers': [], finalizers } });
  const started = performance.now();
  const out = applyPatch(PatchType.strategicMerge, { metadata: { name: 'c', finalizers: ['x'] } }, patch, 'io.k8s.api.core.v1.ConfigMap', typeFacts) as {
    metadata: { finalizers: string[] };
  };
  assert.deepEqual(out.metadata.finalizers.slice(0, 3), ['x', 'f49999', 'f49998']);
  assert.ok(performance.now() - started < 3000, `took ${Math.round(performance.now() - started)} ms`);
});
