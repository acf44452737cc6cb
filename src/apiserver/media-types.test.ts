// Unit tests of content negotiation and request body decoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, encodeKubernetesProtobuf } from '../api/index.js';
import { decodeBody, negotiate, parseAccept, parseMediaType, protobufType } from './media-types.js';

const views = { allowViews: true, allowProtobuf: true };
const plain = { allowViews: false, allowProtobuf: false };

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

test('parseMediaType lowercases the type and keys and unquotes values', () => {
  assert.deepEqual(parseMediaType('Application/JSON; AS="Table" ;v=v1; g=meta.k8s.io'), {
    type: 'application/json',
    params: { as: 'Table', v: 'v1', g: 'meta.k8s.io' },
  });
  assert.deepEqual(parseAccept(undefined), [{ type: '*/*', params: {} }]);
  assert.deepEqual(
    parseAccept('application/json, ,application/yaml').map((r) => r.type),
    ['application/json', 'application/yaml'],
  );
});

test('plain encodings', () => {
  assert.deepEqual(negotiate(undefined, plain), { encoding: 'json', view: 'object', contentType: 'application/json' });
  assert.deepEqual(negotiate('*/*', plain), { encoding: 'json', view: 'object', contentType: 'application/json' });
  assert.deepEqual(negotiate('application/*', plain), { encoding: 'json', view: 'object', contentType: 'application/json' });
  assert.deepEqual(negotiate('application/yaml', plain), { encoding: 'yaml', view: 'object', contentType: 'application/yaml' });
  assert.deepEqual(negotiate('application/vnd.kubernetes.protobuf', views), {
    encoding: 'protobuf',
    view: 'object',
    contentType: 'application/vnd.kubernetes.protobuf',
  });
});

test('protobuf only when allowed, else the next acceptable type', () => {
  assert.deepEqual(negotiate('application/vnd.kubernetes.protobuf, application/json', plain), {
    encoding: 'json',
    view: 'object',
    contentType: 'application/json',
  });
  const err = apiError(() => negotiate('application/vnd.kubernetes.protobuf', plain));
  assert.equal(err.code, 406);
  assert.equal(err.reason, 'NotAcceptable');
  assert.equal(err.message, 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
});

test('Table view as kubectl asks for it', () => {
  const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  assert.deepEqual(negotiate(accept, views), { encoding: 'json', view: 'table', contentType: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
  assert.deepEqual(negotiate('application/json;as=Table;v=v1beta1;g=meta.k8s.io', views), {
    encoding: 'json',
    view: 'table',
    contentType: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io',
  });
  assert.deepEqual(negotiate('application/yaml;as=Table;v=v1;g=meta.k8s.io', views), {
    encoding: 'yaml',
    view: 'table',
    contentType: 'application/yaml;as=Table;v=v1;g=meta.k8s.io',
  });
});

test('PartialObjectMetadata views', () => {
  assert.deepEqual(negotiate('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', views), {
    encoding: 'json',
    view: 'metadata',
    contentType: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
  });
  assert.deepEqual(negotiate('application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1', views), {
    encoding: 'json',
    view: 'metadata',
    contentType: 'application/json;as=PartialObjectMetadata;v=v1beta1;g=meta.k8s.io',
  });
});

test('views with a wrong group, version or kind, or where not allowed, fall through', () => {
  const fallback = { encoding: 'json', view: 'object', contentType: 'application/json' };
  assert.deepEqual(negotiate('application/json;as=Table;v=v1;g=other.io, application/json', views), fallback);
  assert.deepEqual(negotiate('application/json;as=Table;v=v2;g=meta.k8s.io, application/json', views), fallback);
  assert.deepEqual(negotiate('application/json;as=Thing;v=v1;g=meta.k8s.io, application/json', views), fallback);
  assert.deepEqual(negotiate('application/json;as=Table;v=v1;g=meta.k8s.io, application/json', plain), fallback);
  const err = apiError(() => negotiate('application/json;as=Table;v=v1;g=meta.k8s.io', plain));
  assert.equal(err.code, 406);
});

test('406 for types nobody serves, naming Table when views are allowed', () => {
  const err = apiError(() => negotiate('text/html', views));
  assert.equal(err.code, 406);
  assert.equal(
    err.message,
    'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/json;as=Table;v=v1;g=meta.k8s.io',
  );
});

test('decodeBody: JSON, with and without charset, and no Content-Type', () => {
  const body = Buffer.from('{"kind":"ConfigMap","data":{"a":"1"}}');
  const want = { kind: 'ConfigMap', data: { a: '1' } };
  assert.deepEqual(decodeBody('application/json', body), want);
  assert.deepEqual(decodeBody('application/json; charset=utf-8', body), want);
  assert.deepEqual(decodeBody(undefined, body), want);
});

test('decodeBody: YAML under its three names', () => {
  const body = Buffer.from('kind: ConfigMap\ndata:\n  a: "1"\n  b: true\n');
  for (const t of ['application/yaml', 'application/x-yaml', 'text/yaml']) {
    assert.deepEqual(decodeBody(t, body), { kind: 'ConfigMap', data: { a: '1', b: true } }, t);
  }
  // A leading document marker is still one document.
  assert.deepEqual(decodeBody('application/yaml', Buffer.from('---\nkind: Pod\n')), { kind: 'Pod' });
});

test('decodeBody: protobuf round trip', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd' }, data: { k: 'v' } };
  const decoded = decodeBody('application/vnd.kubernetes.protobuf', Buffer.from(encodeKubernetesProtobuf(cm)));
  assert.equal(decoded.kind, 'ConfigMap');
  assert.equal(decoded.apiVersion, 'v1');
  assert.deepEqual(decoded.data, { k: 'v' });
  assert.equal((decoded.metadata as { name: string }).name, 'c');
});

test('decodeBody: 415 for unknown types', () => {
  const err = apiError(() => decodeBody('text/plain', Buffer.from('{}')));
  assert.equal(err.code, 415);
  assert.equal(err.reason, 'UnsupportedMediaType');
});

test('decodeBody: 400 for empty, malformed and non-object bodies', () => {
  const empty = apiError(() => decodeBody('application/json', Buffer.alloc(0)));
  assert.equal(empty.code, 400);
  assert.equal(empty.message, 'the body of the request was empty');
  const bad = apiError(() => decodeBody('application/json', Buffer.from('{"a":')));
  assert.equal(bad.code, 400);
  assert.match(bad.message, /^error decoding JSON body: /);
  const badYaml = apiError(() => decodeBody('application/yaml', Buffer.from('a: [1, 2\n')));
  assert.equal(badYaml.code, 400);
  assert.match(badYaml.message, /^error converting YAML to JSON: /);
  const arr = apiError(() => decodeBody('application/json', Buffer.from('[1]')));
  assert.equal(arr.code, 400);
  assert.equal(arr.message, 'the body of the request must be a JSON or YAML object, got an array');
  const scalar = apiError(() => decodeBody('application/json', Buffer.from('42')));
  assert.equal(scalar.message, 'the body of the request must be a JSON or YAML object, got 42');
  const nul = apiError(() => decodeBody('application/yaml', Buffer.from('null\n')));
  assert.equal(nul.message, 'the body of the request must be a JSON or YAML object, got null');
});

test('decodeBody: a multi-document YAML body is refused', () => {
  const err = apiError(() => decodeBody('application/yaml', Buffer.from('kind: A\n---\nkind: B\n')));
  assert.equal(err.code, 400);
  assert.equal(err.message, 'the YAML body contains more than one document; send one object per request');
});

/** Nine levels of nine aliases: a few hundred bytes that stand for 387 million strings. */
const billionLaughs = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata: {name: lol}',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]!}`).join(',')}]`),
].join('\n');

test('decodeBody: a billion-laughs YAML body is refused in milliseconds, as go-yaml refuses it', () => {
  const started = performance.now();
  const err = apiError(() => decodeBody('application/yaml', Buffer.from(billionLaughs)));
  assert.equal(err.code, 400);
  assert.equal(err.message, 'error converting YAML to JSON: yaml: document contains excessive aliasing');
  assert.ok(performance.now() - started < 250);
});

test('decodeBody: aliases that expand past the body limit are a 413', () => {
  const big = 'x'.repeat(1024 * 1024);
  const body = `kind: ConfigMap\nbig: &big "${big}"\ndata: {a: *big, b: *big, c: *big}\n`;
  const err = apiError(() => decodeBody('application/yaml', Buffer.from(body)));
  assert.equal(err.code, 413);
  assert.equal(err.message, 'Request entity too large: limit is 3145728');
});

test('decodeBody: aliases in ordinary manifests decode to objects of their own', () => {
  const body = 'kind: ConfigMap\nmetadata: {name: x, labels: &l {app: web}}\nextra: *l\n';
  const value = decodeBody('application/yaml', Buffer.from(body)) as { metadata: { labels: object }; extra: object };
  assert.deepEqual(value.extra, { app: 'web' });
  assert.notEqual(value.extra, value.metadata.labels);
});

test('decodeBody: nesting past the limit is a 400 in JSON and YAML, never a stack overflow', () => {
  const deepJson = `{"a":${'['.repeat(10_001)}${']'.repeat(10_001)}}`;
  const json = apiError(() => decodeBody('application/json', Buffer.from(deepJson)));
  assert.equal(json.code, 400);
  assert.equal(json.message, "error decoding JSON body: invalid character '[' exceeded max depth");
  for (const depth of [1_001, 100_000]) {
    const yamlErr = apiError(() => decodeBody('application/yaml', Buffer.from(`a: ${'['.repeat(depth)}${']'.repeat(depth)}\n`)));
    assert.equal(yamlErr.code, 400);
    assert.equal(yamlErr.message, 'error converting YAML to JSON: yaml: exceeded max depth of 1000');
  }
  let block = 'kind: X\n';
  for (let i = 0; i < 1_001; i++) block += `${' '.repeat(i)}k:\n`;
  assert.equal(apiError(() => decodeBody('application/yaml', Buffer.from(block))).code, 400);
  // The limit itself is fine.
  decodeBody('application/json', Buffer.from(`{"a":${'['.repeat(999)}${']'.repeat(999)}}`));
});

test('decodeBody: errors quote at most a few hundred bytes of the body', () => {
  const huge = JSON.stringify('x'.repeat(2 * 1024 * 1024));
  const scalar = apiError(() => decodeBody('application/json', Buffer.from(huge)));
  assert.equal(scalar.code, 400);
  assert.ok(scalar.message.length < 400, `message of ${scalar.message.length} characters`);
  const badYaml = apiError(() => decodeBody('application/yaml', Buffer.from(`a: "${'y'.repeat(1024 * 1024)}\n`)));
  assert.ok(badYaml.message.length < 400);
});

test('decodeBody: protobuf nested past the limit is a 400', () => {
  // A RawExtension carries JSON of any depth inside the protobuf message.
  let data: unknown = 'leaf';
  for (let i = 0; i < 1_100; i++) data = { a: data };
  const revision = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, revision: 1, data };
  const err = apiError(() => decodeBody(protobufType, Buffer.from(encodeKubernetesProtobuf(revision))));
  assert.equal(err.code, 400);
  assert.equal(err.message, 'unable to decode protobuf body: exceeded max depth of 1000');
});

test('decodeBody: an alias inside its own anchor (a cycle in js-yaml) is a 400, not an endless walk', () => {
  for (const body of ['a: &a [*a]\n', 'a: &a {x: *a}\n', 'a: &a\n  b: *a\n']) {
    const err = apiError(() => decodeBody('application/yaml', Buffer.from(body)));
    assert.equal(err.code, 400);
    assert.match(err.message, /^error converting YAML to JSON: yaml: /);
  }
});

test('decodeBody: a JSON body of numbers that grow when written out is held to the limit too', () => {
  const body = `{"kind":"X","n":[${Array(600_000).fill('1e20').join(',')}]}`;
  assert.ok(body.length < 3 * 1024 * 1024);
  const err = apiError(() => decodeBody('application/json', Buffer.from(body)));
  assert.equal(err.code, 413);
});
