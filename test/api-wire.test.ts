// The API on the wire, checked directly: authentication, health and version, discovery content
// types, OpenAPI, body limits and malformed input, WatchList, watch expiry and resourceVersion rules,
// hostile paths, methods and query values, and clients that send slowly or vanish.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { rawClient, startServer, tlsCredentials, type RawClient, type TestServer, type TlsCredentials } from './support/index.js';

describe('API wire behaviour', () => {
  let server: TestServer;
  let api: RawClient;
  before(async () => {
    server = await startServer();
    api = await rawClient(server.kubeconfig);
  });
  after(async () => server?.stop());

  test('requests without credentials get 401, except health and version', async () => {
    const denied = await api.call('GET', '/api/v1/namespaces', { anonymous: true });
    assert.equal(denied.status, 401);
    assert.deepEqual(denied.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    const badToken = await api.call('GET', '/api/v1/namespaces', { anonymous: true, headers: { Authorization: 'Bearer wrong' } });
    assert.equal(badToken.status, 401);
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const r = await api.call('GET', path, { anonymous: true });
      assert.equal(r.status, 200);
      assert.equal(r.text(), 'ok');
    }
    // Each check on its own path is open too; anything else under a health path is not.
    assert.equal((await api.call('GET', '/readyz/informer-sync?verbose', { anonymous: true })).text(), '[+]informer-sync ok\nreadyz check passed\n');
    for (const path of ['/healthz/../api/v1/secrets', '/readyz%2f..%2fapi', '/livez/nope', '/healthz/ping/x']) {
      assert.equal((await api.call('GET', path, { anonymous: true })).status, 401, path);
    }
    assert.equal((await api.call('GET', '/livez/nope')).status, 404);
    assert.equal((await api.call('POST', '/healthz', { anonymous: true })).status, 405);
    const version = (await api.call('GET', '/version', { anonymous: true })).json<{ major: string; minor: string; gitVersion: string }>();
    assert.equal(version.major, '1');
    assert.equal(version.minor, '35');
  });

  test('aggregated discovery is chosen by Accept and says so in Content-Type', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const apis = await api.call('GET', '/apis', { headers: { Accept: accept } });
    assert.equal(apis.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const doc = apis.json<{
      kind: string;
      items: {
        metadata: { name: string };
        versions: { version: string; resources: { resource: string; responseKind: unknown; scope: string; shortNames?: string[] }[] }[];
      }[];
    }>();
    assert.equal(doc.kind, 'APIGroupDiscoveryList');
    const apps = doc.items.find((g) => g.metadata.name === 'apps')!;
    const deployments = apps.versions[0]!.resources.find((r) => r.resource === 'deployments')!;
    assert.deepEqual(deployments.responseKind, { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.equal(deployments.scope, 'Namespaced');
    assert.deepEqual(deployments.shortNames, ['deploy']);
    const legacy = await api.call('GET', '/apis', { headers: { Accept: 'application/json' } });
    assert.equal(legacy.headers['content-type'], 'application/json');
    assert.equal(legacy.json<{ kind: string }>().kind, 'APIGroupList');
  });

  test('OpenAPI v3 index points at per group-version documents with PATCH fieldValidation', async () => {
    const index = (await api.call('GET', '/openapi/v3')).json<{ paths: Record<string, { serverRelativeURL: string }> }>();
    const url = index.paths['apis/apps/v1']!.serverRelativeURL;
    assert.match(url, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    const doc = (await api.call('GET', url)).json<{
      paths: Record<string, Record<string, { parameters: { name: string }[]; 'x-kubernetes-group-version-kind': unknown }>>;
      components: { schemas: Record<string, unknown> };
    }>();
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch!;
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.ok(patch.parameters.some((p) => p.name === 'fieldValidation'));
    assert.ok(doc.components.schemas['io.k8s.api.apps.v1.Deployment']);
    const v2 = await api.call('GET', '/openapi/v2', { headers: { Accept: 'application/json' } });
    assert.equal(v2.status, 200);
    assert.equal(v2.json<{ swagger: string }>().swagger, '2.0');
  });

  test('bodies over 3 MiB get 413; malformed JSON, YAML and protobuf get 400; nothing is stored', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'a'.repeat(3 * 1024 * 1024 + 10) } });
    const tooLarge = await api.call('POST', '/api/v1/namespaces/default/configmaps', { body: big, headers: { 'Content-Type': 'application/json' } });
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.json<{ reason: string }>().reason, 'RequestEntityTooLarge');
    for (const [type, body] of [
      ['application/json', '{"apiVersion":"v1","kind":"ConfigMap",'],
      ['application/yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed'],
      ['application/vnd.kubernetes.protobuf', Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff])],
    ] as const) {
      const r = await api.call('POST', '/api/v1/namespaces/default/configmaps', { body, headers: { 'Content-Type': type } });
      assert.equal(r.status, 400, `${type}: ${r.text()}`);
      assert.equal(r.json<{ reason: string }>().reason, 'BadRequest');
    }
    const list = (await api.call('GET', '/api/v1/namespaces/default/configmaps')).json<{ items: unknown[] }>();
    assert.equal(list.items.length, 0);
  });

  test('hostile bodies (billion laughs, deep nesting, aliases past 3 MiB) are 4xx in milliseconds; the server stays responsive', async () => {
    const configmaps = '/api/v1/namespaces/default/configmaps';
    const names = 'abcdefghi';
    const laughs = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: lol}',
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...names
        .slice(1)
        .split('')
        .map((name, i) => `${name}: &${name} [${Array(9).fill(`*${names[i]!}`).join(',')}]`),
      'data: {x: *i}',
    ].join('\n');
    const yaml = { 'Content-Type': 'application/yaml' };
    const json = { 'Content-Type': 'application/json' };
    const big = 'x'.repeat(1024 * 1024);
    const cases: [string, string | Buffer, Record<string, string>, number, string | RegExp][] = [
      ['billion laughs', laughs, yaml, 400, 'error converting YAML to JSON: yaml: document contains excessive aliasing'],
      [
        'deep JSON',
        `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
        json,
        400,
        "error decoding JSON body: invalid character '[' exceeded max depth",
      ],
      [
        'deep YAML',
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nx: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
        yaml,
        400,
        'error converting YAML to JSON: yaml: exceeded max depth of 1000',
      ],
      [
        'aliases past 3 MiB',
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\nbig: &big "${big}"\ndata: {a: *big, b: *big, c: *big}\n`,
        yaml,
        413,
        'Request entity too large: limit is 3145728',
      ],
      [
        'a 2 MiB string body',
        JSON.stringify(big.repeat(2)),
        json,
        400,
        /^the body of the request must be a JSON or YAML object, got "x{255}\.\.\. \(\d+ more characters\)$/,
      ],
    ];
    const started = Date.now();
    const answers = await Promise.all(cases.map(([, body, headers]) => api.call('POST', configmaps, { body, headers })));
    for (const [i, [what, , , status, message]] of cases.entries()) {
      const r = answers[i]!;
      assert.equal(r.status, status, `${what}: ${r.text().slice(0, 300)}`);
      const text = r.json<{ message: string }>().message;
      if (typeof message === 'string') assert.equal(text, message, what);
      else assert.match(text, message, what);
    }
    assert.ok(Date.now() - started < 5000, `answers took ${Date.now() - started} ms`);
    // Three billion laughs at once, and the server still answers at once.
    const laughing = Promise.all([1, 2, 3].map(() => api.call('POST', configmaps, { body: laughs, headers: yaml })));
    const probeStarted = Date.now();
    assert.equal((await api.call('GET', '/readyz', { anonymous: true })).status, 200);
    assert.ok(Date.now() - probeStarted < 2000);
    for (const r of await laughing) assert.equal(r.status, 400);
    const list = (await api.call('GET', configmaps)).json<{ items: unknown[] }>();
    assert.equal(list.items.length, 0);
  });

  test('hostile patches: deep bodies, malformed directives, growing copies and foreign shapes are 4xx, never 5xx', async () => {
    const path = '/api/v1/namespaces/default/configmaps/patched';
    const created = await api.call('POST', '/api/v1/namespaces/default/configmaps', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'patched', finalizers: ['a/b'] }, data: { k: 'x'.repeat(1024 * 1024) } }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(created.status, 201, created.text());
    const smp = 'application/strategic-merge-patch+json';
    const cases: [string, string, number, string | RegExp][] = [
      ['application/merge-patch+json', `{"metadata":{"labels":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}}`, 400, /exceeded max depth/],
      [smp, '{"metadata":{"$patch":"bogus"}}', 400, 'unknown patch type: bogus in map: map[$patch:bogus]'],
      [smp, '{"metadata":{"$retainKeys":"name"}}', 400, 'invalid patch format of retainKeys'],
      [smp, '{"metadata":{"$deleteFromPrimitiveList/finalizers":"a/b"}}', 400, 'invalid patch format of primitive list'],
      [smp, '{"metadata":{"$setElementOrder/finalizers":{"a":1}}}', 400, 'expected a []interface {}, but received a map[string]interface {}'],
      [
        'application/json-patch+json',
        JSON.stringify([1, 2].map((n) => ({ op: 'copy', from: '/data/k', path: `/data/k${n}` }))),
        413,
        'Request entity too large: limit is 3145728',
      ],
      ['application/json-patch+json', '{"op":"add"}', 400, 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp'],
      ['application/merge-patch+json', '[1]', 400, 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}'],
      [
        'application/merge-patch+json',
        JSON.stringify({ metadata: { name: 'x'.repeat(1024 * 1024) } }),
        400,
        /^the name of the object \(x{256}\.\.\. \(\d+ more characters\)\) does not match the name on the URL \(patched\)$/,
      ],
      ['application/x-unknown', '{}', 415, /^the body of the request was in an unknown format - accepted media types include: application\/json-patch\+json/],
    ];
    for (const [type, body, status, message] of cases) {
      const r = await api.call('PATCH', path, { body, headers: { 'Content-Type': type } });
      assert.equal(r.status, status, `${type} ${body.slice(0, 80)}: ${r.text().slice(0, 300)}`);
      const text = r.json<{ message: string }>().message;
      if (typeof message === 'string') assert.equal(text, message);
      else assert.match(text, message);
    }
    const after = (await api.call('GET', path)).json<{ metadata: { resourceVersion: string; labels?: unknown }; data: Record<string, string> }>();
    assert.deepEqual(Object.keys(after.data), ['k']);
    assert.equal(after.metadata.labels, undefined);
    const unfinalized = await api.call('PATCH', path, {
      body: '{"metadata":{"finalizers":null}}',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    assert.equal(unfinalized.status, 200);
    assert.equal((await api.call('DELETE', path)).status, 200);
  });

  test('custom resources: aliases, depth and defaults that grow the object are held to the body limits', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'blobs.hostile.example.com' },
      spec: {
        group: 'hostile.example.com',
        scope: 'Namespaced',
        names: { plural: 'blobs', singular: 'blob', kind: 'Blob', listKind: 'BlobList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                      items: { type: 'array', items: { type: 'object', properties: { note: { type: 'string', default: 'n'.repeat(100) } } } },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    const json = { 'Content-Type': 'application/json' };
    const made = await api.call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: JSON.stringify(crd), headers: json });
    assert.equal(made.status, 201, made.text());
    const blobs = '/apis/hostile.example.com/v1/namespaces/default/blobs';
    for (let i = 0; (await api.call('GET', blobs)).status !== 200; i++) {
      assert.ok(i < 100, 'the CRD was never served');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const blob = (name: string, spec: unknown) => JSON.stringify({ apiVersion: 'hostile.example.com/v1', kind: 'Blob', metadata: { name }, spec });
    let free: unknown = 'leaf';
    for (let i = 0; i < 990; i++) free = { a: free };
    const deepEnough = await api.call('POST', blobs, { body: blob('deep', { free }), headers: json });
    assert.equal(deepEnough.status, 201, deepEnough.text().slice(0, 300));
    for (let i = 0; i < 20; i++) free = { a: free };
    const tooDeep = await api.call('POST', blobs, { body: blob('deeper', { free }), headers: json });
    assert.equal(tooDeep.status, 400, tooDeep.text().slice(0, 300));
    const grown = await api.call('POST', blobs, { body: blob('grown', { items: Array.from({ length: 200_000 }, () => ({})) }), headers: json });
    assert.equal(grown.status, 413, grown.text().slice(0, 300));
    const laughs = [
      'apiVersion: hostile.example.com/v1',
      'kind: Blob',
      'metadata: {name: lol}',
      'a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]',
      ...'bcdefghi'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefgh'[i]!}`).join(',')}]`),
      'spec: {free: {x: *i}}',
    ].join('\n');
    const laughing = await api.call('POST', blobs, { body: laughs, headers: { 'Content-Type': 'application/yaml' } });
    assert.equal(laughing.status, 400, laughing.text().slice(0, 300));
    const names = (await api.call('GET', blobs)).json<{ items: { metadata: { name: string } }[] }>().items.map((b) => b.metadata.name);
    assert.deepEqual(names, ['deep']);
    assert.equal((await api.call('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/blobs.hostile.example.com')).status, 200);
  });

  test('create, optimistic update conflict, unconditional update, generateName and dryRun', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'occ' }, data: { a: '1' } };
    const created = await api.call('POST', '/api/v1/namespaces/default/configmaps', {
      body: JSON.stringify(cm),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(created.status, 201);
    const obj = created.json<{ metadata: { resourceVersion: string; uid: string; creationTimestamp: string } }>();
    assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
    const stale = { ...cm, metadata: { name: 'occ', resourceVersion: obj.metadata.resourceVersion }, data: { a: '2' } };
    const first = await api.call('PUT', '/api/v1/namespaces/default/configmaps/occ', {
      body: JSON.stringify(stale),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(first.status, 200);
    const second = await api.call('PUT', '/api/v1/namespaces/default/configmaps/occ', {
      body: JSON.stringify({ ...stale, data: { a: '3' } }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(second.status, 409);
    assert.equal(
      second.json<{ message: string }>().message,
      'Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again',
    );
    const unconditional = await api.call('PUT', '/api/v1/namespaces/default/configmaps/occ', {
      body: JSON.stringify({ ...cm, data: { a: '4' } }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(unconditional.status, 200);
    const generated = await api.call('POST', '/api/v1/namespaces/default/configmaps', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.match(generated.json<{ metadata: { name: string } }>().metadata.name, /^gen-[a-z0-9]{5}$/);
    const dry = await api.call('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', {
      body: JSON.stringify({ ...cm, metadata: { name: 'dry' } }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(dry.status, 201);
    assert.equal((await api.call('GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404);
  });

  test('WatchList sends every object, then the initial-events-end bookmark, then changes', async () => {
    const events = await api.watch(
      '/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan',
      (ev) => ev.some((e) => e.type === 'ADDED' && (e.object as { metadata: { name: string } }).metadata.name === 'late'),
      10_000,
      () => {
        setTimeout(() => {
          void api.call('POST', '/api/v1/namespaces/default/configmaps', {
            body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } }),
            headers: { 'Content-Type': 'application/json' },
          });
        }, 200);
      },
    );
    const bookmarkAt = events.findIndex((e) => e.type === 'BOOKMARK');
    assert.ok(bookmarkAt > 0, JSON.stringify(events.map((e) => e.type)));
    const bookmark = events[bookmarkAt]!.object as { metadata: { annotations: Record<string, string>; resourceVersion: string } };
    assert.equal(bookmark.metadata.annotations['k8s.io/initial-events-end'], 'true');
    assert.ok(events.slice(0, bookmarkAt).every((e) => e.type === 'ADDED'));
    assert.equal(events.at(-1)!.type, 'ADDED');
  });

  test('watch from a revision delivers later events; watch without sendInitialEvents rules is refused', async () => {
    const list = (await api.call('GET', '/api/v1/namespaces/default/configmaps')).json<{ metadata: { resourceVersion: string } }>();
    const pending = api.watch(
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
      (ev) => ev.length >= 2,
      10_000,
      () => {
        void (async () => {
          await api.call('POST', '/api/v1/namespaces/default/configmaps', {
            body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w1' } }),
            headers: { 'Content-Type': 'application/json' },
          });
          await api.call('DELETE', '/api/v1/namespaces/default/configmaps/w1');
        })();
      },
    );
    const events = await pending;
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'DELETED'],
    );
    const refused = await api.call('GET', '/api/v1/configmaps?watch=true&sendInitialEvents=true');
    assert.equal(refused.status, 422);
  });

  test('a list at an exact revision and paging with limit/continue', async () => {
    for (let i = 0; i < 5; i++) {
      await api.call('POST', '/api/v1/namespaces/default/configmaps', {
        body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `page-${i}` } }),
        headers: { 'Content-Type': 'application/json' },
      });
    }
    const names: string[] = [];
    let cont = '';
    let pages = 0;
    do {
      const page = (await api.call('GET', `/api/v1/namespaces/default/configmaps?limit=2${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).json<{
        metadata: { continue?: string };
        items: { metadata: { name: string } }[];
      }>();
      names.push(...page.items.map((i) => i.metadata.name));
      cont = page.metadata.continue ?? '';
      pages++;
    } while (cont && pages < 20);
    assert.ok(pages >= 3);
    assert.deepEqual(names, [...names].sort());
    assert.ok(['page-0', 'page-1', 'page-2', 'page-3', 'page-4'].every((n) => names.includes(n)));
    const badMatch = await api.call('GET', '/api/v1/configmaps?resourceVersionMatch=Exact');
    assert.equal(badMatch.status, 422);
  });

  test('dot segments, escaped slashes and percents never name anything: 400 for every verb, nothing deleted or listed', async () => {
    const json = { 'Content-Type': 'application/json' };
    const post = (path: string, body: unknown) => api.call('POST', path, { body: JSON.stringify(body), headers: json });
    assert.equal((await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dots' } })).status, 201);
    for (const name of ['keep1', 'keep2']) {
      assert.equal((await post('/api/v1/namespaces/dots/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } })).status, 201);
    }
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'keep-role' }, rules: [] };
    assert.equal((await post('/apis/rbac.authorization.k8s.io/v1/clusterroles', role)).status, 201);
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'keep-deploy' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      },
    };
    assert.equal((await post('/apis/apps/v1/namespaces/dots/deployments', deployment)).status, 201);

    const patch = { body: '{"metadata":{"labels":{"x":"y"}}}', headers: { 'Content-Type': 'application/merge-patch+json' } };
    const put = (name: string) => ({ body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }), headers: json });
    const failures: string[] = [];
    for (const bad of ['.', '..', '%2e', '%2E%2e', '%2e%2E', 'a%2Fb', 'a%25b', '%2F', '%25']) {
      const cases: [string, string, { body?: string; headers?: Record<string, string> }?][] = [
        ['GET', `/api/v1/namespaces/dots/configmaps/${bad}`],
        ['DELETE', `/api/v1/namespaces/dots/configmaps/${bad}`],
        ['PUT', `/api/v1/namespaces/dots/configmaps/${bad}`, put(bad)],
        ['PATCH', `/api/v1/namespaces/dots/configmaps/${bad}`, patch],
        ['GET', `/api/v1/namespaces/${bad}/configmaps`],
        ['GET', `/api/v1/namespaces/${bad}/configmaps?watch=true&timeoutSeconds=1`],
        ['GET', `/api/v1/watch/namespaces/${bad}/configmaps`],
        ['GET', `/api/v1/watch/namespaces/dots/configmaps/${bad}`],
        ['DELETE', `/api/v1/namespaces/${bad}/configmaps`],
        ['POST', `/api/v1/namespaces/${bad}/configmaps`, put('fresh')],
        ['GET', `/api/v1/namespaces/${bad}/configmaps/keep1`],
        ['DELETE', `/api/v1/namespaces/${bad}/configmaps/keep1`],
        ['PUT', `/api/v1/namespaces/${bad}/configmaps/keep1`, put('keep1')],
        ['PATCH', `/api/v1/namespaces/${bad}/configmaps/keep1`, patch],
        ['GET', `/api/v1/namespaces/${bad}/pods`],
        ['GET', `/api/v1/namespaces/${bad}`],
        ['DELETE', `/api/v1/namespaces/${bad}`],
        ['PUT', `/api/v1/namespaces/${bad}/status`, put(bad)],
        ['PUT', `/api/v1/namespaces/${bad}/finalize`, put(bad)],
        ['GET', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${bad}`],
        ['DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${bad}`],
        ['PUT', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${bad}`, { body: JSON.stringify(role), headers: json }],
        ['PATCH', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${bad}`, patch],
        ['GET', `/apis/apps/v1/namespaces/dots/deployments/${bad}/scale`],
        ['PUT', `/apis/apps/v1/namespaces/dots/deployments/${bad}/scale`, { body: '{"spec":{"replicas":1}}', headers: json }],
        ['PATCH', `/apis/apps/v1/namespaces/dots/deployments/${bad}/status`, patch],
        ['GET', `/apis/apps/v1/namespaces/${bad}/deployments/keep-deploy/scale`],
        ['DELETE', `/apis/apps/v1/namespaces/${bad}/deployments`],
      ];
      for (const [method, path, options] of cases) {
        const r = await api.call(method, path, options);
        const message = r.headers['content-type'] === 'application/json' ? r.json<{ message?: string }>().message : r.text();
        if (r.status !== 400 || !/^(Name|Namespace) parameter invalid: /.test(message ?? '')) failures.push(`${method} ${path}: ${r.status} ${message}`);
      }
    }
    assert.deepEqual(failures, []);
    const dotdot = (await api.call('DELETE', '/api/v1/namespaces/dots/configmaps/..')).json<Record<string, unknown>>();
    assert.deepEqual(dotdot, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Name parameter invalid: "..": may not be '..'`,
      reason: 'BadRequest',
      code: 400,
    });

    // Empty segments name nothing (they used to collapse: `configmaps//` was the whole collection).
    for (const [method, path] of [
      ['DELETE', '/api/v1/namespaces/dots/configmaps//'],
      ['DELETE', '/api/v1/namespaces/dots/configmaps//keep1'],
      ['DELETE', '/api/v1/namespaces//configmaps'],
      ['GET', '/api/v1/namespaces//pods'],
      ['DELETE', '//api/v1/namespaces/dots'],
      ['DELETE', '/api/v1/namespaces/dots//'],
    ] as const) {
      const r = await api.call(method, path);
      assert.equal(r.status, 404, `${method} ${path}: ${r.text()}`);
    }
    // Dot segments where a group, version or resource goes name nothing that is served.
    for (const path of ['/api/%2e%2e/namespaces', '/apis/%2e%2e/v1/namespaces/dots/configmaps', '/api/v1/%2e%2e/dots', '/api/v1/namespaces/dots/%2e%2e']) {
      const r = await api.call('DELETE', path);
      assert.equal(r.status, 404, `${path}: ${r.text()}`);
    }
    // One trailing slash is the same path, as kube serves it.
    assert.equal((await api.call('GET', '/api/v1/namespaces/dots/configmaps/keep1/')).status, 200);
    assert.equal((await api.call('GET', '/api/v1/namespaces/dots/configmaps/a%2')).status, 400);

    // Bodies with such names are refused by name validation, as kube does.
    for (const name of ['.', '..', 'a/b', 'a%b']) {
      const cm = await post('/api/v1/namespaces/dots/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
      assert.equal(cm.status, 422, cm.text());
      const secret = await post('/api/v1/namespaces/dots/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name } });
      assert.equal(secret.status, 422, secret.text());
      const cr = await post('/apis/rbac.authorization.k8s.io/v1/clusterroles', { ...role, metadata: { name } });
      assert.equal(cr.status, 422, cr.text());
      assert.match(cr.json<{ message: string }>().message, /metadata\.name: Invalid value: .*may not (be|contain)/);
    }

    const names = (await api.call('GET', '/api/v1/namespaces/dots/configmaps')).json<{ items: { metadata: { name: string } }[] }>();
    assert.deepEqual(
      names.items.map((i) => i.metadata.name).filter((n) => n.startsWith('keep')),
      ['keep1', 'keep2'],
    );
    const ns = (await api.call('GET', '/api/v1/namespaces/dots')).json<{ metadata: { deletionTimestamp?: string }; status: { phase: string } }>();
    assert.equal(ns.metadata.deletionTimestamp, undefined);
    assert.equal(ns.status.phase, 'Active');
    assert.equal((await api.call('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/keep-role')).status, 200);
    assert.equal((await api.call('GET', '/apis/apps/v1/namespaces/dots/deployments/keep-deploy')).status, 200);
  });

  test('methods kube does not route to resources or discovery get 405 MethodNotAllowed, not a GET', async () => {
    for (const method of ['PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'TRACE', 'OPTIONS', 'SEARCH', 'PURGE', 'REPORT']) {
      for (const path of ['/api/v1/namespaces/default/configmaps', '/api/v1/namespaces/default', '/apis/apps/v1/namespaces/default/deployments/x/scale']) {
        const r = await api.call(method, path);
        assert.equal(r.status, 405, `${method} ${path}: ${r.text()}`);
        assert.equal(r.json<{ reason: string }>().reason, 'MethodNotAllowed');
      }
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'PROPFIND']) {
      for (const path of ['/api', '/apis', '/api/v1', '/apis/apps', '/apis/apps/v1', '/version']) {
        assert.equal((await api.call(method, path)).status, 405, `${method} ${path}`);
      }
    }
    assert.equal((await api.call('GET', '/apis/apps/v1')).status, 200);
    assert.equal((await api.call('HEAD', '/version')).status, 200);
  });

  test('integer query values beyond int64 or not integers are 400; huge ones that fit are served', async () => {
    const failures: string[] = [];
    for (const [query, expected] of [
      ['limit=9223372036854775808', 400],
      ['limit=99999999999999999999999', 400],
      ['limit=1e3', 400],
      ['limit=0x10', 400],
      ['limit=%201', 400],
      ['limit=', 400],
      ['limit=1.5', 400],
      ['limit=9223372036854775807', 200],
      ['limit=-9223372036854775808', 200],
      ['limit=%2B2', 200],
      ['timeoutSeconds=abc&watch=true', 400],
      ['timeoutSeconds=abc', 400],
      ['timeoutSeconds=1.5', 400],
      ['timeoutSeconds=9223372036854775808&watch=true', 400],
      ['limit=abc&watch=true', 400],
      ['resourceVersion=abc', 400],
      ['resourceVersion=99999999999999999999999', 400],
    ] as const) {
      const r = await api.call('GET', `/api/v1/namespaces/default/configmaps?${query}`);
      if (r.status !== expected) failures.push(`${query}: ${r.status} ${r.text()}`);
      if (
        r.status === 400 &&
        !/^(strconv\.ParseInt: parsing ".*": (invalid syntax|value out of range)|invalid resource version: .*)$/.test(r.json<{ message: string }>().message)
      ) {
        failures.push(`${query}: ${r.text()}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.equal((await api.call('DELETE', '/api/v1/namespaces/default/configmaps/none?gracePeriodSeconds=1e3')).status, 400);
    const huge = await api.call('DELETE', '/api/v1/namespaces/default/configmaps/none?gracePeriodSeconds=9223372036854775807');
    assert.equal(huge.status, 404, huge.text());

    // Continue tokens with revisions no list was read at, or beyond int64, are 400, not 500.
    const forged = (rv: string) => Buffer.from(`{"v":"meta.k8s.io/v1","rv":${rv},"start":"/registry/core/configmaps/default/a\u0000"}`).toString('base64url');
    for (const rv of ['9007199254740991', '9223372036854775807', '99999999999999999999', '1e400', '0', '1.5']) {
      const r = await api.call('GET', `/api/v1/namespaces/default/configmaps?limit=1&continue=${forged(rv)}`);
      assert.equal(r.status, 400, `rv ${rv}: ${r.text()}`);
      assert.match(r.json<{ message: string }>().message, /^invalid continue token: continue key is not valid/);
    }
  });

  test('a watch with timeoutSeconds past the timer range stays open and delivers events', async () => {
    for (const timeout of ['2147484', '9999999999', '9223372036854775807']) {
      const events = await api.watch(
        `/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=${timeout}&fieldSelector=metadata.name%3Dlong-${timeout.length}`,
        (ev) => ev.length >= 1,
        5_000,
        () => {
          setTimeout(() => {
            void api.call('POST', '/api/v1/namespaces/default/configmaps', {
              body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `long-${timeout.length}` } }),
              headers: { 'Content-Type': 'application/json' },
            });
          }, 300);
        },
      );
      assert.deepEqual(
        events.map((e) => e.type),
        ['ADDED'],
        `timeoutSeconds=${timeout}`,
      );
    }
    const log = await readFile(server.logFile, 'utf8');
    assert.doesNotMatch(log, /TimeoutOverflowWarning/);
    // A negative timeout has passed already: the watch ends at once, as kube's does.
    const started = Date.now();
    const ended = await api.call('GET', '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=-1', { timeoutMs: 5_000 });
    assert.equal(ended.status, 200);
    assert.ok(Date.now() - started < 2_000, `a watch with timeoutSeconds=-1 lasted ${Date.now() - started} ms`);
  });
});

/** What a raw TLS connection to the server received, and whether and when the server closed it. */
interface RawExchange {
  readonly received: string;
  readonly closedAfterMs: number | undefined;
}

/**
 * Opens a TLS connection (with the admin certificate unless anonymous), lets `script` write to it,
 * and collects what comes back until the server closes it or `waitMs` passes.
 */
function rawExchange(creds: TlsCredentials, anonymous: boolean, waitMs: number, script: (socket: TLSSocket) => void): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: creds.host, port: creds.port, ca: creds.ca, ...(anonymous ? {} : { cert: creds.cert, key: creds.key }) });
    let received = '';
    let start = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received, closedAfterMs: undefined });
    }, waitMs);
    socket.on('secureConnect', () => {
      start = Date.now();
      script(socket);
    });
    socket.on('data', (d: Buffer) => (received += d.toString('utf8')));
    // The server may reset a connection it closes while the client still writes.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received, closedAfterMs: Date.now() - start });
    });
  });
}

/** Writes `pieces` one after another, `gapMs` apart, stopping when the socket closes. */
function trickle(socket: TLSSocket, pieces: readonly string[], gapMs: number): void {
  let i = 0;
  const next = () => {
    if (socket.destroyed || socket.writableEnded || i >= pieces.length) return;
    socket.write(pieces[i++]!);
    setTimeout(next, gapMs);
  };
  next();
}

describe('slow and vanishing clients', () => {
  let server: TestServer;
  let api: RawClient;
  let creds: TlsCredentials;
  // Short deadlines so the test runs in seconds; production defaults are 32 s, 60 s and 15 s.
  const headersMs = 1_000;
  const bodyMs = 2_500;
  const bodyIdleMs = 800;
  before(async () => {
    server = await startServer({
      env: { SKIFF_HEADERS_TIMEOUT_MS: String(headersMs), SKIFF_BODY_TIMEOUT_MS: String(bodyMs), SKIFF_BODY_IDLE_TIMEOUT_MS: String(bodyIdleMs) },
    });
    api = await rawClient(server.kubeconfig);
    creds = await tlsCredentials(server.kubeconfig);
  });
  after(async () => server?.stop());

  const post = (length: number, extra = '') =>
    `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;
  const cm = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { x: 'y' } });

  test('a body that stops arriving gets 408 and a closed connection after the idle deadline', async () => {
    const r = await rawExchange(creds, false, 10_000, (s) => s.write(`${post(1000)}{"apiVersion":`));
    assert.match(r.received, /^HTTP\/1\.1 408 /, r.received);
    assert.match(r.received, /\r\nConnection: close\r\n/i);
    assert.match(r.received, /"reason":"Timeout"/);
    assert.ok(r.closedAfterMs !== undefined && r.closedAfterMs >= bodyIdleMs - 100 && r.closedAfterMs < bodyIdleMs + 3_000, String(r.closedAfterMs));
  });

  test('a body trickled faster than the idle deadline is still cut off at the body deadline', async () => {
    const body = cm('trickled').padEnd(4000, ' ');
    const pieces = [post(body.length), ...body.match(/.{1,20}/gs)!];
    const r = await rawExchange(creds, false, 15_000, (s) => trickle(s, pieces, 200));
    assert.match(r.received, /^HTTP\/1\.1 408 /, r.received);
    assert.ok(r.closedAfterMs !== undefined && r.closedAfterMs >= bodyMs - 100 && r.closedAfterMs < bodyMs + 5_000, String(r.closedAfterMs));
    assert.equal((await api.call('GET', '/api/v1/namespaces/default/configmaps/trickled')).status, 404);
  });

  test('an honest slow client that keeps within the deadlines is served', async () => {
    const body = cm('honest');
    const third = Math.ceil(body.length / 3);
    const pieces = [post(body.length), body.slice(0, third), body.slice(third, 2 * third), body.slice(2 * third)];
    const r = await rawExchange(creds, false, 3_000, (s) => trickle(s, pieces, bodyIdleMs / 3));
    assert.match(r.received, /^HTTP\/1\.1 201 /, r.received);
    assert.equal((await api.call('GET', '/api/v1/namespaces/default/configmaps/honest')).status, 200);
    // A 3 MiB body on loopback is far inside the deadlines: it is read whole, then judged (too much data for a ConfigMap).
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'a'.repeat(3 * 1024 * 1024 - 200) } });
    const judged = await api.call('POST', '/api/v1/namespaces/default/configmaps', { body: big, headers: { 'Content-Type': 'application/json' } });
    assert.equal(judged.status, 422, judged.text());
  });

  test('an unauthenticated request gets its 401 and the connection closes without its body being read', async () => {
    const r = await rawExchange(creds, true, 5_000, (s) => s.write(`${post(1_000_000)}{"apiVersion":`));
    assert.match(r.received, /^HTTP\/1\.1 401 /, r.received);
    assert.match(r.received, /\r\nConnection: close\r\n/i);
    assert.ok(r.closedAfterMs !== undefined && r.closedAfterMs < 1_000, String(r.closedAfterMs));
  });

  test('headers trickled byte by byte (slowloris) are cut off at the headers deadline', async () => {
    const request = `GET /version HTTP/1.1\r\nHost: x\r\n${'X-Slow: ' + 'a'.repeat(200)}\r\n\r\n`;
    const r = await rawExchange(creds, true, 10_000, (s) => trickle(s, request.split(''), 50));
    assert.ok(r.closedAfterMs !== undefined, 'the server never closed the connection');
    assert.ok(r.closedAfterMs >= headersMs - 100 && r.closedAfterMs < headersMs + 3_000, String(r.closedAfterMs));
    assert.doesNotMatch(r.received, /^HTTP\/1\.1 200 /);
  });

  test('a connection that never finishes its TLS handshake, or never sends a request, is closed', async () => {
    const plain = await new Promise<number | undefined>((resolve, reject) => {
      const socket = createConnection({ host: creds.host, port: creds.port });
      const started = Date.now();
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(undefined);
      }, headersMs + 5_000);
      socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(Date.now() - started);
      });
    });
    assert.ok(plain !== undefined && plain >= headersMs - 100, `a silent TCP connection closed after ${plain} ms`);
    const silent = await rawExchange(creds, false, headersMs + 5_000, () => undefined);
    assert.ok(silent.closedAfterMs !== undefined && silent.closedAfterMs >= headersMs - 100, `a silent TLS connection closed after ${silent.closedAfterMs} ms`);
    // Node answers a request that never came with 408 before it closes; Go closes without a word.
    assert.match(silent.received, /^(|HTTP\/1\.1 408 [^]*)$/);
  });

  test('a client that hangs up mid-upload is one info line in the log, not an error with a stack', async () => {
    for (let i = 0; i < 3; i++) {
      await rawExchange(creds, false, 2_000, (s) => {
        s.write(`${post(1000)}{"apiVersion":`);
        setTimeout(() => s.destroy(), 100);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const log = await readFile(server.logFile, 'utf8');
    const lines = log.split('\n').filter((l) => /Client closed the connection/.test(l));
    assert.equal(lines.length, 3, log);
    assert.ok(lines.every((l) => l.startsWith('I')));
    assert.doesNotMatch(log, /Internal error|ECONNRESET.*\n\s+at /);
  });
});
