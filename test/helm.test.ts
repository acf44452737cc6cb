// helm 4 against a real `skiff server`: install, upgrade, rollback, list, history, test hooks and
// uninstall of the project's own chart (workload, config, RBAC, ingress, a CRD and a custom
// resource), with helm's default server-side apply and with --server-side=false.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clientPath, helm4, kubectl135, repoRoot, runHelm, runKubectl, startServer, type TestServer } from './support/index.js';

const chart = path.join(repoRoot(), 'test', 'fixtures', 'charts', 'skiff-demo');

describe('helm 4', async () => {
  const helm = await helm4();
  const kubectl = await kubectl135();
  const skip = helm.skip || kubectl.skip;
  let server: TestServer;

  const run = async (args: string[]) => {
    const r = await runHelm(clientPath(helm), server.kubeconfig, args);
    assert.equal(r.code, 0, `helm ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const k = async (args: string[]) => {
    const r = await runKubectl(clientPath(kubectl), server.kubeconfig, args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  before(async () => {
    // Workloads are read back exactly as written: no controller acts on them here.
    if (!skip) server = await startServer({ extraArgs: ['--controllers=*,-deployment-controller,-replicaset-controller,-replicationcontroller-controller'] });
  });
  after(async () => server?.stop());

  for (const [label, mode, namespace] of [
    ['server-side apply (the default)', [], 'demo-ssa'],
    ['client-side apply', ['--server-side=false'], 'demo-csa'],
  ] as const) {
    test(`install, upgrade, roll back and uninstall with ${label}`, { skip }, async () => {
      const ns = ['--namespace', namespace];
      const installed = await run(['install', 'demo', chart, ...ns, '--create-namespace', ...mode]);
      assert.match(installed, /^STATUS: deployed$/m);
      assert.match(installed, /^REVISION: 1$/m);

      // The CRD from crds/ is served and the custom resource got its schema default.
      assert.match(await k(['get', 'crd', 'backups.demo.skiff.dev', '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status}']), /^True$/);
      assert.equal(await k(['get', 'backups', 'demo-nightly', ...ns, '-o', 'jsonpath={.spec.retain}']), '7');
      assert.match(await k(['get', 'bk', ...ns]), /^demo-nightly\s+0 3 \* \* \*$/m);
      const listed = await k(['get', 'deploy,svc,cm,secret,sa,role,rolebinding,ingress', ...ns, '-l', 'app.kubernetes.io/instance=demo', '-o', 'name']);
      for (const name of [
        'deployment.apps/demo-web',
        'service/demo-web',
        'configmap/demo-config',
        'secret/demo-secret',
        'serviceaccount/demo-web',
        'role.rbac.authorization.k8s.io/demo-reader',
        'rolebinding.rbac.authorization.k8s.io/demo-reader',
        'ingress.networking.k8s.io/demo-web',
      ]) {
        assert.match(listed, new RegExp(`^${name.replace(/\./g, '\\.')}$`, 'm'));
      }
      const managers = await k([
        'get',
        'deploy',
        'demo-web',
        ...ns,
        '-o',
        'jsonpath={.metadata.managedFields[*].manager}:{.metadata.managedFields[*].operation}',
      ]);
      assert.equal(managers, mode.length === 0 ? 'helm:Apply' : 'helm:Update');

      const upgraded = await run(['upgrade', 'demo', chart, ...ns, '--set', 'replicaCount=3', '--set', 'greeting=hi', ...mode]);
      assert.match(upgraded, /^REVISION: 2$/m);
      assert.equal(await k(['get', 'deploy', 'demo-web', ...ns, '-o', 'jsonpath={.spec.replicas}']), '3');
      assert.equal(await k(['get', 'cm', 'demo-config', ...ns, '-o', 'jsonpath={.data.greeting}']), 'hi');

      assert.match(await run(['rollback', 'demo', '1', ...ns]), /^Rollback was a success! Happy Helming!$/m);
      assert.equal(await k(['get', 'deploy', 'demo-web', ...ns, '-o', 'jsonpath={.spec.replicas}']), '2');
      assert.equal(await k(['get', 'cm', 'demo-config', ...ns, '-o', 'jsonpath={.data.greeting}']), 'hello');

      assert.match(await run(['list', ...ns]), /^demo\s+demo-csa|^demo\s+demo-ssa/m);
      const history = await run(['history', 'demo', ...ns]);
      assert.match(history, /^1\s+.*\s+superseded\s+skiff-demo-0\.1\.0\s+1\.27\s+Install complete\s*$/m);
      assert.match(history, /^2\s+.*\s+superseded\s+skiff-demo-0\.1\.0\s+1\.27\s+Upgrade complete\s*$/m);
      assert.match(history, /^3\s+.*\s+deployed\s+skiff-demo-0\.1\.0\s+1\.27\s+Rollback to 1\s*$/m);
      // Helm keeps one Secret per revision, found by label.
      assert.equal(
        await k(['get', 'secrets', ...ns, '-l', 'owner=helm,name=demo', '-o', 'jsonpath={range .items[*]}{.metadata.labels.version}{" "}{end}']),
        '1 2 3 ',
      );

      // The test hook creates its Pod; no node runs it yet, so helm gives up waiting.
      const tested = await runHelm(clientPath(helm), server.kubeconfig, ['test', 'demo', ...ns, '--timeout', '3s']);
      assert.notEqual(tested.code, 0);
      assert.match(await k(['get', 'pod', 'demo-test-connection', ...ns, '-o', 'jsonpath={.metadata.annotations.helm\\.sh/hook}']), /^test$/);

      assert.match(await run(['uninstall', 'demo', ...ns]), /^release "demo" uninstalled$/m);
      assert.equal(await k(['get', 'deploy,svc,cm,secret,ingress,backups', ...ns, '-l', 'app.kubernetes.io/instance=demo', '-o', 'name']), '');
      assert.equal(await k(['get', 'secrets', ...ns, '-l', 'owner=helm', '-o', 'name']), '');
      // helm never deletes CRDs it installed from crds/.
      await k(['get', 'crd', 'backups.demo.skiff.dev']);
    });
  }
});
