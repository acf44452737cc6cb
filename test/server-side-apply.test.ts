// Server-side apply through real kubectl 1.35 and 1.32 against a real `skiff server`: create and
// re-apply, edits, conflicts and --force-conflicts, client-side ↔ server-side apply, dry run, the
// managedFields kubectl shows; and the raw API answers (missing fieldManager, /status applies).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clientPath, kubectl132, kubectl135, rawClient, runKubectl, startServer, type ClientTool, type RawClient, type TestServer } from './support/index.js';

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** The parts of objects these tests read, as `kubectl get -o json` prints them. */
interface Got {
  metadata: { resourceVersion: string; managedFields: Entry[]; annotations: Record<string, string> };
  spec: { replicas: number; template: { spec: { containers: { name: string; ports?: unknown; imagePullPolicy?: string }[] } } };
  data: Record<string, string>;
}

function deployment(containers: string, replicas = 2): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
${containers}`;
}

const appWithPort = (image = 'nginx:1') => `      - name: app\n        image: ${image}\n        ports:\n        - containerPort: 80\n`;
const appNoPort = `      - name: app\n        image: nginx:1\n`;
const sidecar = `      - name: sidecar\n        image: busybox:1\n`;

const conflictAdvice = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
`;

for (const [minor, find] of [
  [35, kubectl135],
  [32, kubectl132],
] as const) {
  describe(`kubectl 1.${minor} apply --server-side`, async () => {
    const client: ClientTool = await find();
    let server: TestServer;
    let bin: string;
    const k = async (args: string[], stdin?: string) => runKubectl(bin, server.kubeconfig, args, stdin === undefined ? {} : { stdin });
    const ok = async (args: string[], stdin?: string) => {
      const r = await k(args, stdin);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
      return r.stdout;
    };
    const getJson = async (what: string[]) => JSON.parse(await ok(['get', ...what, '-o', 'json', '--show-managed-fields'])) as Got;

    before(async () => {
      if (client.skip) return;
      bin = clientPath(client);
      // Workloads are read back exactly as written: no controller acts on them here.
      server = await startServer({ extraArgs: ['--controllers=*,-deployment-controller,-replicaset-controller,-replicationcontroller-controller'] });
    });
    after(async () => server?.stop());

    test('create, unchanged re-apply, and the managedFields kubectl shows', { skip: client.skip }, async () => {
      assert.equal(await ok(['apply', '--server-side', '-f', '-'], deployment(appWithPort())), 'deployment.apps/web serverside-applied\n');
      const first = await getJson(['deployment', 'web']);
      assert.equal(await ok(['apply', '--server-side', '-f', '-'], deployment(appWithPort())), 'deployment.apps/web serverside-applied\n');
      const again = await getJson(['deployment', 'web']);
      assert.equal(again.metadata.resourceVersion, first.metadata.resourceVersion, 'an unchanged apply writes nothing');
      const yaml = await ok(['get', 'deployment', 'web', '-o', 'yaml', '--show-managed-fields']);
      assert.match(
        yaml,
        new RegExp(
          `  managedFields:
  - apiVersion: apps/v1
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata:
        f:labels:
          f:app: \\{\\}
      f:spec:
        f:replicas: \\{\\}
        f:selector: \\{\\}
        f:template:
          f:metadata:
            f:labels:
              f:app: \\{\\}
          f:spec:
            f:containers:
              k:\\{"name":"app"\\}:
                .: \\{\\}
                f:image: \\{\\}
                f:name: \\{\\}
                f:ports:
                  k:\\{"containerPort":80,"protocol":"TCP"\\}:
                    .: \\{\\}
                    f:containerPort: \\{\\}
    manager: kubectl
    operation: Apply
    time: "[0-9T:-]+Z"
  name: web
`,
        ),
      );
    });

    test('an edited manifest adds a container and drops a port', { skip: client.skip }, async () => {
      assert.equal(await ok(['apply', '--server-side', '-f', '-'], deployment(appNoPort + sidecar)), 'deployment.apps/web serverside-applied\n');
      const obj = await getJson(['deployment', 'web']);
      const containers = obj.spec.template.spec.containers;
      assert.deepEqual(
        containers.map((c) => c.name),
        ['app', 'sidecar'],
      );
      assert.equal(containers[0]!.ports, undefined);
      assert.equal(containers[1]!.imagePullPolicy, 'IfNotPresent');
    });

    test('a conflict with another field manager, then --force-conflicts', { skip: client.skip }, async () => {
      const manifest = deployment(`      - name: app\n        image: nginx:2\n` + sidecar, 3);
      const r = await k(['apply', '--server-side', '--field-manager=deployer', '-f', '-'], manifest);
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `error: Apply failed with 2 conflicts: conflicts with "kubectl":\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image\n${conflictAdvice}`,
      );
      assert.equal(
        await ok(['apply', '--server-side', '--field-manager=deployer', '--force-conflicts', '-f', '-'], manifest),
        'deployment.apps/web serverside-applied\n',
      );
      const obj = await getJson(['deployment', 'web']);
      assert.equal(obj.spec.replicas, 3);
      const entries = obj.metadata.managedFields;
      // Both are appliers; their order then follows the entries' times, which may fall in one second.
      assert.deepEqual(entries.map((e) => `${e.manager}/${e.operation}`).sort(), ['deployer/Apply', 'kubectl/Apply']);
      const kubectlEntry = entries.find((e) => e.manager === 'kubectl')!;
      assert.equal((kubectlEntry.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas'], undefined, 'replicas moved to deployer');
      // An Update after the appliers takes the fields it changes from them.
      await ok(['scale', 'deployment', 'web', '--replicas=4']);
      const r2 = await k(['apply', '--server-side', '--field-manager=deployer', '-f', '-'], manifest);
      assert.equal(r2.code, 1);
      assert.match(r2.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl" using apps\/v1: \.spec\.replicas\n/);
      await ok(['delete', 'deployment', 'web']);
    });

    test('client-side apply, server-side apply over it, and client-side apply again', { skip: client.skip }, async () => {
      const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels: {app: web}\ndata:\n${data}`;
      assert.equal(await ok(['apply', '-f', '-'], cm('  a: "1"\n  b: "2"\n')), 'configmap/settings created\n');
      const ssa = await k(['apply', '--server-side', '-f', '-'], cm('  a: "1"\n  c: "3"\n'));
      assert.equal(ssa.code, 0, ssa.stderr);
      assert.equal(ssa.stdout, 'configmap/settings serverside-applied\n');
      assert.equal(ssa.stderr, '');
      let obj = await getJson(['configmap', 'settings']);
      assert.deepEqual(obj.data, { a: '1', c: '3' }, 'b left with the client-side manager it was migrated from');
      assert.deepEqual(
        obj.metadata.managedFields.map((e) => [e.manager, e.operation, e.fieldsV1]),
        [
          ['kubectl', 'Apply', { 'f:data': { 'f:a': {}, 'f:c': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } }],
          ['kubectl-last-applied', 'Apply', { 'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } } }],
        ],
      );
      assert.equal(
        obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'],
        '{"apiVersion":"v1","data":{"a":"1","c":"3"},"kind":"ConfigMap","metadata":{"labels":{"app":"web"},"name":"settings","namespace":"default"}}\n',
      );
      const csa = await k(['apply', '-f', '-'], cm('  a: "1"\n  d: "4"\n'));
      assert.equal(csa.code, 0, csa.stderr);
      assert.equal(csa.stdout, 'configmap/settings configured\n');
      obj = await getJson(['configmap', 'settings']);
      assert.deepEqual(obj.data, { a: '1', d: '4' });
      await ok(['delete', 'configmap', 'settings']);
    });

    test('--dry-run=server changes nothing', { skip: client.skip }, async () => {
      const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\ndata:\n  v: "${v}"\n`;
      assert.equal(await ok(['apply', '--server-side', '--dry-run=server', '-f', '-'], cm('1')), 'configmap/dry serverside-applied (server dry run)\n');
      assert.match((await k(['get', 'configmap', 'dry'])).stderr, /NotFound|not found/);
      await ok(['apply', '--server-side', '-f', '-'], cm('1'));
      assert.equal(await ok(['apply', '--server-side', '--dry-run=server', '-f', '-'], cm('2')), 'configmap/dry serverside-applied (server dry run)\n');
      assert.equal(await ok(['get', 'configmap', 'dry', '-o', 'jsonpath={.data.v}']), '1');
    });
  });
}

describe('server-side apply on the wire', () => {
  let server: TestServer;
  let api: RawClient;
  before(async () => {
    server = await startServer();
    api = await rawClient(server.kubeconfig);
  });
  after(async () => server?.stop());
  const applyHeaders = { 'content-type': 'application/apply-patch+yaml' };
  const path = '/api/v1/namespaces/default/configmaps/wire';

  test('fieldManager is required, force only for apply', async () => {
    const r = await api.call('PATCH', path, { body: 'apiVersion: v1\nkind: ConfigMap\n', headers: applyHeaders });
    assert.equal(r.status, 422);
    assert.deepEqual(r.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      reason: 'Invalid',
      details: {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      },
      code: 422,
    });
    const owned = await api.call('PATCH', `${path}?fieldManager=me`, {
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wire, managedFields: [{manager: x}]}\n',
      headers: applyHeaders,
    });
    assert.equal(owned.status, 400);
    assert.equal(owned.json().message, 'metadata.managedFields must be nil');
    const forced = await api.call('PATCH', `${path}?force=true`, { body: '{}', headers: { 'content-type': 'application/merge-patch+json' } });
    assert.equal(forced.status, 422);
    assert.equal(forced.json().message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  });

  test('apply refuses a foreign group, version or kind as kube-apiserver does, and hostile YAML with a 400', async () => {
    const url = '/api/v1/namespaces/default/configmaps/typed?fieldManager=me';
    const cases: [string, number, string][] = [
      ['apiVersion: apps/v1\nkind: ConfigMap\nmetadata: {name: typed}\n', 400, 'invalid object type: apps/v1, Kind=ConfigMap'],
      ['apiVersion: v2\nkind: ConfigMap\nmetadata: {name: typed}\n', 400, 'invalid object type: /v2, Kind=ConfigMap'],
      ['apiVersion: v1\nkind: Secret\nmetadata: {name: typed}\n', 400, 'invalid object type: /v1, Kind=Secret'],
      ['metadata: {name: typed}\n', 400, 'invalid object type: /, Kind='],
      [
        [
          'apiVersion: v1',
          'kind: ConfigMap',
          'a: &a [x,x,x,x,x,x,x,x,x]',
          ...'bcdefgh'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefg'[i]!}`).join(',')}]`),
        ].join('\n'),
        400,
        'error decoding YAML: error converting YAML to JSON: yaml: document contains excessive aliasing',
      ],
      [
        `apiVersion: v1\nkind: ConfigMap\ndata: {k: ${'['.repeat(5000)}${']'.repeat(5000)}}\n`,
        400,
        'error decoding YAML: error converting YAML to JSON: yaml: exceeded max depth of 1000',
      ],
    ];
    for (const [body, status, message] of cases) {
      const r = await api.call('PATCH', url, { body, headers: applyHeaders });
      assert.equal(r.status, status, `${body.slice(0, 60)}: ${r.text()}`);
      assert.equal(r.json<{ message: string }>().message, message);
    }
    assert.equal((await api.call('GET', '/api/v1/namespaces/default/configmaps/typed')).status, 404);
  });

  test('apply creates (201), then answers 200; a conflict is a 409 with causes', async () => {
    const body = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wire}\ndata: {k: one}\n';
    const created = await api.call('PATCH', `${path}?fieldManager=first`, { body, headers: applyHeaders });
    assert.equal(created.status, 201, created.text());
    const again = await api.call('PATCH', `${path}?fieldManager=first`, { body, headers: applyHeaders });
    assert.equal(again.status, 200);
    const conflict = await api.call('PATCH', `${path}?fieldManager=second`, { body: body.replace('one', 'two'), headers: applyHeaders });
    assert.equal(conflict.status, 409);
    assert.deepEqual(conflict.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "first": .data.k',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "first"', field: '.data.k' }] },
      code: 409,
    });
  });

  test('apply on the status subresource owns status fields only', async () => {
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: applied}\n';
    assert.equal((await api.call('PATCH', '/api/v1/namespaces/applied?fieldManager=me', { body: ns, headers: applyHeaders })).status, 201);
    const status = await api.call('PATCH', '/api/v1/namespaces/applied/status?fieldManager=me', {
      body: ns + 'status: {conditions: [{type: Custom, status: "True"}]}\n',
      headers: applyHeaders,
    });
    assert.equal(status.status, 200, status.text());
    const entries = (status.json().metadata as { managedFields: Entry[] }).managedFields;
    const statusEntry = entries.find((e) => e.subresource === 'status')!;
    assert.equal(statusEntry.operation, 'Apply');
    assert.deepEqual(statusEntry.fieldsV1, { 'f:status': { 'f:conditions': { 'k:{"type":"Custom"}': { '.': {}, 'f:status': {}, 'f:type': {} } } } });
  });
});
