// The machine's kubectl 1.32 and Debian's kubectl 1.20 against a real `skiff server`: discovery,
// validation through OpenAPI (v3 for 1.32, v2 protobuf for 1.20), apply, patch, describe, delete.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clientPath, kubectl120, kubectl132, rawClient, repoRoot, runKubectl, startServer, type ClientTool, type TestServer } from './support/index.js';

const manifests = path.join(repoRoot(), 'test', 'fixtures', 'manifests');

for (const [label, find] of [
  ['1.32', kubectl132],
  ['1.20', kubectl120],
] as const) {
  describe(`kubectl ${label}`, async () => {
    const client: ClientTool = await find();
    let server: TestServer;
    let bin: string;
    const ok = async (args: string[], stdin?: string) => {
      const r = await runKubectl(bin, server.kubeconfig, args, stdin === undefined ? {} : { stdin });
      assert.equal(r.code, 0, `kubectl ${label} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
      return r.stdout;
    };
    before(async () => {
      if (client.skip) return;
      bin = clientPath(client);
      // Workloads are read back exactly as written: no controller acts on them here.
      server = await startServer({ extraArgs: ['--controllers=*,-deployment-controller,-replicaset-controller,-replicationcontroller-controller'] });
    });
    after(async () => server?.stop());

    test('get namespaces and services', { skip: client.skip }, async () => {
      assert.match(await ok(['get', 'ns']), /^kube-system\s+Active\s+\d+s$/m);
      assert.match(await ok(['get', 'svc', '-o', 'wide']), /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\d+s\s+<none>$/m);
    });

    test('apply the fixtures with validation, twice, then describe and delete them', { skip: client.skip }, async () => {
      const rc = path.join(manifests, 'nginx-rc.yaml');
      const svc = path.join(manifests, 'nginx-service-clusterip.yaml');
      assert.equal(await ok(['apply', '-f', rc]), 'replicationcontroller/nginx-controller created\n');
      assert.equal(await ok(['apply', '-f', svc]), 'service/nginx-service-clusterip created\n');
      assert.equal(await ok(['apply', '-f', rc]), 'replicationcontroller/nginx-controller unchanged\n');
      assert.match(await ok(['get', 'rc', '-o', 'wide']), /^nginx-controller\s+2\s+0\s+0\s+\d+s\s+nginx\s+nginx\s+name=nginx$/m);
      assert.match(await ok(['describe', 'svc', 'nginx-service-clusterip']), /^TargetPort:\s+80\/TCP$/m);
      assert.equal(await ok(['scale', 'rc', 'nginx-controller', '--replicas=3']), 'replicationcontroller/nginx-controller scaled\n');
      assert.equal(await ok(['get', 'rc', 'nginx-controller', '-o', 'jsonpath={.spec.replicas}']), '3');
      const deleted = await ok(['delete', '-f', rc, '-f', svc]);
      assert.match(deleted, /^replicationcontroller "nginx-controller" deleted/m);
      assert.match(deleted, /^service "nginx-service-clusterip" deleted/m);
    });

    test('create, label, patch and select configmaps', { skip: client.skip }, async () => {
      assert.equal(await ok(['create', 'configmap', 'settings', '--from-literal=a=1']), 'configmap/settings created\n');
      assert.equal(await ok(['label', 'cm', 'settings', 'tier=db']), 'configmap/settings labeled\n');
      assert.equal(await ok(['patch', 'cm', 'settings', '-p', '{"data":{"b":"2"}}']), 'configmap/settings patched\n');
      assert.equal(await ok(['get', 'cm', '-l', 'tier=db', '-o', 'jsonpath={.items[0].data.b}']), '2');
    });

    test('api-resources, explain, diff, wait and delete --wait', { skip: client.skip }, async () => {
      assert.match(await ok(['api-resources']), /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      assert.match(await ok(['explain', 'pods.spec.containers.ports']), /containerPort\s+<integer>/);
      const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: diffed\ndata:\n  a: "1"\n';
      assert.equal(await ok(['apply', '-f', '-'], manifest), 'configmap/diffed created\n');
      const diff = await runKubectl(bin, server.kubeconfig, ['diff', '-f', '-'], { stdin: manifest.replace('"1"', '"2"') });
      assert.equal(diff.code, 1, diff.stderr);
      assert.match(diff.stdout, /^\+\s+a: "2"$/m);
      await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ready-soon\nspec:\n  containers:\n  - name: c\n    image: busybox\n');
      const waiting = runKubectl(bin, server.kubeconfig, ['wait', '--for=condition=Ready', 'pod/ready-soon', '--timeout=20s']);
      await new Promise((r) => setTimeout(r, 500));
      const raw = await rawClient(server.kubeconfig);
      const patched = await raw.call('PATCH', '/api/v1/namespaces/default/pods/ready-soon/status', {
        body: JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'True' }] } }),
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      assert.equal(patched.status, 200, patched.text());
      const waited = await waiting;
      assert.equal(waited.code, 0, waited.stderr);
      assert.equal(waited.stdout, 'pod/ready-soon condition met\n');
      assert.match(await ok(['delete', 'pod', 'ready-soon', '--wait']), /^pod "ready-soon" deleted/);
    });

    test('validation refuses unknown fields before anything is stored', { skip: client.skip }, async () => {
      const bad = await runKubectl(bin, server.kubeconfig, ['create', '-f', '-'], {
        stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\ndatta:\n  a: b\n',
      });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /unknown field "datta"/);
      const missing = await runKubectl(bin, server.kubeconfig, ['get', 'cm', 'typo']);
      assert.match(missing.stderr, /configmaps "typo" not found/);
    });
  });
}
