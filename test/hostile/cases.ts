// Generated hostile requests, by class: URL tricks, unbounded decoding, types looser than Go's,
// nulls and empties, query-string and method edges, malformed patches, and odd headers. Each
// case carries its own expectation beyond the suite-wide ones (no 5xx, an answer in time, error
// bodies of bounded size, nothing stored that kube would refuse).
import { typeFacts, type FieldType } from '../../src/api/index.js';
import type { Random } from './random.js';
import { kinds, validObject, type Kind, type Obj } from './templates.js';

export const hostileNamespace = 'hostile';

export interface HostileResponse {
  readonly status: number;
  readonly body: Buffer;
  readonly contentType: string;
  /** For watches: whether the stream ended before the client let go of it. */
  readonly ended: boolean;
  readonly ms: number;
}

export interface HostileCase {
  readonly cls: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** The typed kind a 2xx answer holds, for the oracle. */
  readonly typeName?: string;
  /** A watch: the client reads for a moment, then lets go. */
  readonly watch?: boolean;
  /** The server may close the connection instead of answering (a body past the limit, as Go's server may). */
  readonly mayReset?: boolean;
  /** Who the client claims to be: the admin certificate (the default), nobody, or a certificate from another CA. */
  readonly credentials?: 'admin' | 'anonymous' | 'forged';
  /** What is wrong with the answer beyond the suite-wide rules, if anything. */
  readonly check?: (res: HostileResponse) => string | undefined;
}

const json = 'application/json';
const mustRefuse =
  (why: string) =>
  (res: HostileResponse): string | undefined =>
    res.status >= 400 && res.status < 500 ? undefined : `expected a 4xx (${why}), got ${res.status}`;

/** Objects the suite makes before the run that cases aim at by name (and may legitimately delete). */
export const targetNames = ['target-1', 'target-2', 'target-3'];
/** Objects the suite makes before the run that no case names: each must still be there after it. */
export const sentinelNames = ['sentinel-1', 'sentinel-2', 'sentinel-3'];

// ---------------------------------------------------------------- URL tricks

/** Path segments as sent on the wire, each of which decodes to a name kube refuses. */
const badSegments = ['.', '..', '%2e', '%2E', '%2e%2e', '%2E%2e', '.%2e', '%2e.', 'a%2Fb', 'a%2fb', '%2F', '%2f..', 'a%25b', '%25', '%252e%252e'];
/** Segments kube may or may not accept; only the suite-wide rules apply. */
const oddSegments = ['...', '.a', 'a.', '%zz', '%', 'a%00b', '%c0%ae%c0%ae', '%E2%80%AE', 'x'.repeat(300), '%20', 'A', 'a;b', 'a?b'];

function pathCases(rng: Random, count: number): HostileCase[] {
  const out: HostileCase[] = [];
  const ns = hostileNamespace;
  const collections = [
    `/api/v1/namespaces/${ns}/configmaps`,
    `/api/v1/namespaces/${ns}/secrets`,
    `/api/v1/namespaces/${ns}/pods`,
    `/apis/apps/v1/namespaces/${ns}/deployments`,
    '/api/v1/namespaces',
    '/api/v1/nodes',
    '/apis/hostile.skiff.dev/v1/namespaces/hostile/blobs',
    '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  ];
  const methods = ['GET', 'DELETE', 'PUT', 'PATCH', 'POST', 'HEAD'];
  for (let i = 0; i < count; i++) {
    const method = rng.pick(methods);
    const bad = rng.chance(0.75);
    const seg = bad ? rng.pick(badSegments) : rng.pick(oddSegments);
    const form = rng.int(6);
    let path: string;
    switch (form) {
      case 0:
        path = `${rng.pick(collections)}/${seg}`;
        break;
      case 1:
        path = `${rng.pick(collections)}/${seg}/${rng.pick(['status', 'scale', 'finalize', 'eviction', 'binding'])}`;
        break;
      case 2:
        path = `/api/v1/namespaces/${seg}${rng.pick(['', '/configmaps', '/pods', '/configmaps/target-1', '/status', '/finalize'])}`;
        break;
      case 3:
        path = `/apis/apps/v1/namespaces/${seg}/deployments${rng.pick(['', '/x', '/target-1/scale'])}`;
        break;
      case 4: {
        // Dot segments between the parts of an otherwise ordinary path.
        const parts = ['api', 'v1', 'namespaces', ns, 'configmaps', rng.pick(targetNames)];
        parts.splice(1 + rng.int(parts.length), 0, rng.pick(['.', '..', '%2e%2e', '%2e', '..', '../..']));
        path = `/${parts.join('/')}`;
        break;
      }
      default:
        path = rng.pick([
          `/api/v1/namespaces//configmaps`,
          `/api//v1/namespaces/${ns}/configmaps`,
          `/api/v1/namespaces/${ns}/configmaps//`,
          `/api/v1/namespaces/${ns}//configmaps/target-1`,
          `/api/v1/namespaces/${ns}/configmaps/target-1//`,
          `//api/v1/namespaces`,
          `/api/v1/namespaces/${ns}/configmaps/target-1/..`,
          `/api/v1/namespaces/${ns}/configmaps/%2e%2e/%2e%2e/secrets`,
        ]);
    }
    const decodedBad = path.split('/').some((s) => isRefusedSegment(s));
    const body = ['PUT', 'PATCH', 'POST'].includes(method)
      ? JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: safeDecode(seg) }, data: { a: 'b' } })
      : undefined;
    const headers = method === 'PATCH' ? { 'Content-Type': 'application/merge-patch+json' } : { 'Content-Type': json };
    out.push({
      cls: 'paths',
      method,
      path,
      headers,
      ...(body ? { body } : {}),
      ...(decodedBad ? { check: mustRefuse('a name or namespace segment kube refuses') } : {}),
    });
  }
  // Names in bodies that the path-segment rules refuse.
  for (let i = 0; i < count / 5; i++) {
    const name = rng.pick(['.', '..', 'a/b', 'a%b', '%2e%2e', '../x']);
    const kindPath = rng.pick([
      `/api/v1/namespaces/${ns}/configmaps`,
      `/api/v1/namespaces/${ns}/secrets`,
      '/apis/hostile.skiff.dev/v1/namespaces/hostile/blobs',
    ]);
    const kind = kindPath.endsWith('configmaps') ? 'ConfigMap' : kindPath.endsWith('secrets') ? 'Secret' : 'Blob';
    const apiVersion = kind === 'Blob' ? 'hostile.skiff.dev/v1' : 'v1';
    out.push({
      cls: 'paths',
      method: 'POST',
      path: kindPath,
      headers: { 'Content-Type': json },
      body: JSON.stringify({ apiVersion, kind, metadata: { name } }),
      check: mustRefuse(`the name ${JSON.stringify(name)}`),
    });
  }
  return out;
}

function safeDecode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/** Whether a raw path segment names something kube refuses as a name or namespace: `.`, `..`, or one with `/` or `%`. */
function isRefusedSegment(raw: string): boolean {
  if (raw === '') return false;
  const decoded = safeDecode(raw);
  return decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('%');
}

// ---------------------------------------------------------------- unbounded decoding

function aliasBomb(depth: number, width: number, name: string, forCustomResource: boolean): string {
  const lines = [
    `apiVersion: ${forCustomResource ? 'hostile.skiff.dev/v1' : 'v1'}`,
    `kind: ${forCustomResource ? 'Blob' : 'ConfigMap'}`,
    `metadata: {name: ${name}}`,
  ];
  lines.push(forCustomResource ? 'spec:' : 'data:');
  lines.push(`  l0: &l0 ["${'lol'.repeat(3)}"${', "lol"'.repeat(width - 1)}]`);
  for (let d = 1; d < depth; d++) lines.push(`  l${d}: &l${d} [${Array.from({ length: width }, () => `*l${d - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

function repeatedStringBomb(copies: number, size: number, name: string): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', `metadata: {name: ${name}}`, 'data:', `  s0: &s "${'x'.repeat(size)}"`];
  for (let i = 1; i < copies; i++) lines.push(`  s${i}: *s`);
  return `${lines.join('\n')}\n`;
}

function deepJson(depth: number, asArray: boolean, name: string): string {
  const open = asArray ? '['.repeat(depth) : '{"a":'.repeat(depth);
  const close = asArray ? ']'.repeat(depth) : '}'.repeat(depth);
  return `{"apiVersion":"hostile.skiff.dev/v1","kind":"Blob","metadata":{"name":"${name}"},"spec":{"deep":${open}1${close}}}`;
}

function decodingCases(rng: Random, count: number, nextName: () => string): HostileCase[] {
  const out: HostileCase[] = [];
  const ns = hostileNamespace;
  const crPath = `/apis/hostile.skiff.dev/v1/namespaces/${ns}/blobs`;
  const cmPath = `/api/v1/namespaces/${ns}/configmaps`;
  for (let i = 0; i < count; i++) {
    const name = nextName();
    const form = rng.int(9);
    switch (form) {
      case 0: {
        const depth = 2 + rng.int(9);
        const width = 2 + rng.int(9);
        const custom = rng.chance(0.6);
        // width^depth leaves: anything past a few thousand is a bomb that must be refused quickly.
        const leaves = width ** depth;
        out.push({
          cls: 'decoding',
          method: rng.pick(['POST', 'POST', 'PUT']),
          path: custom ? crPath : cmPath,
          headers: { 'Content-Type': 'application/yaml' },
          body: aliasBomb(depth, width, name, custom),
          ...(leaves > 1_000_000 ? { check: mustRefuse(`a YAML alias bomb of ${leaves} leaves`) } : {}),
        });
        break;
      }
      case 1: {
        const copies = 10 + rng.int(200);
        const size = 1000 + rng.int(200_000);
        out.push({
          cls: 'decoding',
          method: 'POST',
          path: cmPath,
          headers: { 'Content-Type': 'application/yaml' },
          body: repeatedStringBomb(copies, size, name),
          ...(copies * size > 4 * 1024 * 1024 ? { check: mustRefuse(`a decoded object of ${copies * size} bytes`) } : {}),
        });
        break;
      }
      case 2: {
        const depth = rng.pick([100, 1000, 9000, 10_001, 20_000, 100_000, 500_000]);
        out.push({
          cls: 'decoding',
          method: 'POST',
          path: crPath,
          headers: { 'Content-Type': json },
          body: deepJson(depth, rng.chance(0.5), name),
          ...(depth > 10_000 ? { check: mustRefuse(`JSON nested ${depth} deep`) } : {}),
        });
        break;
      }
      case 3: {
        const depth = rng.pick([1000, 10_001, 100_000]);
        out.push({
          cls: 'decoding',
          method: 'POST',
          path: crPath,
          headers: { 'Content-Type': 'application/yaml' },
          body: `apiVersion: hostile.skiff.dev/v1\nkind: Blob\nmetadata: {name: ${name}}\nspec: {deep: ${'['.repeat(depth)}1${']'.repeat(depth)}}\n`,
          ...(depth > 10_000 ? { check: mustRefuse(`YAML nested ${depth} deep`) } : {}),
        });
        break;
      }
      case 4: {
        const kind = rng.pick(kinds);
        const text = JSON.stringify(validObject(kind, name, ns));
        const cut = 1 + rng.int(text.length - 2);
        out.push({
          cls: 'decoding',
          method: 'POST',
          path: kind.collection(ns),
          headers: { 'Content-Type': json },
          body: text.slice(0, cut),
          check: mustRefuse('truncated JSON'),
        });
        break;
      }
      case 5: {
        const garbage = Buffer.alloc(1 + rng.int(4096));
        for (let b = 0; b < garbage.length; b++) garbage[b] = rng.int(256);
        const body = rng.chance(0.5) ? Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), garbage]) : garbage;
        out.push({
          cls: 'decoding',
          method: rng.pick(['POST', 'PUT']),
          path: rng.chance(0.5) ? cmPath : `/api/v1/namespaces/${ns}/pods`,
          headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
          body,
          check: mustRefuse('protobuf garbage'),
        });
        break;
      }
      case 6: {
        // Invalid UTF-8 and control characters inside strings.
        const text = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'PLACEHOLDER' } });
        const [head, tail] = text.split('PLACEHOLDER') as [string, string];
        const bad = Buffer.from(
          rng.pick([
            [0xc3, 0x28],
            [0xff, 0xfe],
            [0xed, 0xa0, 0x80],
            [0xf4, 0x90, 0x80, 0x80],
            [0xe2, 0x82],
          ]),
        );
        out.push({
          cls: 'decoding',
          method: 'POST',
          path: cmPath,
          headers: { 'Content-Type': json },
          body: Buffer.concat([Buffer.from(head), bad, Buffer.from(tail)]),
        });
        break;
      }
      case 7: {
        const size = 3 * 1024 * 1024 + 1 + rng.int(1024 * 1024);
        out.push({
          cls: 'decoding',
          method: 'POST',
          path: cmPath,
          headers: { 'Content-Type': json },
          body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { big: 'x'.repeat(size) } }),
          mayReset: true,
          check: (res) => (res.status === 413 ? undefined : `expected 413 for a body of ${size} bytes, got ${res.status}`),
        });
        break;
      }
      default: {
        // Not an object at the top: arrays, scalars, several YAML documents, empty bodies.
        const body = rng.pick(['[]', '1', '"x"', 'null', 'true', '---\na: 1\n---\nb: 2\n', '', ' ', '{}{}', '{"a":1}garbage']);
        out.push({
          cls: 'decoding',
          method: 'POST',
          path: rng.pick([cmPath, crPath]),
          headers: { 'Content-Type': rng.pick([json, 'application/yaml']) },
          body,
          check: mustRefuse(`a body of ${JSON.stringify(body)}`),
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- types and nulls

type Leaf = 'int32' | 'int64' | 'double' | 'quantity' | 'int-or-string';
interface LeafPath {
  readonly path: readonly (string | number)[];
  readonly leaf: Leaf;
}

const leafCache = new Map<string, LeafPath[]>();

/** Every numeric, quantity and int-or-string field of a type, as paths (lists step into item 0), to a bounded depth. */
export function leafPaths(typeName: string): LeafPath[] {
  let paths = leafCache.get(typeName);
  if (paths) return paths;
  paths = [];
  const visit = (type: FieldType, path: (string | number)[], depth: number, seen: readonly string[]): void => {
    if (depth > 9 || paths.length > 3000) return;
    switch (type.kind) {
      case 'int32':
      case 'int64':
      case 'double':
        paths.push({ path, leaf: type.kind });
        return;
      case 'array':
        visit(type.items, [...path, 0], depth + 1, seen);
        return;
      case 'map':
        visit(type.values, [...path, 'k'], depth + 1, seen);
        return;
      case 'ref': {
        const facts = typeFacts(type.type);
        if (!facts || seen.includes(type.type)) return;
        if (facts.special === 'quantity' || facts.special === 'int-or-string') {
          paths.push({ path, leaf: facts.special });
          return;
        }
        if (facts.special) return;
        for (const f of facts.fields) {
          if (path.length === 0 && (f.name === 'status' || f.name === 'metadata')) continue;
          visit(f.type, [...path, f.name], depth + 1, [...seen, type.type]);
        }
        return;
      }
      default:
        return;
    }
  };
  visit({ kind: 'ref', type: typeName }, [], 0, []);
  leafCache.set(typeName, paths);
  return paths;
}

/** Raw JSON number texts Go's typed decoding must judge from the text itself, kept apart from JSON.stringify. */
const rawNumbers = ['9223372036854775807', '9223372036854775808', '-9223372036854775809', '1e3', '1.0', '1E+2', '2147483648', '1e400', '-0', '4294967296'];
const intValues: unknown[] = [2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 1e30, -1e30, 1.5, -0.5, -1, 0, 'string', '1', true, [], {}];
const quantityValues: unknown[] = [
  'not-a-quantity',
  '-1',
  '1e400',
  '1e308',
  '9223372036854775807Ki',
  '0.0000000001',
  '1Ki1',
  '',
  ' 1',
  '+1',
  '1.',
  '.5',
  'Infinity',
  'NaN',
  1e30,
  -5,
  1.5,
  '1EE',
  '10E',
  '99999999999999999999999999999Ei',
  '1e-400',
  '0x10',
  true,
  [],
  {},
];
const intOrStringValues: unknown[] = [2 ** 31, -(2 ** 31) - 1, -1, '10%', '-10%', '%', '101%', 'abc', 1.5, 1e30, '', true, [], {}, 2 ** 63];

function valueFor(rng: Random, leaf: Leaf): { value: unknown; raw?: string } {
  if (leaf === 'quantity') return { value: rng.pick(quantityValues) };
  if (leaf === 'int-or-string') return rng.chance(0.2) ? { value: null, raw: rng.pick(rawNumbers) } : { value: rng.pick(intOrStringValues) };
  if (rng.chance(0.3)) return { value: null, raw: rng.pick(rawNumbers) };
  return { value: rng.pick(intValues) };
}

/** Sets `value` at `path` inside obj, making the objects and one-item lists on the way. */
function setAt(obj: Obj, path: readonly (string | number)[], value: unknown): void {
  let cur: unknown = obj;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const last = i === path.length - 1;
    const container = cur as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    const nextIsIndex = typeof path[i + 1] === 'number';
    let next = container[key];
    if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next) !== nextIsIndex) {
      next = nextIsIndex ? [] : {};
      container[key] = next;
    }
    if (nextIsIndex && (next as unknown[]).length === 0) (next as unknown[]).push({});
    cur = next;
  }
}

const rawMarker = '"__HOSTILE_RAW__"';

function serialise(obj: Obj, raw: string | undefined): string {
  const text = JSON.stringify(obj);
  return raw === undefined ? text : text.replace(rawMarker, raw);
}

/** Where a kind's objects can be written: a new object, an existing one, or one of its subresources. */
function writeTarget(rng: Random, kind: Kind, name: string, existing: string): { method: string; path: string; headers: Record<string, string>; verb: string } {
  const coll = kind.collection(hostileNamespace);
  const verb = rng.pick(['create', 'create', 'update', 'merge', 'strategic', 'apply', ...(kind.subresources.length ? ['subresource'] : [])]);
  switch (verb) {
    case 'create':
      return { verb, method: 'POST', path: coll, headers: { 'Content-Type': json } };
    case 'update':
      return { verb, method: 'PUT', path: `${coll}/${existing}`, headers: { 'Content-Type': json } };
    case 'merge':
      return { verb, method: 'PATCH', path: `${coll}/${existing}`, headers: { 'Content-Type': 'application/merge-patch+json' } };
    case 'strategic':
      return { verb, method: 'PATCH', path: `${coll}/${existing}`, headers: { 'Content-Type': 'application/strategic-merge-patch+json' } };
    case 'apply':
      return {
        verb,
        method: 'PATCH',
        path: `${coll}/${rng.chance(0.5) ? existing : name}?fieldManager=hostile&force=true`,
        headers: { 'Content-Type': 'application/apply-patch+yaml' },
      };
    default: {
      const sub = rng.pick(kind.subresources);
      return { verb, method: rng.pick(['PUT', 'PATCH']), path: `${coll}/${existing}/${sub}`, headers: { 'Content-Type': 'application/merge-patch+json' } };
    }
  }
}

function typeCases(rng: Random, count: number, nextName: () => string, existingOf: (kind: Kind) => string): HostileCase[] {
  const out: HostileCase[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(kinds);
    const name = nextName();
    const existing = existingOf(kind);
    const target = writeTarget(rng, kind, name, existing);
    const objName = target.method === 'POST' ? name : target.path.includes(`/${name}?`) ? name : existing;
    const obj = validObject(kind, objName, hostileNamespace);
    let raw: string | undefined;
    let body: Obj = obj;
    if (target.path.endsWith('/scale')) {
      const choice = valueFor(rng, 'int32');
      raw = choice.raw;
      body = { spec: { replicas: raw === undefined ? choice.value : '__HOSTILE_RAW__' } };
      if (target.method === 'PUT') body = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: existing, namespace: hostileNamespace }, ...body };
    } else {
      const paths = leafPaths(kind.typeName);
      const mutations = 1 + rng.int(3);
      for (let m = 0; m < mutations && paths.length; m++) {
        const leaf = rng.pick(paths);
        const choice = valueFor(rng, leaf.leaf);
        if (choice.raw !== undefined && raw === undefined) {
          raw = choice.raw;
          setAt(obj, leaf.path, '__HOSTILE_RAW__');
        } else setAt(obj, leaf.path, choice.raw !== undefined ? 2 ** 31 : choice.value);
      }
      if (target.path.endsWith('/status')) body = { status: obj.spec ?? {} };
    }
    out.push({ cls: 'types', method: target.method, path: target.path, headers: target.headers, body: serialise(body, raw), typeName: kind.typeName });
  }
  // Delete options and grace periods, in the body and the query.
  for (let i = 0; i < count / 10; i++) {
    const kind = rng.pick(kinds.filter((k) => k.namespaced));
    const grace = rng.chance(0.5) ? rng.pick(['1e30', '9223372036854775808', '1.5', '-1', '"30"', 'true', '2147483648']) : '5';
    const asQuery = rng.chance(0.5);
    out.push({
      cls: 'types',
      method: 'DELETE',
      path: `${kind.collection(hostileNamespace)}/${nextName()}${asQuery ? `?gracePeriodSeconds=${encodeURIComponent(grace)}` : ''}`,
      headers: { 'Content-Type': json },
      ...(asQuery ? {} : { body: `{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":${grace}}` }),
    });
  }
  return out;
}

/** Paths of list-valued and map-valued fields present in a valid object, to aim nulls and empties at. */
function containerPaths(
  value: unknown,
  path: (string | number)[] = [],
  out: { path: (string | number)[]; list: boolean }[] = [],
): { path: (string | number)[]; list: boolean }[] {
  if (Array.isArray(value)) {
    out.push({ path, list: true });
    value.forEach((v, i) => containerPaths(v, [...path, i], out));
  } else if (value && typeof value === 'object') {
    if (path.length) out.push({ path, list: false });
    for (const [k, v] of Object.entries(value)) containerPaths(v, [...path, k], out);
  }
  return out;
}

const emptyValues: unknown[] = [null, {}, [], '', 0, false, [null], { '': '' }];
const badFieldPaths = [
  'metadata.uid2',
  'spec.nodeName2',
  'status.podIP[0]',
  '',
  'metadata.labels[',
  'metadata.annotations["x"]',
  'status',
  '.',
  'spec.containers[0].image',
];
const badLabelValues = ['x'.repeat(64), '-start', 'end-', 'has space', 'a/b', 'ünï', '😀', 123, true, null];
const badLabelKeys = ['x'.repeat(64), 'a/'.repeat(3), '/x', 'x/', 'UPPER.example.com/x', `${'d'.repeat(254)}/x`, '', 'a b'];

function nullCases(rng: Random, count: number, nextName: () => string, existingOf: (kind: Kind) => string): HostileCase[] {
  const out: HostileCase[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(kinds);
    const name = nextName();
    const target = writeTarget(rng, kind, name, existingOf(kind));
    if (target.path.endsWith('/scale')) continue;
    const objName = target.method === 'POST' ? name : target.path.includes(`/${name}?`) ? name : existingOf(kind);
    const obj = validObject(kind, objName, hostileNamespace);
    const form = rng.int(5);
    if (form <= 1) {
      const places = containerPaths(obj).filter((p) => p.path[0] !== 'metadata' || p.path[1] === 'labels' || p.path[1] === 'annotations');
      const place = rng.pick(places);
      if (place.list) {
        const list = place.path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], obj) as unknown[];
        list.splice(rng.int(list.length + 1), 0, rng.pick(emptyValues));
      } else setAt(obj, [...place.path, rng.pick(['x', 'name', 'a'])], rng.pick(emptyValues));
    } else if (form === 2) {
      const meta = obj.metadata as Obj;
      if (rng.chance(0.5)) meta.labels = { ...(meta.labels ?? {}), [rng.pick(badLabelKeys)]: 'v' };
      else meta.labels = { ...(meta.labels ?? {}), ok: rng.pick(badLabelValues) };
      if (rng.chance(0.3)) meta.annotations = { [rng.pick(badLabelKeys)]: 'x'.repeat(rng.pick([1, 300_000])) };
    } else if (form === 3) {
      const spec = findPodSpec(obj);
      if (!spec) continue;
      const c = (spec.containers as Obj[])[0]!;
      if (rng.chance(0.5)) c.env = [{ name: 'X', valueFrom: { fieldRef: { fieldPath: rng.pick(badFieldPaths) } } }];
      else (spec.volumes as Obj[])[0] = { name: 'scratch', emptyDir: { sizeLimit: rng.pick(quantityValues), medium: rng.pick(['Memory', '', 'Bogus', 5]) } };
    } else {
      const spec = findPodSpec(obj);
      if (!spec) continue;
      const field = rng.pick(['containers', 'initContainers', 'tolerations', 'volumes', 'imagePullSecrets', 'hostAliases', 'ephemeralContainers']);
      spec[field] = rng.pick([[null], [{}], [null, null], null, [], {}, 'x', [[]]]);
    }
    out.push({ cls: 'nulls', method: target.method, path: target.path, headers: target.headers, body: JSON.stringify(obj), typeName: kind.typeName });
  }
  return out;
}

function findPodSpec(obj: Obj): Obj | undefined {
  const spec = obj.spec as Obj | undefined;
  if (!spec) return undefined;
  if (obj.kind === 'Pod') return spec;
  const tpl = (spec.template as Obj | undefined)?.spec as Obj | undefined;
  if (tpl) return tpl;
  return ((((spec.jobTemplate as Obj | undefined)?.spec as Obj | undefined)?.template as Obj | undefined)?.spec as Obj | undefined) ?? undefined;
}

// ---------------------------------------------------------------- query strings and methods

const queryValues = [
  '',
  'x',
  '-1',
  '0',
  '1',
  '2147483648',
  '9223372036854775807',
  '9223372036854775808',
  '99999999999999999999',
  '1e3',
  '1.5',
  ' 1',
  '0x10',
  '+5',
  'true',
  '%00',
  'ü',
  'x'.repeat(5000),
];
const queryParams = [
  'limit',
  'continue',
  'timeoutSeconds',
  'resourceVersion',
  'resourceVersionMatch',
  'labelSelector',
  'fieldSelector',
  'watch',
  'allowWatchBookmarks',
  'sendInitialEvents',
  'gracePeriodSeconds',
  'propagationPolicy',
  'orphanDependents',
  'dryRun',
  'fieldManager',
  'fieldValidation',
  'pretty',
];
const selectorValues = [
  'a=b',
  'a in (b',
  'a!=',
  '!!a',
  'a=b,,c',
  `${'k'.repeat(70)}=v`,
  'metadata.name=x',
  'spec.nodeName==',
  'status.phase in (Running)',
  'a==b==c',
  '(',
  ')',
  '=',
  'a=b=c',
];

function continueToken(rng: Random): string {
  const rv = rng.pick(['1', '0', '-1', '99999999999999999999', '9223372036854775807', '1e30', 'x', '']);
  const inner = rng.pick([
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start: 'x' }),
    JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: '../../' }),
    JSON.stringify({ v: 'bogus' }),
    '{not json',
    JSON.stringify([1, 2, 3]),
  ]);
  return rng.pick([Buffer.from(inner).toString('base64'), Buffer.from(inner).toString('base64url'), inner, '%%%', 'AAAA']);
}

function queryCases(rng: Random, count: number): HostileCase[] {
  const out: HostileCase[] = [];
  const ns = hostileNamespace;
  for (let i = 0; i < count; i++) {
    const params = new URLSearchParams();
    const n = 1 + rng.int(3);
    for (let p = 0; p < n; p++) {
      const name = rng.pick(queryParams);
      const value =
        name === 'continue'
          ? continueToken(rng)
          : name.endsWith('Selector')
            ? rng.pick([...selectorValues, ...queryValues])
            : rng.pick(
                name === 'resourceVersionMatch' || name === 'propagationPolicy'
                  ? ['NotOlderThan', 'Exact', 'Orphan', 'Background', 'Foreground', 'bogus', '']
                  : queryValues,
              );
      params.append(name, value);
    }
    const watch = rng.chance(0.25);
    // Any `watch` value but false/0 opens a stream: the client lets go of those after a moment.
    const streams = watch || params.has('watch');
    if (watch) {
      params.set('watch', '1');
      if (!params.has('timeoutSeconds')) params.set('timeoutSeconds', rng.pick(['1', '5', '2147483648', '9223372036854775807', '99999999999', '4294968']));
    }
    const collection = rng.pick([
      `/api/v1/namespaces/${ns}/configmaps`,
      `/api/v1/namespaces/${ns}/pods`,
      '/api/v1/pods',
      '/api/v1/namespaces',
      `/apis/apps/v1/namespaces/${ns}/deployments`,
      '/apis/hostile.skiff.dev/v1/namespaces/hostile/blobs',
    ]);
    const method = watch ? 'GET' : rng.pick(['GET', 'GET', 'GET', 'DELETE']);
    // A deletecollection with hostile options must not empty the suite's sentinels: aim it at a label nobody has.
    if (method === 'DELETE') params.set('labelSelector', 'hostile.skiff.dev/none=true');
    const timeout = params.get('timeoutSeconds') ?? '';
    out.push({
      cls: 'query',
      method,
      path: `${collection}?${params.toString()}`,
      watch: streams,
      check: (res) => {
        if (!watch || res.status !== 200) return undefined;
        // kube caps a long timeout; it never closes a long watch at once.
        const seconds = /^\d+$/.test(timeout) ? Number(timeout) : 0;
        const errorEvent = res.body.includes('"type":"ERROR"');
        return seconds >= 2 && res.ended && res.ms < 250 && !errorEvent
          ? `a watch with timeoutSeconds=${timeout} ended after ${Math.round(res.ms)} ms`
          : undefined;
      },
    });
  }
  return out;
}

const webdavAndOthers = [
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'OPTIONS',
  'TRACE',
  'SEARCH',
  'PURGE',
  'REPORT',
  'MKACTIVITY',
  'CHECKOUT',
  'MERGE',
  'NOTIFY',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'LINK',
  'UNLINK',
  'BIND',
  'REBIND',
  'UNBIND',
  'ACL',
  'QUERY',
];

function methodCases(rng: Random, count: number): HostileCase[] {
  const ns = hostileNamespace;
  const paths = [
    `/api/v1/namespaces/${ns}/configmaps/target-1`,
    `/api/v1/namespaces/${ns}/configmaps`,
    `/apis/apps/v1/namespaces/${ns}/deployments/target-1/scale`,
    `/api/v1/namespaces/${ns}`,
    '/api/v1/nodes',
    `/api/v1/namespaces/${ns}/pods/target-1/status`,
  ];
  return Array.from({ length: count }, () => ({
    cls: 'methods',
    method: rng.pick(webdavAndOthers),
    path: rng.pick(paths),
    check: mustRefuse('a method kube does not serve'),
  }));
}

// ---------------------------------------------------------------- patches

const jsonPatchPaths = [
  '/data/key',
  '/data/missing-x',
  '/metadata/labels/app',
  '/metadata/labels',
  '/metadata/finalizers/-',
  '/metadata/finalizers/5',
  '/nonexistent/deep/path',
  '/data/~1',
  '/data/~0x',
  '/data/~2',
  '',
  '/',
  'data/key',
  '/data/0',
  '/spec/replicas',
  '/spec/template/spec/containers/0/name',
  '/spec/template/spec/containers/7',
  '/spec/template/spec/containers/-1',
  '/spec/template/spec/containers/01',
];
// On the ConfigMaps the cases patch: paths whose parent is missing and that no case can create (every
// op on them fails in kube's json-patch v4). Missing keys under `data` are no use here: other cases
// add them (kube's replace adds a missing key).
const missingParents = new Set(['/nonexistent/deep/path', '/metadata/finalizers/5', '/spec/template/spec/containers/7']);
const jsonValues: unknown[] = [1, 'x', null, true, [], {}, [null], { a: null }, 2 ** 63, 'x'.repeat(1000)];
const smpDirectives: unknown[] = [
  { $patch: 'bogus' },
  { $patch: 5 },
  { metadata: { $patch: 'delete' } },
  { spec: { template: { spec: { containers: [{ $patch: 5 }] } } } },
  { spec: { template: { spec: { containers: [{ $patch: 'delete' }] } } } },
  { spec: { template: { spec: { containers: [{ $patch: 'replace', name: 'app' }] } } } },
  { $retainKeys: 'x' },
  { spec: { $retainKeys: ['a', 5] } },
  { spec: { strategy: { $retainKeys: [null] } } },
  { metadata: { '$deleteFromPrimitiveList/finalizers': 'x' } },
  { metadata: { '$deleteFromPrimitiveList/finalizers': [{}] } },
  { spec: { template: { spec: { '$setElementOrder/containers': 'x' } } } },
  { spec: { template: { spec: { '$setElementOrder/containers': [5, null, { name: 1 }] } } } },
  { spec: { template: { spec: { containers: 'notalist' } } } },
  { spec: { template: { spec: { containers: [{ name: null }] } } } },
  { spec: { template: { spec: { containers: [5] } } } },
  { spec: { template: { spec: { containers: [null] } } } },
  { spec: { selector: { $patch: 'replace' } } },
  { 'spec/template': 1 },
  { $setElementOrder: 1 },
  { metadata: { labels: { $patch: 'replace', a: 1 } } },
];

function patchCases(rng: Random, count: number, patchTarget: (i: number) => { configMap: string; deployment: string }): HostileCase[] {
  const out: HostileCase[] = [];
  const ns = hostileNamespace;
  for (let i = 0; i < count; i++) {
    const target = patchTarget(i);
    const form = rng.int(4);
    if (form === 0) {
      const ops = Array.from({ length: 1 + rng.int(3) }, () => {
        const op = rng.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus', '']);
        const path = rng.pick(jsonPatchPaths);
        const o: Obj = { op, path };
        if (op === 'move' || op === 'copy') o.from = rng.pick(jsonPatchPaths);
        if (op !== 'remove' && rng.chance(0.9)) o.value = rng.pick(jsonValues);
        return o;
      });
      const first = ops[0]!;
      const aim = first.op === 'move' || first.op === 'copy' ? (first.from as string) : (first.path as string);
      const fails = ['replace', 'remove', 'move', 'copy'].includes(first.op as string) && missingParents.has(aim);
      const missing = fails ? `${first.op as string} of the missing path ${aim}` : undefined;
      const deployment = rng.chance(0.4);
      out.push({
        cls: 'patches',
        method: 'PATCH',
        path: deployment ? `/apis/apps/v1/namespaces/${ns}/deployments/${target.deployment}` : `/api/v1/namespaces/${ns}/configmaps/${target.configMap}`,
        headers: { 'Content-Type': 'application/json-patch+json' },
        body: JSON.stringify(rng.chance(0.05) ? rng.pick([{}, 'x', [1], [null]]) : ops),
        typeName: deployment ? 'io.k8s.api.apps.v1.Deployment' : 'io.k8s.api.core.v1.ConfigMap',
        ...(missing && !deployment ? { check: mustRefuse(missing) } : {}),
      });
    } else if (form === 1) {
      out.push({
        cls: 'patches',
        method: 'PATCH',
        path: `/apis/apps/v1/namespaces/${ns}/deployments/${target.deployment}`,
        headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
        body: JSON.stringify(rng.pick(smpDirectives)),
        typeName: 'io.k8s.api.apps.v1.Deployment',
      });
    } else if (form === 2) {
      out.push({
        cls: 'patches',
        method: 'PATCH',
        path: `/api/v1/namespaces/${ns}/configmaps/${target.configMap}`,
        headers: { 'Content-Type': rng.pick(['application/merge-patch+json', 'application/strategic-merge-patch+json']) },
        body: JSON.stringify(
          rng.pick([[], [1], 1, 'x', null, true, { data: [] }, { data: { k: 1 } }, { metadata: { name: 'other' } }, { metadata: null }, { data: null }]),
        ),
        typeName: 'io.k8s.api.core.v1.ConfigMap',
      });
    } else {
      const apiVersion = rng.pick(['apps/v1beta1', 'apps/v1beta2', 'v1', 'batch/v1', 'extensions/v1beta1', 'apps/v2', 'bogus/v1']);
      out.push({
        cls: 'patches',
        method: 'PATCH',
        path: `/apis/apps/v1/namespaces/${ns}/deployments/${target.deployment}?fieldManager=hostile`,
        headers: { 'Content-Type': 'application/apply-patch+yaml' },
        body: JSON.stringify({ apiVersion, kind: 'Deployment', metadata: { name: target.deployment }, spec: { replicas: 1 } }),
        check: mustRefuse(`an apply patch of apiVersion ${apiVersion} to apps/v1`),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- headers

function headerCases(rng: Random, count: number, nextName: () => string): HostileCase[] {
  const types = [
    'text/plain',
    'application/json; charset=utf-16',
    'application/xml',
    'application/json;;;',
    'application/apply-patch+yaml',
    'application/json-patch+json',
    '*/*',
    'application/',
    'a'.repeat(2000),
    'multipart/form-data; boundary=x',
    'application/vnd.kubernetes.protobuf;stream=watch',
  ];
  const accepts = [
    'text/html',
    'application/xml',
    'application/json;as=Table;v=v9;g=meta.k8s.io',
    'application/json;as=Bogus;g=meta.k8s.io;v=v1',
    '*/*;q=0',
    'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io',
    ',,,',
    'a'.repeat(2000),
  ];
  return Array.from({ length: count }, () => {
    const ns = hostileNamespace;
    const post = rng.chance(0.5);
    return {
      cls: 'headers',
      method: post ? 'POST' : 'GET',
      path: post
        ? `/api/v1/namespaces/${ns}/configmaps`
        : rng.pick([`/api/v1/namespaces/${ns}/configmaps`, `/api/v1/namespaces/${ns}/configmaps/target-1`, '/api/v1/namespaces?watch=1&timeoutSeconds=1']),
      headers: post ? { 'Content-Type': rng.pick(types) } : { Accept: rng.pick(accepts) },
      ...(post ? { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: nextName() } }) } : {}),
    };
  });
}

// ---------------------------------------------------------------- authentication

const openPaths = ['/healthz', '/livez', '/readyz', '/version', '/healthz/ping', '/readyz/informer-sync', '/livez/ping'];
const closedPaths = [
  '/api',
  '/apis',
  '/api/v1/namespaces',
  `/api/v1/namespaces/${hostileNamespace}/secrets/sentinel-1`,
  '/apis/apps/v1/deployments',
  '/metrics',
  '/openapi/v2',
  '/openapi/v3',
  '/api/v1/nodes',
  '/version/..',
  '/healthz/../api/v1/secrets',
  '/%2e%2e/api/v1/secrets',
  '/readyz%2f..%2fapi',
];
const bogusTokens = [
  'Bearer ',
  'Bearer x',
  'Bearer ' + 'a'.repeat(8000),
  'Basic YWRtaW46YWRtaW4=',
  'bearer admin',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.',
  'Negotiate abc',
  'Bearer\ttoken',
];

function authCases(rng: Random, count: number): HostileCase[] {
  return Array.from({ length: count }, () => {
    const open = rng.chance(0.2);
    const path = open ? rng.pick(openPaths) : rng.pick(closedPaths);
    const credentials = rng.pick(['anonymous', 'forged'] as const);
    const token = rng.chance(0.5) ? rng.pick(bogusTokens) : undefined;
    const method = open ? 'GET' : rng.pick(['GET', 'GET', 'DELETE', 'POST', 'PUT']);
    return {
      cls: 'auth',
      method,
      path,
      credentials,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: token } : {}) },
      ...(method === 'POST' || method === 'PUT' ? { body: '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"intruder"}}' } : {}),
      check: (res: HostileResponse) =>
        open
          ? res.status === 200
            ? undefined
            : `${path} must stay open, got ${res.status}`
          : res.status === 401
            ? undefined
            : `expected 401 for ${credentials} credentials${token ? ` and ${JSON.stringify(token.slice(0, 20))}` : ''}, got ${res.status}`,
    };
  });
}

/** The whole generated run, shuffled so that classes interleave as a mixed crowd of clients would. */
export function generateCases(
  rng: Random,
  scale: number,
  existingOf: (kind: Kind) => string,
  patchTarget: (i: number) => { configMap: string; deployment: string },
): HostileCase[] {
  let counter = 0;
  const nextName = () => `h${rng.word(4)}-${(counter++).toString(36)}`;
  const n = (base: number) => Math.max(1, Math.round(base * scale));
  const cases = [
    ...pathCases(rng, n(2000)),
    ...decodingCases(rng, n(900), nextName),
    ...typeCases(rng, n(3000), nextName, existingOf),
    ...nullCases(rng, n(1500), nextName, existingOf),
    ...queryCases(rng, n(1400)),
    ...methodCases(rng, n(400)),
    ...patchCases(rng, n(1300), patchTarget),
    ...headerCases(rng, n(400), nextName),
    ...authCases(rng, n(400)),
  ];
  for (let i = cases.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [cases[i], cases[j]] = [cases[j]!, cases[i]!];
  }
  return cases;
}
