// The garbage collector and namespace lifecycle against a real `skiff server`, driven by kubectl
// 1.35: ownerReferences with background, orphan and foreground deletion, owners that never
// existed, cluster-scoped owners, and a namespace deletion that removes everything in it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kubectl135, kubectlSession, repoRoot, startServer, startSim, type TestServer } from './support/index.js';
import path from 'node:path';

describe('garbage collector and namespace lifecycle', async () => {
  const kubectl = await kubectl135();
  let server: TestServer;
  const { run, k, until } = kubectlSession(kubectl, () => server.kubeconfig);
  const uid = async (kind: string, name: string, ns?: string) => k(['get', kind, name, ...(ns ? ['-n', ns] : []), '-o', 'jsonpath={.metadata.uid}']);
  const dependent = (name: string, ns: string, owner: { kind: string; apiVersion?: string; name: string; uid: string }, extra = '') =>
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${ns}
  labels: {role: dependent}
  ownerReferences:
  - apiVersion: ${owner.apiVersion ?? 'v1'}
    kind: ${owner.kind}
    name: ${owner.name}
    uid: ${owner.uid}
${extra}data: {a: "1"}
`;

  before(async () => {
    if (kubectl.skip) return;
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('background deletion removes the dependents of a deleted owner', { skip: kubectl.skip }, async () => {
    await k(['create', 'namespace', 'bg']);
    await k(['create', 'configmap', 'owner', '-n', 'bg', '--from-literal=x=1']);
    const owner = { kind: 'ConfigMap', name: 'owner', uid: await uid('configmap', 'owner', 'bg') };
    await k(['apply', '-f', '-'], dependent('dep-1', 'bg', owner) + '---\n' + dependent('dep-2', 'bg', owner));
    assert.equal(await k(['delete', 'configmap', 'owner', '-n', 'bg']), 'configmap "owner" deleted from bg namespace\n');
    await until('the dependents to go', ['get', 'configmaps', '-n', 'bg', '-l', 'role=dependent'], (o) => o.includes('No resources found in bg namespace.'));
  });

  test('orphan deletion keeps the dependents and strips their references', { skip: kubectl.skip }, async () => {
    await k(['create', 'namespace', 'orphan']);
    await k(['create', 'configmap', 'owner', '-n', 'orphan', '--from-literal=x=1']);
    const owner = { kind: 'ConfigMap', name: 'owner', uid: await uid('configmap', 'owner', 'orphan') };
    await k(['apply', '-f', '-'], dependent('dep-1', 'orphan', owner) + '---\n' + dependent('dep-2', 'orphan', owner, '  finalizers: []\n'));
    // kubectl waits for the owner to be gone, which needs the collector to orphan first.
    assert.equal(await k(['delete', 'configmap', 'owner', '-n', 'orphan', '--cascade=orphan']), 'configmap "owner" deleted from orphan namespace\n');
    const out = await k([
      'get',
      'configmaps',
      '-n',
      'orphan',
      '-l',
      'role=dependent',
      '-o',
      'custom-columns=NAME:.metadata.name,OWNERS:.metadata.ownerReferences',
    ]);
    assert.match(out, /^NAME\s+OWNERS\ndep-1\s+<none>\ndep-2\s+<none>\n$/);
  });

  test('foreground deletion waits for blocking dependents, then removes the owner', { skip: kubectl.skip }, async () => {
    await k(['create', 'namespace', 'fg']);
    await k(['create', 'configmap', 'owner', '-n', 'fg', '--from-literal=x=1']);
    const owner = { kind: 'ConfigMap', name: 'owner', uid: await uid('configmap', 'owner', 'fg') };
    const blocking = `    blockOwnerDeletion: true\n  finalizers: [example.com/hold]\n`;
    await k(['apply', '-f', '-'], dependent('held', 'fg', owner, blocking) + '---\n' + dependent('free', 'fg', owner));
    assert.equal(
      await k(['delete', 'configmap', 'owner', '-n', 'fg', '--cascade=foreground', '--wait=false']),
      'configmap "owner" deleted from fg namespace\n',
    );
    // The free dependent goes; the held one is deleting but kept by its finalizer, and the owner waits for it.
    await until('the free dependent to go', ['get', 'configmap', 'free', '-n', 'fg'], (o) => o.includes('NotFound'));
    await until(
      'the held dependent to be deleting',
      ['get', 'configmap', 'held', '-n', 'fg', '-o', 'jsonpath={.metadata.deletionTimestamp}'],
      (o) => o.length > 0,
    );
    assert.equal(await k(['get', 'configmap', 'owner', '-n', 'fg', '-o', 'jsonpath={.metadata.finalizers}']), '["foregroundDeletion"]');
    await k(['patch', 'configmap', 'held', '-n', 'fg', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await until('the owner to go', ['get', 'configmap', 'owner', '-n', 'fg'], (o) => o.includes('NotFound'));
    const gone = await run(['get', 'configmap', 'held', '-n', 'fg']);
    assert.equal(gone.stderr, 'Error from server (NotFound): configmaps "held" not found\n');

    // kubectl's own wait: it returns only once the owner, and so every dependent, is gone.
    await k(['create', 'configmap', 'owner2', '-n', 'fg', '--from-literal=x=1']);
    const owner2 = { kind: 'ConfigMap', name: 'owner2', uid: await uid('configmap', 'owner2', 'fg') };
    await k(['apply', '-f', '-'], dependent('dep-a', 'fg', owner2, '    blockOwnerDeletion: true\n'));
    assert.equal(await k(['delete', 'configmap', 'owner2', '-n', 'fg', '--cascade=foreground']), 'configmap "owner2" deleted from fg namespace\n');
    assert.equal((await run(['get', 'configmap', 'dep-a', '-n', 'fg'])).stderr, 'Error from server (NotFound): configmaps "dep-a" not found\n');
  });

  test('a dependent whose owner uid does not exist is collected; one with a live owner stays', { skip: kubectl.skip }, async () => {
    await k(['create', 'namespace', 'wrong']);
    await k(['create', 'configmap', 'owner', '-n', 'wrong', '--from-literal=x=1']);
    const live = { kind: 'ConfigMap', name: 'owner', uid: await uid('configmap', 'owner', 'wrong') };
    await k(
      ['apply', '-f', '-'],
      dependent('good', 'wrong', live) + '---\n' + dependent('bad', 'wrong', { ...live, uid: '3f1e1c4e-0000-4000-8000-000000000001' }),
    );
    await until('the dependent of a missing owner to go', ['get', 'configmap', 'bad', '-n', 'wrong'], (o) => o.includes('NotFound'));
    assert.match(await k(['get', 'configmap', 'good', '-n', 'wrong']), /^NAME\s+DATA\s+AGE\ngood\s+1\s+/);
  });

  test('a cluster-scoped owner takes its namespaced dependents with it', { skip: kubectl.skip }, async () => {
    await k(['create', 'namespace', 'cluster-owner']);
    await k(['create', 'clusterrole', 'owner-role', '--verb=get', '--resource=pods']);
    const owner = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'owner-role', uid: await uid('clusterrole', 'owner-role') };
    await k(['apply', '-f', '-'], dependent('dep', 'cluster-owner', owner));
    await k(['delete', 'clusterrole', 'owner-role']);
    await until('the dependent to go', ['get', 'configmap', 'dep', '-n', 'cluster-owner'], (o) => o.includes('NotFound'));
  });

  test('an owner in another namespace is no owner; a cluster-scoped object cannot have a namespaced owner', { skip: kubectl.skip }, async () => {
    await k(['create', 'namespace', 'ns-a']);
    await k(['create', 'namespace', 'ns-b']);
    await k(['create', 'configmap', 'owner', '-n', 'ns-a']);
    const owner = { kind: 'ConfigMap', name: 'owner', uid: await uid('configmap', 'owner', 'ns-a') };
    await k(['apply', '-f', '-'], dependent('stray', 'ns-b', owner));
    await until('the dependent in the other namespace to go', ['get', 'configmap', 'stray', '-n', 'ns-b'], (o) => o.includes('NotFound'));
    const events = ['get', 'events', '-n', 'ns-b', '--field-selector', 'reason=OwnerRefInvalidNamespace', '-o', 'jsonpath={.items[*].message}'];
    assert.equal(
      await until('the warning event', events, (o) => o.length > 0),
      `ownerRef [v1/ConfigMap, namespace: ns-b, name: owner, uid: ${owner.uid}] does not exist in namespace "ns-b"`,
    );

    await k(
      ['apply', '-f', '-'],
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: owned-role
  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: ${owner.uid}}]
rules: []
`,
    );
    const roleEvents = ['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.name=owned-role', '-o', 'jsonpath={.items[*].reason}'];
    await until('the warning event about the cluster role', roleEvents, (o) => o === 'OwnerRefInvalidNamespace');
    assert.match(await k(['get', 'clusterrole', 'owned-role']), /\nowned-role\s+/);
  });

  test('deleting a Deployment removes its ReplicaSets and Pods, in the background or the foreground', { skip: kubectl.skip }, async () => {
    // The workload controllers build the chain (Deployment → ReplicaSet → Pods, controller
    // references that block owner deletion); simulated nodes run the pods and honour their deletion.
    const sim = await startSim(server.kubeconfig, ['--nodes', '2', '--name-prefix', 'gc-', '--delete-on-exit']);
    try {
      const running = async (ns: string) => {
        await k(['create', 'namespace', ns]);
        await k(['create', 'deployment', 'web', '-n', ns, '--image=nginx', '--replicas=3']);
        await until('three running pods', ['get', 'pods', '-n', ns], (o) => (o.match(/\bRunning\b/g) ?? []).length === 3, 60_000);
        assert.match(await k(['get', 'replicasets', '-n', ns]), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nweb-[a-z0-9]+\s+3\s+3\s+/);
      };
      await running('deploy-bg');
      assert.equal(await k(['delete', 'deployment', 'web', '-n', 'deploy-bg']), 'deployment.apps "web" deleted from deploy-bg namespace\n');
      await until(
        'the replica sets and pods to go',
        ['get', 'replicasets,pods', '-n', 'deploy-bg'],
        (o) => o === 'No resources found in deploy-bg namespace.\n',
        60_000,
      );

      await running('deploy-fg');
      // kubectl waits for the Deployment, which waits for its ReplicaSet, which waits for its pods.
      assert.equal(
        await k(['delete', 'deployment', 'web', '-n', 'deploy-fg', '--cascade=foreground']),
        'deployment.apps "web" deleted from deploy-fg namespace\n',
      );
      assert.equal((await run(['get', 'deployments,replicasets,pods', '-n', 'deploy-fg'])).stderr, 'No resources found in deploy-fg namespace.\n');
    } finally {
      await sim.stop();
    }
  });

  test('deleting a namespace removes everything in it, custom resources too, then the namespace', { skip: kubectl.skip }, async () => {
    await k(['apply', '-f', path.join(repoRoot(), 'test/fixtures/crds/crontabs.yaml')]);
    await k(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=20s']);
    await k(['create', 'namespace', 'doomed']);
    await k(['create', 'configmap', 'settings', '-n', 'doomed', '--from-literal=a=1']);
    await k(['create', 'secret', 'generic', 'token', '-n', 'doomed', '--from-literal=t=x']);
    await k(['create', 'deployment', 'web', '-n', 'doomed', '--image=nginx']);
    await k(['create', 'service', 'clusterip', 'web', '-n', 'doomed', '--tcp=80:80']);
    await k(
      ['apply', '-n', 'doomed', '-f', '-'],
      'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: nightly}\nspec: {cronSpec: "* * * * */5", image: img}\n',
    );
    // One object held by a finalizer shows in the namespace's conditions until released.
    await k(['create', 'configmap', 'held', '-n', 'doomed']);
    await k(['patch', 'configmap', 'held', '-n', 'doomed', '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']);

    assert.equal(await k(['delete', 'namespace', 'doomed', '--wait=false']), 'namespace "doomed" deleted\n');
    const conditions = ['get', 'namespace', 'doomed', '-o', 'jsonpath={range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\\n"}{end}'];
    const out = await until('the finalizer to show', conditions, (o) => o.includes('NamespaceFinalizersRemaining=True'));
    assert.equal(
      out,
      [
        'NamespaceDeletionDiscoveryFailure=False ResourcesDiscovered: All resources successfully discovered',
        'NamespaceDeletionGroupVersionParsingFailure=False ParsedGroupVersions: All legacy kube types successfully parsed',
        'NamespaceDeletionContentFailure=False ContentDeleted: All content successfully deleted, may be waiting on finalization',
        'NamespaceContentRemaining=True SomeResourcesRemain: Some resources are remaining: configmaps. has 1 resource instances',
        'NamespaceFinalizersRemaining=True SomeFinalizersRemain: Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
        '',
      ].join('\n'),
    );
    assert.match(await k(['get', 'namespace', 'doomed']), /^NAME\s+STATUS\s+AGE\ndoomed\s+Terminating\s+/);
    assert.equal((await run(['get', 'crontabs', '-n', 'doomed'])).stderr, 'No resources found in doomed namespace.\n');
    assert.equal((await run(['get', 'deployments,services,secrets', '-n', 'doomed'])).stderr, 'No resources found in doomed namespace.\n');

    await k(['patch', 'configmap', 'held', '-n', 'doomed', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await until('the namespace to go', ['get', 'namespace', 'doomed'], (o) => o === 'Error from server (NotFound): namespaces "doomed" not found\n', 30_000);

    // Without a held object, kubectl's own wait returns once the namespace is gone.
    await k(['create', 'namespace', 'quick']);
    await k(
      ['apply', '-n', 'quick', '-f', '-'],
      'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: hourly}\nspec: {cronSpec: "0 * * * *", image: img}\n',
    );
    await k(['create', 'configmap', 'c', '-n', 'quick']);
    assert.equal(await k(['delete', 'namespace', 'quick']), 'namespace "quick" deleted\n');
    assert.equal((await run(['get', 'namespace', 'quick'])).stderr, 'Error from server (NotFound): namespaces "quick" not found\n');
  });
  test('custom resources own and are owned like built-in objects', { skip: kubectl.skip }, async () => {
    await k(['apply', '-f', path.join(repoRoot(), 'test/fixtures/crds/crontabs.yaml')]);
    await k(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=20s']);
    await k(['create', 'namespace', 'cr']);
    await k(
      ['apply', '-n', 'cr', '-f', '-'],
      'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: parent}\nspec: {cronSpec: "* * * * *", image: img}\n',
    );
    const parent = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', name: 'parent', uid: await uid('crontab', 'parent', 'cr') };
    await k(['apply', '-f', '-'], dependent('of-crontab', 'cr', parent));
    await k(['create', 'configmap', 'holder', '-n', 'cr']);
    const holder = await uid('configmap', 'holder', 'cr');
    await k(
      ['apply', '-n', 'cr', '-f', '-'],
      `apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: child\n  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: holder, uid: ${holder}}]\nspec: {cronSpec: "* * * * *", image: img}\n`,
    );
    await k(['delete', 'crontab', 'parent', '-n', 'cr']);
    await until('the config map owned by the custom resource to go', ['get', 'configmap', 'of-crontab', '-n', 'cr'], (o) => o.includes('NotFound'));
    await k(['delete', 'configmap', 'holder', '-n', 'cr']);
    await until('the custom resource owned by the config map to go', ['get', 'crontab', 'child', '-n', 'cr'], (o) => o.includes('NotFound'));
  });
});
