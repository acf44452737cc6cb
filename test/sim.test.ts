// `skiff sim` against a real `skiff server`, seen through kubectl: simulated nodes register Ready
// with pod CIDRs from the node IPAM controller, run pods through their life, and a node taken down
// goes NotReady, is tainted, and its pods are evicted after their toleration seconds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clientPath, kubectl135, runKubectl, runProgram, repoRoot, startServer, startSim, type TestServer, type TestSim } from './support/index.js';
import path from 'node:path';

describe('skiff sim', async () => {
  const kubectl = await kubectl135();
  let server: TestServer;
  let sim: TestSim;
  const k = async (...args: string[]) => {
    const r = await runKubectl(clientPath(kubectl), server.kubeconfig, args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  /** Polls kubectl until check accepts its output; fails with the last output. */
  const until = async (what: string, args: string[], check: (out: string) => boolean, ms = 30_000) => {
    const deadline = Date.now() + ms;
    let out = '';
    while (Date.now() < deadline) {
      out = await k(...args);
      if (check(out)) return out;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.fail(`timed out waiting for ${what}; last output:\n${out}\n--- sim ---\n${(await sim.output()).slice(-2000)}`);
  };
  const jsonpath = (kind: string, name: string, expr: string) =>
    k('get', kind, name, ...(kind === 'lease' ? ['-n', 'kube-node-lease'] : []), '-o', `jsonpath=${expr}`);

  before(async () => {
    if (kubectl.skip) return;
    // A /22 holds four node subnets: enough for the three simulated nodes and one more.
    server = await startServer({ extraArgs: ['--cluster-cidr', '10.200.0.0/22', '--node-monitor-grace-period', '5s'] });
    sim = await startSim(server.kubeconfig, ['--nodes', '3', '--name-prefix', 'simt-', '--node-lease-duration-seconds', '4', '--cpu', '4', '--memory', '16Gi']);
  });
  after(async () => {
    await sim?.stop('SIGKILL');
    await server?.stop();
  });

  test('nodes register Ready with their capacity, labels and distinct pod CIDRs', { skip: kubectl.skip }, async () => {
    const out = await until(
      'three Ready nodes with CIDRs',
      ['get', 'nodes', '-o', 'custom-columns=NAME:.metadata.name,CIDR:.spec.podCIDR', '--no-headers'],
      (o) => /simt-0\s+10\.200\.\d\.0\/24\n.*simt-1\s+10\.200\.\d\.0\/24\n.*simt-2\s+10\.200\.\d\.0\/24/s.test(o),
    );
    const cidrs = out
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[1]);
    assert.equal(new Set(cidrs).size, 3, out);
    const table = await k('get', 'nodes', '-l', 'type=skiff-sim');
    for (const name of ['simt-0', 'simt-1', 'simt-2']) assert.match(table, new RegExp(`^${name}\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.35\\.0$`, 'm'));
    assert.equal(
      await jsonpath(
        'node',
        'simt-1',
        '{.status.allocatable.cpu} {.status.capacity.memory} {.status.capacity.pods} {.metadata.labels.kubernetes\\.io/hostname}',
      ),
      '4 16Gi 110 simt-1',
    );
    const conditions = await jsonpath('node', 'simt-1', '{range .status.conditions[*]}{.type}={.status}/{.reason} {end}');
    assert.equal(
      conditions.trim(),
      'MemoryPressure=False/KubeletHasSufficientMemory DiskPressure=False/KubeletHasNoDiskPressure PIDPressure=False/KubeletHasSufficientPID Ready=True/KubeletReady',
    );
    assert.equal(await jsonpath('lease', 'simt-1', '{.spec.holderIdentity} {.spec.leaseDurationSeconds} {.metadata.ownerReferences[0].kind}'), 'simt-1 4 Node');
    // The lease is renewed every quarter of its duration.
    const first = await jsonpath('lease', 'simt-1', '{.spec.renewTime}');
    await until('a lease renewal', ['get', 'lease', 'simt-1', '-n', 'kube-node-lease', '-o', 'jsonpath={.spec.renewTime}'], (o) => o !== first, 5_000);
  });

  test('node IPAM hands out a free subnet, reports CIDRNotAvailable when full and reuses a freed one', { skip: kubectl.skip }, async () => {
    const node = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
    await runKubectl(clientPath(kubectl), server.kubeconfig, ['create', '-f', '-'], { stdin: node('extra-1') });
    const cidr = await until('a CIDR for extra-1', ['get', 'node', 'extra-1', '-o', 'jsonpath={.spec.podCIDR}'], (o) => o !== '');
    const simCidrs = await k('get', 'nodes', '-l', 'type=skiff-sim', '-o', 'jsonpath={.items[*].spec.podCIDR}');
    assert.ok(!simCidrs.split(' ').includes(cidr), `${cidr} is also in ${simCidrs}`);
    assert.equal(await jsonpath('node', 'extra-1', '{.spec.podCIDRs[0]}'), cidr);
    await runKubectl(clientPath(kubectl), server.kubeconfig, ['create', '-f', '-'], { stdin: node('extra-2') });
    await until(
      'the CIDRNotAvailable event',
      [
        'get',
        'events',
        '--field-selector',
        'involvedObject.name=extra-2',
        '-o',
        'custom-columns=REASON:.reason,MESSAGE:.message,FROM:.source.component',
        '--no-headers',
      ],
      (o) => /CIDRNotAvailable\s+Node extra-2 status is now: CIDRNotAvailable\s+cidrAllocator/.test(o),
    );
    assert.equal(await jsonpath('node', 'extra-2', '{.spec.podCIDR}'), '');
    await k('delete', 'node', 'extra-1');
    await until('the freed CIDR for extra-2', ['get', 'node', 'extra-2', '-o', 'jsonpath={.spec.podCIDR}'], (o) => o === cidr);
    await k('delete', 'node', 'extra-2');
  });

  test('a pod bound to a simulated node runs with an IP from the node CIDR, and deletion is honoured', { skip: kubectl.skip }, async () => {
    await k('run', 'web', '--image=nginx', '--overrides', JSON.stringify({ spec: { nodeName: 'simt-0' } }));
    await until('web Running', ['get', 'pod', 'web', '--no-headers'], (o) => /^web\s+1\/1\s+Running\s+0/.test(o));
    const cidr = await jsonpath('node', 'simt-0', '{.spec.podCIDR}');
    const ip = await jsonpath('pod', 'web', '{.status.podIP}');
    assert.equal(ip.replace(/\.\d+$/, ''), cidr.replace(/\.0\/24$/, ''), `${ip} in ${cidr}`);
    assert.equal(await jsonpath('pod', 'web', '{.status.hostIP}'), await jsonpath('node', 'simt-0', '{.status.addresses[0].address}'));
    const conditions = await jsonpath('pod', 'web', '{range .status.conditions[*]}{.type}={.status} {end}');
    assert.equal(conditions.trim(), 'PodReadyToStartContainers=True Initialized=True Ready=True ContainersReady=True PodScheduled=True');
    assert.match(await jsonpath('pod', 'web', '{.status.containerStatuses[0].state.running.startedAt} {.status.startTime}'), /^\d{4}-.+Z \d{4}-.+Z$/);
    // kubectl delete waits until the pod is gone: the simulated kubelet finishes the graceful deletion.
    const r = await runKubectl(clientPath(kubectl), server.kubeconfig, ['delete', 'pod', 'web', '--timeout=20s']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pod "web" deleted/);
    const left = await runKubectl(clientPath(kubectl), server.kubeconfig, ['get', 'pod', 'web']);
    assert.match(left.stderr, /pods "web" not found/);
  });

  test('a pod with a simulated duration completes, or fails with its exit code', { skip: kubectl.skip }, async () => {
    const pod = (name: string, annotations: Record<string, string>) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, annotations },
        spec: { nodeName: 'simt-1', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
      });
    await runKubectl(clientPath(kubectl), server.kubeconfig, ['create', '-f', '-'], { stdin: pod('done', { 'skiff.dev/simulated-duration': '1s' }) });
    await runKubectl(clientPath(kubectl), server.kubeconfig, ['create', '-f', '-'], {
      stdin: pod('broken', { 'skiff.dev/simulated-duration': '500ms', 'skiff.dev/simulated-exit-code': '3' }),
    });
    await until('done Completed', ['get', 'pod', 'done', '--no-headers'], (o) => /^done\s+0\/1\s+Completed\s+0/.test(o));
    await until('broken Error', ['get', 'pod', 'broken', '--no-headers'], (o) => /^broken\s+0\/1\s+Error\s+0/.test(o));
    assert.equal(await jsonpath('pod', 'done', '{.status.phase} {.status.containerStatuses[0].state.terminated.reason}'), 'Succeeded Completed');
    assert.equal(await jsonpath('pod', 'broken', '{.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}'), 'Failed 3');
    assert.equal(await jsonpath('pod', 'done', '{.status.conditions[?(@.type=="Ready")].reason}'), 'PodCompleted');
    await k('delete', 'pod', 'done', 'broken');
  });

  test('a node taken down goes NotReady, is tainted, its pods are evicted after their toleration; it comes back', { skip: kubectl.skip }, async () => {
    const pod = (name: string, tolerations: unknown[]) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { nodeName: 'simt-2', tolerations, containers: [{ name: 'c', image: 'nginx' }] },
      });
    await runKubectl(clientPath(kubectl), server.kubeconfig, ['create', '-f', '-'], {
      stdin: pod('brief', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }]),
    });
    // Gets the default 300 s tolerations from admission: it stays through the outage.
    await runKubectl(clientPath(kubectl), server.kubeconfig, ['create', '-f', '-'], { stdin: pod('patient', []) });
    await until('both Running', ['get', 'pods', 'brief', 'patient', '--no-headers'], (o) => (o.match(/1\/1\s+Running/g) ?? []).length === 2);

    await k('annotate', 'node', 'simt-2', 'skiff.dev/simulated-down=true');
    await until('simt-2 NotReady', ['get', 'node', 'simt-2', '--no-headers'], (o) => /^simt-2\s+NotReady/.test(o));
    // The NoExecute taint follows within the controller's 5 s monitor period.
    const describe = await until('the unreachable taints', ['describe', 'node', 'simt-2'], (o) =>
      /Taints:\s+node\.kubernetes\.io\/unreachable:NoExecute\n\s+node\.kubernetes\.io\/unreachable:NoSchedule/.test(o),
    );
    assert.match(describe, /Ready\s+Unknown\s.+NodeStatusUnknown\s+Kubelet stopped posting node status\./);
    await until('brief evicted', ['get', 'pod', 'brief', '-o', 'jsonpath={.metadata.deletionTimestamp}'], (o) => o !== '', 15_000);
    assert.equal(await jsonpath('pod', 'brief', '{.status.conditions[?(@.type=="DisruptionTarget")].reason}'), 'DeletionByTaintManager');
    const events = await k('get', 'events', '-o', 'custom-columns=REASON:.reason,OBJECT:.involvedObject.name,MESSAGE:.message', '--no-headers');
    assert.match(events, /TaintManagerEviction\s+brief\s+Marking for deletion Pod default\/brief/);
    assert.match(events, /NodeNotReady\s+simt-2\s+Node simt-2 status is now: NodeNotReady/);
    assert.match(events, /NodeNotReady\s+patient\s+Node is not ready/);
    assert.equal(await jsonpath('pod', 'patient', '{.metadata.deletionTimestamp}{.status.conditions[?(@.type=="Ready")].status}'), 'False');

    await k('annotate', 'node', 'simt-2', 'skiff.dev/simulated-down-');
    await until('simt-2 Ready', ['get', 'node', 'simt-2', '--no-headers'], (o) => /^simt-2\s+Ready/.test(o));
    await until('taints gone', ['get', 'node', 'simt-2', '-o', 'jsonpath={.spec.taints}'], (o) => o === '');
    // Back, the simulated kubelet finishes the eviction and reports the survivor ready again.
    await until('brief gone', ['get', 'pods', '--no-headers'], (o) => !/^brief\s/m.test(o));
    await until('patient ready', ['get', 'pod', 'patient', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'], (o) => o === 'True');
    await k('delete', 'pod', 'patient');
  });

  test('Ctrl-C stops the simulator; with --delete-on-exit its nodes go too', { skip: kubectl.skip }, async () => {
    const extra = await startSim(server.kubeconfig, ['--nodes', '2', '--name-prefix', 'brief-', '--delete-on-exit']);
    try {
      await until('brief nodes', ['get', 'nodes', '--no-headers'], (o) => (o.match(/^brief-\d\s+Ready/gm) ?? []).length === 2);
      assert.equal(await extra.stop('SIGINT'), 0);
      assert.match(await extra.output(), /received SIGINT, stopping/);
      await until('brief nodes deleted', ['get', 'nodes', '--no-headers'], (o) => !/^brief-/m.test(o));
    } finally {
      await extra.stop('SIGKILL');
    }
  });

  test('after a server restart IPAM knows the taken subnets and the simulator carries on', { skip: kubectl.skip }, async () => {
    await server.restart();
    const taken = (await k('get', 'nodes', '-l', 'type=skiff-sim', '-o', 'jsonpath={.items[*].spec.podCIDR}')).split(' ');
    assert.equal(taken.length, 3);
    await runKubectl(clientPath(kubectl), server.kubeconfig, ['create', '-f', '-'], {
      stdin: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'extra-3' } }),
    });
    const cidr = await until('a CIDR for extra-3', ['get', 'node', 'extra-3', '-o', 'jsonpath={.spec.podCIDR}'], (o) => o !== '');
    assert.ok(!taken.includes(cidr), `${cidr} collides with ${taken.join(' ')}`);
    await k('delete', 'node', 'extra-3');
    await k('run', 'again', '--image=nginx', '--overrides', JSON.stringify({ spec: { nodeName: 'simt-1' } }));
    await until('again Running', ['get', 'pod', 'again', '--no-headers'], (o) => /^again\s+1\/1\s+Running/.test(o), 60_000);
    await until('simt-1 Ready', ['get', 'node', 'simt-1', '--no-headers'], (o) => /^simt-1\s+Ready/.test(o));
    await k('delete', 'pod', 'again');
  });

  test('when every node goes silent at once nothing is evicted', { skip: kubectl.skip }, async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'fragile' },
      spec: {
        nodeName: 'simt-0',
        tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }],
        containers: [{ name: 'c', image: 'nginx' }],
      },
    };
    await runKubectl(clientPath(kubectl), server.kubeconfig, ['create', '-f', '-'], { stdin: JSON.stringify(pod) });
    await until('fragile Running', ['get', 'pod', 'fragile', '--no-headers'], (o) => /1\/1\s+Running/.test(o));
    // The whole simulator stops, as when the control plane loses its network: a full disruption.
    await sim.stop('SIGKILL');
    await until('all nodes NotReady', ['get', 'nodes', '--no-headers'], (o) => (o.match(/NotReady/g) ?? []).length === 3 && !/\sReady/.test(o));
    await new Promise((r) => setTimeout(r, 8000));
    const taints = await k('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}:{range .spec.taints[*]}{.key}={.effect},{end} {end}');
    assert.equal(taints.trim(), ['simt-0', 'simt-1', 'simt-2'].map((n) => `${n}:node.kubernetes.io/unreachable=NoSchedule,`).join(' '));
    assert.equal(await jsonpath('pod', 'fragile', '{.metadata.deletionTimestamp}'), '');
  });

  test('bad flags get one error line and a hint', async () => {
    const run = (...args: string[]) =>
      runProgram(process.execPath, [path.join(repoRoot(), 'bin', 'skiff.js'), 'sim', ...args], { PATH: process.env.PATH ?? '' }, {}, 'skiff sim');
    let r = await run();
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: --nodes is required\nhint: for example skiff sim --nodes 100\n');
    r = await run('--nodes', '2', '--cpu', 'lots', '--kubeconfig', '/dev/null');
    assert.equal(r.stderr, 'error: --cpu must be a positive quantity, got "lots"\nhint: for example --cpu 8\n');
    r = await run('--nodes', '2', '--kubeconfig', '/nonexistent/kubeconfig');
    assert.equal(r.stderr, 'error: no kubeconfig at /nonexistent/kubeconfig\nhint: check the --kubeconfig path\n');
    r = await run('--nodes', '2', '--name-prefix', 'Bad_');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: --name-prefix "Bad_" does not make valid node names: /);
  });
});
