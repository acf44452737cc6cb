// Old-tutorial manifests in the removed extensions/v1beta1 and apps/v1beta1,2 versions, applied
// with kubectl 1.35 and 1.20: the converted v1 objects, the old versions' defaults and shapes, the
// deprecation warnings kubectl prints, and the 2018 dashboard manifest with its NodePort 443.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { clientPath, kubectl120, kubectl135, rawClient, repoRoot, runKubectl, startServer, type ClientTool, type TestServer } from './support/index.js';

const manifests = path.join(repoRoot(), 'test', 'fixtures', 'manifests');
const manifest = (name: string) => path.join(manifests, name);

type Obj = Record<string, unknown>;

const deploymentWarning = 'Warning: extensions/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment';
const ingressWarning = 'Warning: extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress';
const statefulSetWarning = 'Warning: apps/v1beta2 StatefulSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 StatefulSet';

function warningLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('Warning: '));
}

for (const [label, find] of [
  ['1.35', kubectl135],
  ['1.20', kubectl120],
] as const) {
  describe(`legacy manifests with kubectl ${label}`, async () => {
    const client: ClientTool = await find();
    let server: TestServer;
    let bin: string;
    const run = (args: string[], stdin?: string) => runKubectl(bin, server.kubeconfig, args, stdin === undefined ? {} : { stdin });
    const ok = async (args: string[], stdin?: string) => {
      const r = await run(args, stdin);
      assert.equal(r.code, 0, `kubectl ${label} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
      return r;
    };
    const getJson = async (resource: string, name: string) => JSON.parse((await ok(['get', resource, name, '-o', 'json'])).stdout) as Obj;
    before(async () => {
      if (client.skip) return;
      bin = clientPath(client);
      server = await startServer({ extraArgs: ['--service-node-port-range', '1-32767'] });
    });
    after(async () => server?.stop());

    test('an extensions/v1beta1 Deployment gets the old defaults and reads back in both versions', { skip: client.skip }, async () => {
      const applied = await ok(['apply', '-f', manifest('legacy-nginx-deployment.yaml')]);
      assert.equal(applied.stdout, 'deployment.extensions/nginx-deployment created\n');
      assert.deepEqual(warningLines(applied.stderr), [deploymentWarning]);

      const v1 = await getJson('deployments.v1.apps', 'nginx-deployment');
      assert.equal(v1.apiVersion, 'apps/v1');
      const spec = v1.spec as Obj;
      assert.deepEqual(spec.selector, { matchLabels: { app: 'nginx' } });
      assert.deepEqual((v1.metadata as Obj).labels, { app: 'nginx' });
      assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } });
      assert.equal(spec.revisionHistoryLimit, 2147483647);
      assert.equal(spec.progressDeadlineSeconds, 2147483647);
      assert.equal(spec.replicas, 2);

      const old = await ok(['get', 'deployments.v1beta1.extensions', 'nginx-deployment', '-o', 'yaml']);
      assert.match(old.stdout, /^apiVersion: extensions\/v1beta1\nkind: Deployment\n/);
      assert.match(old.stdout, /^ {2}revisionHistoryLimit: 2147483647$/m);
      assert.deepEqual(warningLines(old.stderr), [deploymentWarning]);

      // The old versions print the columns of the kind they store as.
      assert.match((await ok(['get', 'deployments.v1beta1.extensions'])).stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nnginx-deployment\s+0\/2\s+/);

      const again = await ok(['apply', '-f', manifest('legacy-nginx-deployment.yaml')]);
      assert.equal(again.stdout, 'deployment.extensions/nginx-deployment unchanged\n');

      const scaled = await ok(['scale', 'deployments.v1beta1.extensions', 'nginx-deployment', '--replicas=3']);
      assert.equal(scaled.stdout, 'deployment.extensions/nginx-deployment scaled\n');
      assert.ok(warningLines(scaled.stderr).includes('Warning: extensions/v1beta1 Scale is deprecated in v1.2+, unavailable in v1.16+'), scaled.stderr);
      assert.equal((await ok(['get', 'deploy', 'nginx-deployment', '-o', 'jsonpath={.spec.replicas}'])).stdout, '3');
    });

    test('an apps/v1beta1 Deployment keeps rollbackTo in the v1 annotation and its own defaults', { skip: client.skip }, async () => {
      const text = [
        'apiVersion: apps/v1beta1',
        'kind: Deployment',
        'metadata:',
        '  name: rolled',
        'spec:',
        '  rollbackTo:',
        '    revision: 3',
        '  template:',
        '    metadata:',
        '      labels:',
        '        app: rolled',
        '    spec:',
        '      containers:',
        '      - name: web',
        '        image: nginx:1.13',
        '',
      ].join('\n');
      const applied = await ok(['apply', '-f', '-'], text);
      assert.equal(applied.stdout, 'deployment.apps/rolled created\n');
      assert.deepEqual(warningLines(applied.stderr), [
        'Warning: apps/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment',
      ]);
      const v1 = await getJson('deployments.v1.apps', 'rolled');
      assert.equal(((v1.metadata as Obj).annotations as Obj)['deprecated.deployment.rollback.to'], '3');
      const spec = v1.spec as Obj;
      assert.equal(spec.rollbackTo, undefined);
      assert.equal(spec.revisionHistoryLimit, 2);
      assert.equal(spec.progressDeadlineSeconds, 600);
      assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
      const old = await getJson('deployments.v1beta1.apps', 'rolled');
      assert.deepEqual((old.spec as Obj).rollbackTo, { revision: 3 });
      assert.equal(((old.metadata as Obj).annotations as Obj)['deprecated.deployment.rollback.to'], undefined);
    });

    test('an extensions/v1beta1 Ingress converts its backends and defaults pathType', { skip: client.skip }, async () => {
      const applied = await ok(['apply', '-f', manifest('legacy-nginx-ingress.yaml')]);
      assert.equal(applied.stdout, 'ingress.extensions/nginx-ingress created\n');
      assert.ok(warningLines(applied.stderr).includes(ingressWarning), applied.stderr);

      const v1 = await getJson('ingresses.v1.networking.k8s.io', 'nginx-ingress');
      assert.equal(v1.apiVersion, 'networking.k8s.io/v1');
      const spec = v1.spec as Obj;
      assert.deepEqual(spec.defaultBackend, { service: { name: 'default-http-backend', port: { number: 80 } } });
      assert.deepEqual(spec.rules, [
        {
          host: 'shop.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 'nginx-service', port: { number: 80 } } } },
              { path: '/api', pathType: 'ImplementationSpecific', backend: { service: { name: 'api-service', port: { name: 'http' } } } },
            ],
          },
        },
      ]);

      const old = await getJson('ingresses.v1beta1.extensions', 'nginx-ingress');
      assert.equal(old.apiVersion, 'extensions/v1beta1');
      const oldSpec = old.spec as Obj;
      assert.deepEqual(oldSpec.backend, { serviceName: 'default-http-backend', servicePort: 80 });
      const paths = ((oldSpec.rules as Obj[])[0]!.http as Obj).paths as Obj[];
      assert.deepEqual(paths[1], { path: '/api', pathType: 'ImplementationSpecific', backend: { serviceName: 'api-service', servicePort: 'http' } });
      // The plural alone means the preferred group, networking.k8s.io.
      assert.equal((await ok(['get', 'ingress', 'nginx-ingress', '-o', 'jsonpath={.apiVersion}'])).stdout, 'networking.k8s.io/v1');
    });

    test('an apps/v1beta2 StatefulSet with claim templates applies and reads back', { skip: client.skip }, async () => {
      const applied = await ok(['apply', '-f', manifest('legacy-web-statefulset.yaml')]);
      assert.equal(applied.stdout, 'service/nginx created\nstatefulset.apps/web created\n');
      assert.deepEqual(warningLines(applied.stderr), [statefulSetWarning]);
      const v1 = await getJson('statefulsets.v1.apps', 'web');
      const spec = v1.spec as Obj;
      assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } });
      assert.equal(spec.podManagementPolicy, 'OrderedReady');
      assert.equal(spec.revisionHistoryLimit, 10);
      assert.equal(((spec.volumeClaimTemplates as Obj[])[0]!.metadata as Obj).name, 'www');
      const old = await ok(['get', 'statefulsets.v1beta2.apps', 'web', '-o', 'yaml']);
      assert.match(old.stdout, /^apiVersion: apps\/v1beta2\nkind: StatefulSet\n/);
      assert.match(old.stdout, /^ {2}serviceName: nginx$/m);
    });

    test('unknown fields in an old version are refused', { skip: client.skip }, async () => {
      const text =
        'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: typo\nspec:\n  replica: 2\n  template:\n    metadata:\n      labels:\n        app: typo\n    spec:\n      containers:\n      - name: c\n        image: nginx\n';
      const r = await run(['apply', '-f', '-'], text);
      assert.notEqual(r.code, 0, r.stdout);
      assert.match(r.stderr, /unknown field "(spec\.)?replica"/);
      assert.equal((await run(['get', 'deploy', 'typo'])).code, 1);
    });

    test('the 2018 dashboard manifest applies verbatim with --service-node-port-range 1-32767', { skip: client.skip }, async () => {
      const applied = await ok(['apply', '-f', manifest('kubernetes-dashboard-v1.10.yaml')]);
      assert.match(applied.stdout, /^deployment\.apps\/kubernetes-dashboard created$/m);
      assert.match(applied.stdout, /^service\/kubernetes-dashboard created$/m);
      assert.deepEqual(warningLines(applied.stderr), [
        'Warning: apps/v1beta2 Deployment is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 Deployment',
      ]);
      const ns = ['-n', 'kube-system'];
      assert.equal((await ok(['get', 'svc', 'kubernetes-dashboard', ...ns, '-o', 'jsonpath={.spec.ports[0].nodePort}'])).stdout, '443');
      assert.equal((await ok(['get', 'deploy', 'kubernetes-dashboard', ...ns, '-o', 'jsonpath={.spec.revisionHistoryLimit}'])).stdout, '10');
    });

    test('under the default NodePort range the dashboard Service is refused as kube-apiserver words it', { skip: client.skip }, async () => {
      const plain = await startServer();
      try {
        const r = await runKubectl(bin, plain.kubeconfig, ['apply', '-f', manifest('kubernetes-dashboard-v1.10.yaml')]);
        assert.equal(r.code, 1, r.stdout);
        assert.match(r.stdout, /^deployment\.apps\/kubernetes-dashboard created$/m);
        assert.ok(
          r.stderr.includes(
            'The Service "kubernetes-dashboard" is invalid: spec.ports[0].nodePort: Invalid value: 443: provided port is not in the valid range. The range of valid ports is 30000-32767',
          ),
          r.stderr,
        );
      } finally {
        await plain.stop();
      }
    });
  });
}

describe('legacy versions on the wire', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server?.stop());

  test('discovery lists the old versions with v1 preferred, and extensions with v1beta1', async () => {
    const api = await rawClient(server.kubeconfig);
    const apps = (await api.call('GET', '/apis/apps')).json<{ versions: { version: string }[]; preferredVersion: { version: string } }>();
    assert.deepEqual(
      apps.versions.map((v) => v.version),
      ['v1', 'v1beta2', 'v1beta1'],
    );
    assert.equal(apps.preferredVersion.version, 'v1');
    const extensions = (await api.call('GET', '/apis/extensions')).json<{ preferredVersion: { groupVersion: string } }>();
    assert.equal(extensions.preferredVersion.groupVersion, 'extensions/v1beta1');
    const list = (await api.call('GET', '/apis/extensions/v1beta1')).json<{ resources: { name: string; kind: string; group?: string; version?: string }[] }>();
    assert.deepEqual(
      list.resources.map((r) => r.name),
      [
        'daemonsets',
        'daemonsets/status',
        'deployments',
        'deployments/scale',
        'deployments/status',
        'ingresses',
        'ingresses/status',
        'networkpolicies',
        'replicasets',
        'replicasets/scale',
        'replicasets/status',
      ],
    );
    const scale = list.resources.find((r) => r.name === 'deployments/scale');
    assert.deepEqual(scale && { kind: scale.kind, group: scale.group, version: scale.version }, { kind: 'Scale', group: 'extensions', version: 'v1beta1' });

    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const aggregated = (await api.call('GET', '/apis', { headers: { Accept: accept } })).json<{
      items: { metadata: { name: string }; versions: { version: string }[] }[];
    }>();
    const groups = new Map(aggregated.items.map((g) => [g.metadata.name, g.versions.map((v) => v.version)]));
    assert.deepEqual(groups.get('apps'), ['v1', 'v1beta2', 'v1beta1']);
    assert.deepEqual(groups.get('extensions'), ['v1beta1']);
    assert.deepEqual(groups.get('networking.k8s.io'), ['v1']);
  });

  test('OpenAPI v3 and v2 carry the old versions schemas', async () => {
    const api = await rawClient(server.kubeconfig);
    const index = (await api.call('GET', '/openapi/v3')).json<{ paths: Record<string, { serverRelativeURL: string }> }>();
    for (const gv of ['apis/extensions/v1beta1', 'apis/apps/v1beta1', 'apis/apps/v1beta2']) assert.ok(index.paths[gv], gv);
    const doc = (await api.call('GET', index.paths['apis/extensions/v1beta1']!.serverRelativeURL)).json<{ components: { schemas: Record<string, Obj> } }>();
    const ingressBackend = doc.components.schemas['io.k8s.api.extensions.v1beta1.IngressBackend'];
    assert.ok(ingressBackend, 'IngressBackend schema');
    assert.deepEqual(Object.keys(ingressBackend.properties as Obj).sort(), ['resource', 'serviceName', 'servicePort']);
    const v2 = (await api.call('GET', '/openapi/v2', { headers: { Accept: 'application/json' } })).json<{ definitions: Record<string, Obj> }>();
    assert.ok(v2.definitions['io.k8s.api.apps.v1beta2.StatefulSet'], 'apps/v1beta2 StatefulSet in v2');
    assert.ok(v2.definitions['io.k8s.api.apps.v1beta1.Deployment'], 'apps/v1beta1 Deployment in v2');
  });

  test('every request in an old version carries the deprecation Warning header', async () => {
    const api = await rawClient(server.kubeconfig);
    const list = await api.call('GET', '/apis/apps/v1beta1/namespaces/default/statefulsets');
    assert.equal(list.status, 200);
    assert.equal(list.headers.warning, '299 - "apps/v1beta1 StatefulSet is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 StatefulSet"');
    const current = await api.call('GET', '/apis/apps/v1/namespaces/default/statefulsets');
    assert.equal(current.headers.warning, undefined);
  });
});

describe('skiff server --service-node-port-range', () => {
  const skiff = path.join(repoRoot(), 'bin', 'skiff.js');
  const run = promisify(execFile);

  test('--help documents it with its default', async () => {
    const { stdout } = await run(process.execPath, [skiff, 'server', '--help']);
    assert.match(stdout, /--service-node-port-range .*\(default 30000-32767\)/);
  });

  test('a malformed or reversed range is one clear error', async () => {
    for (const [range, shown] of [
      ['30000', '"30000"'],
      ['32767-30000', '"32767-30000"'],
      ['0-100', '"0-100"'],
      ['1-70000', '"1-70000"'],
    ]) {
      const failed = await run(process.execPath, [skiff, 'server', '--service-node-port-range', range!], { timeout: 15_000 }).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      assert.ok(failed, `range ${range} was accepted`);
      assert.equal(failed.code, 1);
      assert.equal(failed.stderr, `error: --service-node-port-range must be MIN-MAX, got ${shown}\nhint: for example --service-node-port-range 30000-32767\n`);
    }
  });
});
