// StatefulSets, DaemonSets and Jobs end to end on simulated nodes: `skiff sim` runs the pods the
// scheduler binds (Running, Ready, Succeeded after skiff.dev/simulated-duration), so nothing in
// these tests stands in for a kubelet. What is asserted is what kubectl 1.35 prints.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kubectl135, startServer, startSim, workloadSession, type TestServer, type TestSim } from './support/index.js';

describe('workloads on simulated nodes', async () => {
  const kubectl = await kubectl135();
  let server: TestServer;
  const sims: TestSim[] = [];
  const { k, apply, until, podNames } = workloadSession(kubectl, () => server.kubeconfig);

  before(async () => {
    if (kubectl.skip) return;
    // A short grace period (with leases renewed every second) lets a silent node go NotReady quickly.
    server = await startServer({ extraArgs: ['--cluster-cidr', '10.210.0.0/22', '--node-monitor-grace-period', '8s'] });
    sims.push(
      await startSim(server.kubeconfig, ['--nodes', '2', '--name-prefix', 'wl-', '--cpu', '4', '--memory', '16Gi', '--node-lease-duration-seconds', '4']),
    );
    await k('create', 'namespace', 'sim');
  });
  after(async () => {
    for (const sim of sims) await sim.stop('SIGKILL');
    await server?.stop();
  });

  test('a StatefulSet of 3 comes up in order', { skip: kubectl.skip }, async () => {
    await apply(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: sim}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx:1.27}]}
`);
    await k('rollout', 'status', 'statefulset/web', '-n', 'sim', '--timeout=60s');
    const rows = await k(
      'get',
      'pods',
      '-n',
      'sim',
      '-l',
      'app=web',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.status.conditions[?(@.type=="Ready")].lastTransitionTime} {.metadata.creationTimestamp}{"\\n"}{end}',
    );
    const pods = rows
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .sort((a, b) => a[0]!.localeCompare(b[0]!));
    assert.deepEqual(
      pods.map((p) => `${p[0]} ${p[1]}`),
      ['web-0 Running', 'web-1 Running', 'web-2 Running'],
    );
    // Each ordinal was created no earlier than the one before it became Ready.
    for (let i = 1; i < 3; i++) assert.ok(Date.parse(pods[i]![3]!) >= Date.parse(pods[i - 1]![2]!), rows);
    assert.match(await k('get', 'sts', 'web', '-n', 'sim'), /web\s+3\/3/);
  });

  test('a DaemonSet covers every node and a node added later', { skip: kubectl.skip }, async () => {
    await apply(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: sim}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: busybox}]}
`);
    const nodesOfPods = async () =>
      (await k('get', 'pods', '-n', 'sim', '-l', 'app=agent', '--field-selector=status.phase=Running', '-o', 'jsonpath={.items[*].spec.nodeName}'))
        .split(' ')
        .filter(Boolean)
        .sort()
        .join();
    await until('a running pod on each node', async () => ((await nodesOfPods()) === 'wl-0,wl-1' ? true : undefined), 60_000);
    sims.push(await startSim(server.kubeconfig, ['--nodes', '1', '--name-prefix', 'late-', '--node-lease-duration-seconds', '4']));
    await until('a running pod on the new node', async () => ((await nodesOfPods()) === 'late-0,wl-0,wl-1' ? true : undefined), 60_000);
    await k('rollout', 'status', 'daemonset/agent', '-n', 'sim', '--timeout=60s');
    assert.match(await k('get', 'ds', 'agent', '-n', 'sim'), /agent\s+3\s+3\s+3\s+3\s+3\s+<none>/);
  });

  test('a Job completes', { skip: kubectl.skip }, async () => {
    await apply(`apiVersion: batch/v1
kind: Job
metadata: {name: batch, namespace: sim}
spec:
  completions: 3
  parallelism: 2
  template:
    metadata: {annotations: {skiff.dev/simulated-duration: 1s}}
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
`);
    await k('wait', '--for=condition=complete', 'job/batch', '-n', 'sim', '--timeout=60s');
    assert.match(await k('get', 'job', 'batch', '-n', 'sim'), /batch\s+Complete\s+3\/3/);
    assert.equal((await podNames('sim', 'job-name=batch')).length, 3);
    assert.equal(await k('get', 'pods', '-n', 'sim', '-l', 'job-name=batch', '-o', 'jsonpath={.items[*].status.phase}'), 'Succeeded Succeeded Succeeded');
  });

  test('a node that stops heartbeating goes NotReady and its Deployment pods are replaced elsewhere', { skip: kubectl.skip }, async () => {
    await apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: survivor, namespace: sim}
spec:
  replicas: 2
  selector: {matchLabels: {app: survivor}}
  template:
    metadata: {labels: {app: survivor}}
    spec:
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      containers: [{name: web, image: nginx:1.27}]
`);
    await k('rollout', 'status', 'deployment/survivor', '-n', 'sim', '--timeout=60s');
    const placement = async () =>
      (
        await k(
          'get',
          'pods',
          '-n',
          'sim',
          '-l',
          'app=survivor',
          '-o',
          'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase} {.metadata.deletionTimestamp}{"\\n"}{end}',
        )
      )
        .trim()
        .split('\n')
        .map((l) => l.split(' '));
    const before = await placement();
    const silent = before[0]![1]!;
    const victims = before.filter((p) => p[1] === silent).map((p) => p[0]);
    await k('annotate', 'node', silent, 'skiff.dev/simulated-down=true');
    try {
      await until(`${silent} NotReady`, async () => (/\sNotReady\s/.test(await k('get', 'node', silent, '--no-headers')) ? true : undefined), 60_000);
      // Evicted after their 2 s toleration; the ReplicaSet makes new pods and the scheduler puts them
      // on the nodes still heartbeating (the silent one is tainted unreachable:NoSchedule).
      const after = await until(
        'two running replacements on other nodes',
        async () => {
          const pods = await placement();
          const live = pods.filter((p) => p[2] === 'Running' && !p[3] && p[1] !== silent);
          const evicted = victims.every((v) => !pods.some((p) => p[0] === v && !p[3]));
          return live.length === 2 && evicted ? pods : undefined;
        },
        90_000,
      );
      assert.ok(
        after.filter((p) => !p[3]).every((p) => p[1] !== silent),
        after.map((p) => p.join(' ')).join('\n'),
      );
      assert.match(await k('get', 'deployment', 'survivor', '-n', 'sim'), /survivor\s+2\/2\s+2\s+2\s/);
    } finally {
      await k('annotate', 'node', silent, 'skiff.dev/simulated-down-');
    }
    await until(`${silent} Ready`, async () => (/\sReady\s/.test(await k('get', 'node', silent, '--no-headers')) ? true : undefined), 60_000);
  });
});
