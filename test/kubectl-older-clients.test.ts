// The machine's kubectl 1.32 and Debian's kubectl 1.20 against a real `skiff server`: discovery,
// validation through OpenAPI (v3 for 1.32, v2 protobuf for 1.20), apply, patch, describe, delete.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clientPath, kubectl120, kubectl132, repoRoot, runKubectl, startServer, type ClientTool, type TestServer } from './support/index.js';

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
      server = await startServer();
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

    test('validation refuses unknown fields before anything is stored', { skip: client.skip }, async () => {
      const bad = await runKubectl(bin, server.kubeconfig, ['create', '-f', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\ndatta:\n  a: b\n' });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /unknown field "datta"/);
      const missing = await runKubectl(bin, server.kubeconfig, ['get', 'cm', 'typo']);
      assert.match(missing.stderr, /configmaps "typo" not found/);
    });
  });
}
