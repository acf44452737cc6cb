import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, type FieldFacts, type FieldType, type TypeFacts } from '../../api/index.js';
import { strategicMergePatch } from './strategic-merge-patch.js';

// Hand-made facts shaped like the Pod, Deployment and Service types (names shortened).
const str: FieldType = { kind: 'string' };
const int: FieldType = { kind: 'int32' };
const ref = (type: string): FieldType => ({ kind: 'ref', type });
const list = (items: FieldType): FieldType => ({ kind: 'array', items });
const map = (values: FieldType): FieldType => ({ kind: 'map', values });
const field = (name: string, type: FieldType, extra: Partial<FieldFacts> = {}): FieldFacts => ({ name, type, ...extra });
const merge = (key?: string): Partial<FieldFacts> => (key ? { patchStrategy: 'merge', patchMergeKey: key } : { patchStrategy: 'merge' });

const types: Record<string, TypeFacts> = {};
function define(name: string, fields: FieldFacts[], extra: Partial<TypeFacts> = {}): void {
  types[name] = { name, fields, ...extra };
}
define('t.ObjectMeta', [
  field('name', str),
  field('labels', map(str)),
  field('annotations', map(str)),
  field('finalizers', list(str), merge()),
  field('ownerReferences', list(ref('t.OwnerReference')), merge('uid')),
]);
define('t.OwnerReference', [field('uid', str), field('name', str)]);
define('t.Pod', [field('metadata', ref('t.ObjectMeta')), field('spec', ref('t.PodSpec'))]);
define('t.PodSpec', [
  field('containers', list(ref('t.Container')), merge('name')),
  field('volumes', list(ref('t.Volume')), { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' }),
  field('tolerations', list(ref('t.Toleration'))),
  field('nodeSelector', map(str)),
  field('overhead', map(ref('t.Quantity'))),
  field('securityContext', ref('t.SecurityContext'), { patchStrategy: 'replace' }),
]);
define('t.SecurityContext', [field('runAsUser', { kind: 'int64' }), field('runAsGroup', { kind: 'int64' })]);
define('t.Quantity', [], { special: 'quantity' });
define('t.Container', [
  field('name', str),
  field('image', str),
  field('args', list(str)),
  field('ports', list(ref('t.ContainerPort')), merge('containerPort')),
  field('env', list(ref('t.EnvVar')), merge('name')),
]);
define('t.ContainerPort', [field('containerPort', int), field('protocol', str), field('name', str)]);
define('t.EnvVar', [field('name', str), field('value', str)]);
define('t.Toleration', [field('key', str), field('effect', str)]);
define('t.Volume', [field('name', str), field('configMap', ref('t.ConfigMapSource')), field('emptyDir', ref('t.EmptyDir'))]);
define('t.ConfigMapSource', [field('name', str)]);
define('t.EmptyDir', [field('medium', str)]);
define('t.Deployment', [field('metadata', ref('t.ObjectMeta')), field('spec', ref('t.DeploymentSpec'))]);
define('t.DeploymentSpec', [
  field('replicas', int),
  field('strategy', ref('t.Strategy'), { patchStrategy: 'retainKeys' }),
  field('template', ref('t.PodTemplate')),
]);
define('t.PodTemplate', [field('metadata', ref('t.ObjectMeta')), field('spec', ref('t.PodSpec'))]);
define('t.Strategy', [field('type', str), field('rollingUpdate', ref('t.RollingUpdate'))]);
define('t.RollingUpdate', [field('maxSurge', ref('t.IntOrString')), field('maxUnavailable', ref('t.IntOrString'))]);
define('t.IntOrString', [], { special: 'int-or-string' });
define('t.Service', [field('metadata', ref('t.ObjectMeta')), field('spec', ref('t.ServiceSpec'))]);
define('t.ServiceSpec', [field('ports', list(ref('t.ServicePort')), merge('port')), field('selector', map(str))]);
define('t.ServicePort', [field('port', int), field('targetPort', ref('t.IntOrString')), field('name', str)]);

const lookup = (name: string): TypeFacts | undefined => types[name];
const smp = (original: unknown, patch: unknown, typeName = 't.Pod'): unknown => strategicMergePatch(original, patch, typeName, lookup);

function assertFails(fn: () => unknown, code: number, message: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, code);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

const podWith = (containers: unknown[], extra: Record<string, unknown> = {}) => ({ metadata: { name: 'p' }, spec: { containers, ...extra } });
const names = (out: unknown): string[] => (out as { spec: { containers: { name: string }[] } }).spec.containers.map((c) => c.name);

test('containers merge by name: a changed one merges, a new one is appended', () => {
  const original = podWith([
    { name: 'a', image: 'nginx' },
    { name: 'b', image: 'redis', args: ['x'] },
  ]);
  const out = smp(original, {
    spec: {
      containers: [
        { name: 'b', image: 'redis:7' },
        { name: 'c', image: 'busybox' },
      ],
    },
  });
  assert.deepEqual(
    out,
    podWith([
      { name: 'a', image: 'nginx' },
      { name: 'b', image: 'redis:7', args: ['x'] },
      { name: 'c', image: 'busybox' },
    ]),
  );
  assert.deepEqual(original.spec.containers[1], { name: 'b', image: 'redis', args: ['x'] }, 'original untouched');
});

test('without $setElementOrder a new element lands before the untouched ones, as upstream orders it', () => {
  const out = smp(podWith([{ name: 'a' }, { name: 'b' }]), { spec: { containers: [{ name: 'c' }] } });
  assert.deepEqual(names(out), ['c', 'a', 'b']);
});

test('nested merge lists merge by their own keys (ports by containerPort, env by name)', () => {
  const original = podWith([{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'X', value: '1' }] }]);
  const out = smp(original, { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }], env: [{ name: 'Y', value: '2' }] }] } });
  assert.deepEqual(
    out,
    podWith([
      {
        name: 'a',
        ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
        env: [
          { name: 'Y', value: '2' },
          { name: 'X', value: '1' },
        ],
      },
    ]),
  );
});

test('$patch: delete in a list removes the element with that merge key', () => {
  const out = smp(podWith([{ name: 'a', ports: [{ containerPort: 80 }, { containerPort: 443 }] }]), {
    spec: { containers: [{ name: 'a', ports: [{ containerPort: 443, $patch: 'delete' }] }] },
  });
  assert.deepEqual(out, podWith([{ name: 'a', ports: [{ containerPort: 80 }] }]));
});

test('$patch: replace in a list makes the other elements the whole list', () => {
  const out = smp(podWith([{ name: 'a' }, { name: 'b' }]), { spec: { containers: [{ $patch: 'replace' }, { name: 'z', image: 'i' }] } });
  assert.deepEqual(out, podWith([{ name: 'z', image: 'i' }]));
});

test('$patch: replace on a map replaces it; $patch: delete empties it', () => {
  const original = podWith([], { nodeSelector: { disk: 'ssd', zone: 'a' } });
  assert.deepEqual((smp(original, { spec: { nodeSelector: { $patch: 'replace', zone: 'b' } } }) as { spec: unknown }).spec, {
    containers: [],
    nodeSelector: { zone: 'b' },
  });
  assert.deepEqual((smp(original, { spec: { nodeSelector: { $patch: 'delete' } } }) as { spec: unknown }).spec, { containers: [], nodeSelector: {} });
});

test('a $patch map for a field the original lacks is dropped, nested ones too', () => {
  const out = smp({ metadata: { name: 'p' } }, { spec: { nodeSelector: { $patch: 'delete' }, containers: [{ name: 'a' }, { $patch: 'delete', name: 'b' }] } });
  assert.deepEqual(out, { metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }] } });
});

test('$patch: merge is refused in lists and maps with a 400 (kube-apiserver: a bare 500)', () => {
  assertFails(
    () => smp(podWith([{ name: 'a' }]), { spec: { containers: [{ $patch: 'merge', name: 'a' }] } }),
    400,
    'merging lists cannot yet be specified in the patch',
  );
  assertFails(() => smp(podWith([]), { spec: { $patch: 'merge' } }), 400, 'unknown patch type: merge in map: map[$patch:merge]');
});

test("unknown $patch directives are refused with upstream's message", () => {
  assertFails(() => smp(podWith([]), { spec: { $patch: 'bogus', x: 1 } }), 400, 'unknown patch type: bogus in map: map[$patch:bogus x:1]');
  assertFails(
    () => smp(podWith([{ name: 'a' }]), { spec: { containers: [{ $patch: 'bogus', name: 'a' }] } }),
    400,
    'unknown patch type: bogus in map: map[$patch:bogus name:a]',
  );
  const err = (() => {
    try {
      smp(podWith([]), { spec: { $patch: 'bogus' } });
    } catch (e) {
      return e as ApiError;
    }
    return undefined;
  })();
  assert.equal(err?.toStatus().reason, 'BadRequest', "kube-apiserver answers a bare 500; the patch is the client's mistake");
});

test('lists without a merge strategy are replaced whole', () => {
  const original = podWith([{ name: 'a', args: ['1', '2'] }], { tolerations: [{ key: 'k1' }] });
  const out = smp(original, { spec: { tolerations: [{ key: 'k2' }], containers: [{ name: 'a', args: ['3'] }] } });
  assert.deepEqual(out, podWith([{ name: 'a', args: ['3'] }], { tolerations: [{ key: 'k2' }] }));
});

test('primitive lists with merge strategy merge as sets', () => {
  const out = smp({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['b', 'c'] } });
  assert.deepEqual(out, { metadata: { finalizers: ['a', 'b', 'c'] } });
  const added = smp({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['c'] } });
  assert.deepEqual(added, { metadata: { finalizers: ['c', 'a', 'b'] } });
});

test('$deleteFromPrimitiveList removes values and never adds the list', () => {
  const original = { metadata: { finalizers: ['a', 'b', 'c'] } };
  assert.deepEqual(smp(original, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'zz'] } }), { metadata: { finalizers: ['a', 'c'] } });
  assert.deepEqual(smp({ metadata: {} }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } }), { metadata: {} });
  // Deletion lists work on lists without a merge strategy too.
  assert.deepEqual(
    smp(podWith([{ name: 'a', args: ['x', 'y'] }]), { spec: { containers: [{ name: 'a', '$deleteFromPrimitiveList/args': ['x'] }] } }),
    podWith([{ name: 'a', args: ['y'] }]),
  );
});

test('malformed $deleteFromPrimitiveList and $setElementOrder keys are 400', () => {
  assertFails(() => smp({ metadata: { finalizers: ['a'] } }, { metadata: { $deleteFromPrimitiveList: ['a'] } }), 400, 'invalid patch format of primitive list');
  assertFails(() => smp({ metadata: {} }, { metadata: { '$deleteFromPrimitiveListX/finalizers': ['a'] } }), 400, 'invalid patch format of primitive list');
  assertFails(() => smp({ metadata: {} }, { metadata: { $setElementOrder: ['a'] } }), 400, 'invalid patch format of setElementOrder list');
  assertFails(() => smp({ metadata: {} }, { metadata: { '$setElementOrder/finalizers': 'a' } }), 400, 'expected a []interface {}, but received a string');
});

test('$setElementOrder orders the merged list; server-only items stay near their neighbours', () => {
  const original = podWith([{ name: 'p', image: 'old' }, { name: 'r' }, { name: 'side' }, { name: 's' }, { name: 'q' }]);
  const out = smp(original, {
    spec: {
      '$setElementOrder/containers': [{ name: 'q' }, { name: 'p' }, { name: 's' }, { name: 'r' }],
      containers: [{ name: 'p', image: 'new' }],
    },
  });
  // 'side' stood before 's' and 'q' on the server, so it goes before the first of them.
  assert.deepEqual(names(out), ['side', 'q', 'p', 's', 'r']);
  assert.equal((out as { spec: { containers: { image?: string }[] } }).spec.containers[2]!.image, 'new');
  const interleaved = smp(podWith([{ name: 'one' }, { name: 'two' }, { name: 'extra' }, { name: 'three' }, { name: 'four' }]), {
    spec: { '$setElementOrder/containers': [{ name: 'two' }, { name: 'one' }, { name: 'four' }, { name: 'three' }] },
  });
  assert.deepEqual(names(interleaved), ['two', 'one', 'extra', 'four', 'three']);
  const reordered = smp(podWith([{ name: 'p' }, { name: 'x' }, { name: 'q' }]), { spec: { '$setElementOrder/containers': [{ name: 'q' }, { name: 'p' }] } });
  assert.deepEqual(names(reordered), ['x', 'q', 'p'], 'x stood before q on the server');
});

test('$setElementOrder for primitive lists', () => {
  const out = smp({ metadata: { finalizers: ['a', 'b', 'd'] } }, { metadata: { '$setElementOrder/finalizers': ['a', 'b', 'c'], finalizers: ['c'] } });
  assert.deepEqual(out, { metadata: { finalizers: ['a', 'b', 'c', 'd'] } });
});

test('$setElementOrder that contradicts the patch list is refused', () => {
  assertFails(
    () =>
      smp(podWith([{ name: 'a' }, { name: 'b' }]), {
        spec: {
          '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
          containers: [
            { name: 'b', image: 'x' },
            { name: 'a', image: 'y' },
          ],
        },
      }),
    400,
    /^The order in patch list:\n\[map\[image:x name:b\] map\[image:y name:a\]\]\n doesn't match \$setElementOrder list:\n/,
  );
});

test('$retainKeys clears every other key; the patch may only set retained keys', () => {
  const deployment = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
  assert.deepEqual(smp(deployment, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, 't.Deployment'), {
    spec: { strategy: { type: 'Recreate' } },
  });
  assertFails(
    () => smp(deployment, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 2 } } } }, 't.Deployment'),
    400,
    'invalid patch format of retainKeys',
  );
  assertFails(() => smp(deployment, { spec: { strategy: { $retainKeys: 'type' } } }, 't.Deployment'), 400, 'invalid patch format of retainKeys');
  // Nulls in the patch need not be retained.
  assert.deepEqual(smp(deployment, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } }, 't.Deployment'), {
    spec: { strategy: { type: 'Recreate' } },
  });
});

test('$retainKeys in list elements (volumes change source)', () => {
  const original = podWith([], {
    volumes: [
      { name: 'v', configMap: { name: 'cm' } },
      { name: 'w', emptyDir: {} },
    ],
  });
  const out = smp(original, { spec: { volumes: [{ name: 'v', emptyDir: { medium: 'Memory' }, $retainKeys: ['emptyDir', 'name'] }] } });
  assert.deepEqual((out as { spec: { volumes: unknown } }).spec.volumes, [
    { name: 'v', emptyDir: { medium: 'Memory' } },
    { name: 'w', emptyDir: {} },
  ]);
});

test('null deletes a field; null members of new values are dropped', () => {
  const out = smp({ metadata: { name: 'p', labels: { a: '1', b: '2' } } }, { metadata: { labels: { a: null, c: '3' }, annotations: { x: null, y: 'z' } } });
  assert.deepEqual(out, { metadata: { name: 'p', labels: { b: '2', c: '3' }, annotations: { y: 'z' } } });
  assert.deepEqual(smp({ metadata: { name: 'p', labels: { a: '1' } } }, { metadata: { labels: null } }), { metadata: { name: 'p' } });
});

test('a value of another type replaces the original', () => {
  assert.deepEqual(smp({ metadata: { name: 'p', labels: 'odd' } }, { metadata: { labels: { a: '1', b: null } } }), {
    metadata: { name: 'p', labels: { a: '1' } },
  });
  assert.deepEqual(smp({ spec: { containers: [{ name: 'a' }] } }, { spec: { containers: 'x' } }), { spec: { containers: 'x' } });
});

test('a field with patchStrategy replace takes the patch map as it is', () => {
  const out = smp(podWith([], { securityContext: { runAsUser: 1, runAsGroup: 2 } }), { spec: { securityContext: { runAsUser: 5 } } });
  assert.deepEqual((out as { spec: { securityContext: unknown } }).spec.securityContext, { runAsUser: 5 });
});

test('maps of structs and fields missing from the facts merge as plain maps', () => {
  const out = smp(podWith([], { overhead: { cpu: '1' }, extra: { a: { b: 1 } }, extraList: [1, 2] }), {
    spec: { overhead: { memory: '1Gi' }, extra: { a: { c: 2 } }, extraList: [3] },
  });
  assert.deepEqual(out, podWith([], { overhead: { cpu: '1', memory: '1Gi' }, extra: { a: { b: 1, c: 2 } }, extraList: [3] }));
});

test('a merge list element without its merge key is refused', () => {
  assertFails(
    () => smp(podWith([{ name: 'a' }]), { spec: { containers: [{ image: 'x' }] } }),
    400,
    'map: map[image:x] does not contain declared merge key: name',
  );
  assertFails(
    () => smp(podWith([{ name: 'a' }]), { spec: { containers: [{ $patch: 'delete' }] } }),
    400,
    'map: map[$patch:delete] does not contain declared merge key: name',
  );
});

test('list element types must agree, and lists of lists are 422', () => {
  assertFails(() => smp({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: [1] } }), 400, 'list element types are not identical: [[a] [1]]');
  assertFails(
    () => smp({ metadata: { finalizers: [['a']] } }, { metadata: { finalizers: [['b']] } }),
    422,
    'the server rejected our request due to an error in our request',
  );
});

test('owner references merge by uid', () => {
  const out = smp(
    { metadata: { ownerReferences: [{ uid: '1', name: 'a' }] } },
    {
      metadata: {
        ownerReferences: [
          { uid: '1', name: 'b' },
          { uid: '2', name: 'c' },
        ],
      },
    },
  );
  assert.deepEqual(out, {
    metadata: {
      ownerReferences: [
        { uid: '1', name: 'b' },
        { uid: '2', name: 'c' },
      ],
    },
  });
});

test('service ports merge by port', () => {
  const original = {
    spec: {
      ports: [
        { port: 80, targetPort: 8080 },
        { port: 443, targetPort: 8443 },
      ],
      selector: { app: 'x' },
    },
  };
  const out = smp(original, { spec: { ports: [{ port: 443, name: 'https' }] } }, 't.Service');
  assert.deepEqual(out, {
    spec: {
      ports: [
        { port: 80, targetPort: 8080 },
        { port: 443, targetPort: 8443, name: 'https' },
      ],
      selector: { app: 'x' },
    },
  });
});

test('a type without facts gets the 415 of custom resources', () => {
  assertFails(
    () => smp({}, {}, 'example.com/v1.Widget'),
    415,
    'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  );
});

test('a patch that is not an object is 400; null changes nothing', () => {
  assertFails(() => smp({}, [1]), 400, 'json: cannot unmarshal array into Go value of type map[string]interface {}');
  assert.deepEqual(smp({ a: 1 }, null), { a: 1 });
});

test('top-level $patch: replace and delete', () => {
  assert.deepEqual(smp({ metadata: { name: 'p' }, spec: {} }, { $patch: 'replace', metadata: { name: 'q' } }), { metadata: { name: 'q' } });
  assert.deepEqual(smp({ metadata: { name: 'p' } }, { $patch: 'delete' }), {});
});

// Ordering cases whose outcomes upstream's own strategicpatch tests pin down, replayed here.
define('t.Lists', [
  field('name', str),
  field('mergingList', list(ref('t.Named')), merge('name')),
  field('mergingIntList', list(int), merge()),
  field('retainKeysMap', ref('t.Named'), { patchStrategy: 'retainKeys' }),
]);
define('t.Named', [field('name', str), field('value', str), field('other', str)]);
const lists = (original: unknown, patch: unknown): unknown => smp(original, patch, 't.Lists');

test('order: items new to the server come before server-only items when the order list says nothing of them', () => {
  const out = lists(
    { name: 'hi', mergingList: [{ name: 'hello2' }] },
    {
      '$setElementOrder/mergingList': [{ name: 'hello' }, { name: 'doesntexist' }],
      mergingList: [{ name: 'hello' }],
    },
  );
  assert.deepEqual(out, { name: 'hi', mergingList: [{ name: 'hello' }, { name: 'hello2' }] });
});

test('order: $setElementOrder may name items that are in neither list', () => {
  const out = lists(
    { mergingList: [{ name: '1' }, { name: '3' }] },
    {
      '$setElementOrder/mergingList': [{ name: '3' }, { name: '2' }, { name: '1' }],
      mergingList: [
        { name: '3', value: '3' },
        { name: '1', value: '1' },
      ],
    },
  );
  assert.deepEqual(out, {
    mergingList: [
      { name: '3', value: '3' },
      { name: '1', value: '1' },
    ],
  });
  assert.deepEqual(lists({ mergingIntList: [1, 3] }, { '$setElementOrder/mergingIntList': [3, 2, 1] }), { mergingIntList: [3, 1] });
});

test('order: new items placed by $setElementOrder around existing ones', () => {
  const out = lists(
    {
      mergingList: [
        { name: '1', other: 'a' },
        { name: '2', value: '2', other: 'b' },
      ],
    },
    {
      '$setElementOrder/mergingList': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
      mergingList: [
        { name: '4', value: '4' },
        { name: '3', value: '3' },
      ],
    },
  );
  assert.deepEqual(out, {
    mergingList: [
      { name: '4', value: '4' },
      { name: '1', other: 'a' },
      { name: '2', value: '2', other: 'b' },
      { name: '3', value: '3' },
    ],
  });
});

test('order: duplicate merge keys keep their relative order', () => {
  const out = lists(
    { mergingList: [{ name: '1' }, { name: '2', value: 'dup1' }, { name: '3' }, { name: '2', value: 'dup2' }, { name: '4' }] },
    {
      '$setElementOrder/mergingList': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }, { name: '2' }],
    },
  );
  assert.deepEqual(out, {
    mergingList: [{ name: '2', value: 'dup1' }, { name: '2', value: 'dup2' }, { name: '1' }, { name: '4' }, { name: '3' }],
  });
});

test('$retainKeys clears a server-defaulted member', () => {
  assert.deepEqual(lists({ retainKeysMap: { value: 'foo' } }, { retainKeysMap: { $retainKeys: ['other'], other: 'bar' } }), {
    retainKeysMap: { other: 'bar' },
  });
});

test('a delete directive for an element the server lacks changes nothing', () => {
  const out = lists({ mergingList: [{ name: 'a' }] }, { mergingList: [{ $patch: 'delete', name: 'gone' }] });
  assert.deepEqual(out, { mergingList: [{ name: 'a' }] });
});
