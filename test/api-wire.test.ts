// The API on the wire, checked directly: authentication, health and version, discovery content
// types, OpenAPI, body limits and malformed input, WatchList, watch expiry and resourceVersion rules.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawClient, startServer, type RawClient, type TestServer } from './support/index.js';

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
});
