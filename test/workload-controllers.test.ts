// ReplicationControllers, ReplicaSets and Deployments driven by kubectl 1.35 against a real
// `skiff server`: pods created, replaced, adopted, released and scaled; Deployments rolled forward
// with `set image`, back with `rollout undo`, paused, resumed, restarted and timed out. A test pod
// runner stands in for the kubelets, marking pods Running and Ready.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clientPath, kubectl135, runKubectl, startServer, type TestServer } from './support/index.js';
import { startPodRunner, type PodRunner } from './support/pod-runner.js';
import { repoRoot } from './support/repo-root.js';

const manifests = path.join(repoRoot(), 'test', 'fixtures', 'manifests');

describe('workload controllers with kubectl 1.35', async () => {
  const kubectl = await kubectl135();
  let server: TestServer;
  let runner: PodRunner | undefined;
  const k = (args: string[], stdin?: string, timeoutMs?: number) =>
    runKubectl(clientPath(kubectl), server.kubeconfig, args, { ...(stdin !== undefined ? { stdin } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
  const ok = async (args: string[], stdin?: string, timeoutMs?: number) => {
    const r = await k(args, stdin, timeoutMs);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  /** Repeats the kubectl command until its output passes `check`; fails with the last output after `ms`. */
  const eventually = async (args: string[], check: (out: string) => boolean, ms = 20_000) => {
    const deadline = Date.now() + ms;
    let last = '';
    for (;;) {
      const r = await k(args);
      last = r.stdout + r.stderr;
      if (r.code === 0 && check(r.stdout)) return r.stdout;
      if (Date.now() > deadline) assert.fail(`kubectl ${args.join(' ')} never passed the check; last output:\n${last}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const lines = (out: string) => out.split('\n').filter((l) => l.trim());
  const podNames = async (ns: string, selector: string) =>
    lines(await ok(['get', 'pods', '-n', ns, '-l', selector, '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}'])).sort();

  before(async () => {
    if (kubectl.skip) return;
    server = await startServer();
    runner = await startPodRunner(server.kubeconfig, 'default');
  });
  after(async () => {
    await runner?.stop();
    await server?.stop();
  });

  test('the nginx-rc fixture gives 2 running pods and keeps 2 when one is deleted', { skip: kubectl.skip }, async () => {
    assert.equal(await ok(['apply', '-f', path.join(manifests, 'nginx-rc.yaml')]), 'replicationcontroller/nginx-controller created\n');
    const table = await eventually(['get', 'rc', 'nginx-controller'], (out) => /nginx-controller\s+2\s+2\s+2\s/.test(out));
    assert.match(table, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\n/);
    const pods = await eventually(['get', 'pods', '-l', 'name=nginx'], (out) => (out.match(/1\/1\s+Running/g) ?? []).length === 2);
    for (const line of lines(pods).slice(1)) assert.match(line, /^nginx-controller-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s/);
    const before = await podNames('default', 'name=nginx');
    const owner = await ok([
      'get',
      'pod',
      before[0]!,
      '-o',
      'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.ownerReferences[0].controller} {.metadata.ownerReferences[0].blockOwnerDeletion}',
    ]);
    assert.equal(owner, 'ReplicationController/nginx-controller true true');

    await ok(['delete', 'pod', before[0]!]);
    const afterDelete = await eventually(['get', 'pods', '-l', 'name=nginx', '-o', 'name'], (out) => lines(out).length === 2 && !out.includes(before[0]!));
    assert.ok(lines(afterDelete).includes(`pod/${before[1]!}`), 'the other pod stays');
    await eventually(['get', 'rc', 'nginx-controller'], (out) => /nginx-controller\s+2\s+2\s+2\s/.test(out));
    const events = await ok([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=nginx-controller',
      '-o',
      'jsonpath={range .items[*]}{.source.component}|{.reason}|{.message}{"\\n"}{end}',
    ]);
    assert.equal(lines(events).filter((l) => /^replication-controller\|SuccessfulCreate\|Created pod: nginx-controller-[a-z0-9]{5}$/.test(l)).length, 3);
  });

  test('kubectl scale up and down; surplus pods go by pod-deletion-cost first', { skip: kubectl.skip }, async () => {
    const original = await podNames('default', 'name=nginx');
    // Ready times within a second rank alike (kube compares them in powers of two): the cost decides.
    await ok(['annotate', 'pod', ...original, 'controller.kubernetes.io/pod-deletion-cost=100']);
    assert.equal(await ok(['scale', 'rc', 'nginx-controller', '--replicas=4']), 'replicationcontroller/nginx-controller scaled\n');
    await eventually(['get', 'rc', 'nginx-controller'], (out) => /nginx-controller\s+4\s+4\s+4\s/.test(out));
    assert.equal((await podNames('default', 'name=nginx')).length, 4);
    assert.equal(await ok(['scale', 'rc', 'nginx-controller', '--replicas=2']), 'replicationcontroller/nginx-controller scaled\n');
    await eventually(['get', 'pods', '-l', 'name=nginx', '-o', 'name'], (out) => lines(out).length === 2);
    assert.deepEqual(await podNames('default', 'name=nginx'), original, 'the two costlier pods are kept');
    const status = await ok([
      'get',
      'rc',
      'nginx-controller',
      '-o',
      'jsonpath={.status.replicas} {.status.readyReplicas} {.status.availableReplicas} {.status.fullyLabeledReplicas}',
    ]);
    assert.equal(status, '2 2 2 2');
    const deletes = await ok([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=nginx-controller,reason=SuccessfulDelete',
      '-o',
      'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
    ]);
    assert.equal(lines(deletes).length, 2);
    for (const l of lines(deletes)) assert.match(l, /^Deleted pod: nginx-controller-[a-z0-9]{5}$/);
    await ok(['delete', 'rc', 'nginx-controller']);
  });

  test('a ReplicaSet adopts a matching orphan and releases a pod relabelled away', { skip: kubectl.skip }, async () => {
    await ok(['run', 'stray', '--image=nginx', '--labels=app=adopt']);
    await ok(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'adopter' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'adopt' } },
          template: { metadata: { labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
        },
      }),
    );
    await eventually(['get', 'pod', 'stray', '-o', 'jsonpath={.metadata.ownerReferences[0].name}'], (out) => out === 'adopter');
    const pods = await eventually(['get', 'pods', '-l', 'app=adopt', '-o', 'name'], (out) => lines(out).length === 2);
    assert.ok(pods.includes('pod/stray'), 'the orphan counts toward the replicas: only one pod is created');
    await ok(['label', 'pod', 'stray', 'app=gone', '--overwrite']);
    await eventually(['get', 'pod', 'stray', '-o', 'jsonpath={.metadata.ownerReferences}'], (out) => out === '');
    await eventually(['get', 'pods', '-l', 'app=adopt', '-o', 'name'], (out) => lines(out).length === 2 && !out.includes('stray'));
    await ok(['delete', 'rs', 'adopter']);
    await ok(['delete', 'pod', 'stray']);
  });

  test('a Deployment rolls to a new image with set image and back with rollout undo', { skip: kubectl.skip }, async () => {
    assert.equal(await ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3']), 'deployment.apps/web created\n');
    assert.match(await ok(['rollout', 'status', 'deployment/web', '--timeout=30s'], undefined, 40_000), /deployment "web" successfully rolled out\n$/);
    const first = lines(
      await ok(['get', 'rs', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.pod-template-hash}{"\\n"}{end}']),
    );
    assert.equal(first.length, 1);
    const [firstName, firstHash] = first[0]!.split(' ');
    assert.equal(firstName, `web-${firstHash}`);
    assert.match(await ok(['get', 'deployment', 'web']), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+3\/3\s+3\s+3\s/);

    assert.equal(await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.26']), 'deployment.apps/web image updated\n');
    const rolled = await ok(['rollout', 'status', 'deployment/web', '--timeout=30s'], undefined, 40_000);
    assert.match(rolled, /deployment "web" successfully rolled out\n$/);
    const rsTable = await ok([
      'get',
      'rs',
      '-l',
      'app=web',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.spec.replicas} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}{"\\n"}{end}',
    ]);
    const sets = lines(rsTable);
    assert.equal(sets.length, 2);
    assert.ok(sets.includes(`${firstName} 0 1`), rsTable);
    const second = sets.find((l) => !l.startsWith(`${firstName} `))!.split(' ');
    assert.equal(second.slice(1).join(' '), '3 2');
    assert.equal(await ok(['rollout', 'history', 'deployment/web']), 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    const scaling = await ok([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=web,reason=ScalingReplicaSet',
      '-o',
      'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
    ]);
    assert.ok(lines(scaling).includes(`Scaled up replica set ${firstName} from 0 to 3`), scaling);
    assert.ok(lines(scaling).includes(`Scaled down replica set ${firstName} from 1 to 0`), scaling);
    assert.ok(
      lines(scaling).some((l) => l.startsWith(`Scaled up replica set ${second[0]!} from 0 to `)),
      scaling,
    );
    const conditions = await ok([
      'get',
      'deployment',
      'web',
      '-o',
      'jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason}: {.message}{"\\n"}{end}',
    ]);
    assert.equal(
      conditions,
      `Available=True/MinimumReplicasAvailable: Deployment has minimum availability.\nProgressing=True/NewReplicaSetAvailable: ReplicaSet "${second[0]!}" has successfully progressed.\n`,
    );

    assert.equal(await ok(['rollout', 'undo', 'deployment/web']), 'deployment.apps/web rolled back\n');
    assert.match(await ok(['rollout', 'status', 'deployment/web', '--timeout=30s'], undefined, 40_000), /deployment "web" successfully rolled out\n$/);
    assert.equal(await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.25');
    assert.equal(await ok(['rollout', 'history', 'deployment/web']), 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
    assert.equal(
      await ok([
        'get',
        'rs',
        firstName,
        '-o',
        'jsonpath={.spec.replicas} {.metadata.annotations.deployment\\.kubernetes\\.io/revision} {.metadata.annotations.deployment\\.kubernetes\\.io/revision-history}',
      ]),
      '3 3 1',
      'the first ReplicaSet serves again as revision 3',
    );
    await eventually(['get', 'pods', '-l', `pod-template-hash=${firstHash!}`], (out) => (out.match(/1\/1\s+Running/g) ?? []).length === 3);
  });

  test('deleted pods of a Deployment are recreated', { skip: kubectl.skip }, async () => {
    const before = await podNames('default', 'app=web');
    assert.equal(before.length, 3);
    await ok(['delete', 'pod', before[0]!, before[1]!]);
    await eventually(['get', 'deployment', 'web'], (out) => /web\s+3\/3\s+3\s+3\s/.test(out));
    const after = await podNames('default', 'app=web');
    assert.equal(after.length, 3);
    assert.deepEqual(
      after.filter((n) => before.includes(n)),
      [before[2]!],
    );
  });

  test('pause, scale while paused, resume, restart', { skip: kubectl.skip }, async () => {
    assert.equal(await ok(['rollout', 'pause', 'deployment/web']), 'deployment.apps/web paused\n');
    await eventually(['get', 'deployment', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}'], (out) => out === 'DeploymentPaused');
    await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
    await ok(['scale', 'deployment/web', '--replicas=5']);
    // Paused: the old ReplicaSet grows; the new template has no ReplicaSet, so none is up to date.
    await eventually(['get', 'deployment', 'web'], (out) => /web\s+5\/5\s+0\s+5\s/.test(out));
    assert.equal(lines(await ok(['get', 'rs', '-l', 'app=web', '-o', 'name'])).length, 2, 'no new ReplicaSet while paused');
    assert.equal(await ok(['rollout', 'resume', 'deployment/web']), 'deployment.apps/web resumed\n');
    assert.match(await ok(['rollout', 'status', 'deployment/web', '--timeout=30s'], undefined, 40_000), /deployment "web" successfully rolled out\n$/);
    assert.equal(
      await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image}{"\\n"}{end}']),
      'nginx:1.27\n'.repeat(5),
    );

    assert.equal(await ok(['rollout', 'restart', 'deployment/web']), 'deployment.apps/web restarted\n');
    assert.match(await ok(['rollout', 'status', 'deployment/web', '--timeout=30s'], undefined, 40_000), /deployment "web" successfully rolled out\n$/);
    const restartedAt = await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}']);
    assert.match(restartedAt, /^\d{4}-\d\d-\d\dT/);
    const pods = await eventually(
      ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}{"\\n"}{end}'],
      (out) => lines(out).length === 5,
    );
    assert.deepEqual(lines(pods), Array(5).fill(restartedAt));
    assert.equal(lines(await ok(['rollout', 'history', 'deployment/web'])).length, 6, 'revisions 2 to 5 listed');
  });

  test('a Deployment whose pods never become ready exceeds its progress deadline', { skip: kubectl.skip }, async () => {
    await ok(['create', 'namespace', 'stuck']);
    await ok(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'slow', namespace: 'stuck' },
        spec: {
          replicas: 2,
          progressDeadlineSeconds: 2,
          selector: { matchLabels: { app: 'slow' } },
          template: { metadata: { labels: { app: 'slow' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
        },
      }),
    );
    const r = await k(['rollout', 'status', 'deployment/slow', '-n', 'stuck', '--timeout=20s'], undefined, 30_000);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Waiting for deployment "slow" rollout to finish: 0 of 2 updated replicas are available\.\.\.\n/);
    assert.equal(r.stderr, 'error: deployment "slow" exceeded its progress deadline\n');
    const conditions = await ok([
      'get',
      'deployment',
      'slow',
      '-n',
      'stuck',
      '-o',
      'jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason}{"\\n"}{end}',
    ]);
    assert.equal(conditions, 'Available=False/MinimumReplicasUnavailable\nProgressing=False/ProgressDeadlineExceeded\n');
  });

  test('Recreate stops every old pod before starting new ones', { skip: kubectl.skip }, async () => {
    await ok(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'rec' },
        spec: {
          replicas: 2,
          strategy: { type: 'Recreate' },
          selector: { matchLabels: { app: 'rec' } },
          template: { metadata: { labels: { app: 'rec' } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } },
        },
      }),
    );
    await ok(['rollout', 'status', 'deployment/rec', '--timeout=30s'], undefined, 40_000);
    await ok(['set', 'image', 'deployment/rec', 'c=busybox:2']);
    await ok(['rollout', 'status', 'deployment/rec', '--timeout=30s'], undefined, 40_000);
    const messages = lines(
      await ok([
        'get',
        'events',
        '--field-selector',
        'involvedObject.name=rec,reason=ScalingReplicaSet',
        '-o',
        'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
      ]),
    );
    assert.equal(messages.length, 3, messages.join('\n'));
    assert.match(messages[1]!, /^Scaled down replica set rec-[a-z0-9]+ from 2 to 0$/);
    assert.match(messages[2]!, /^Scaled up replica set rec-[a-z0-9]+ from 0 to 2$/);
  });

  test('revisionHistoryLimit keeps that many old ReplicaSets; minReadySeconds delays availability', { skip: kubectl.skip }, async () => {
    await ok(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'hist' },
        spec: {
          replicas: 2,
          minReadySeconds: 4,
          revisionHistoryLimit: 1,
          selector: { matchLabels: { app: 'hist' } },
          template: { metadata: { labels: { app: 'hist' } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } },
        },
      }),
    );
    // Ready at once (the pod runner), available only four seconds later.
    const early = await eventually(['get', 'deployment', 'hist', '-o', 'jsonpath={.status.readyReplicas} {.status.availableReplicas}'], (out) =>
      out.startsWith('2 '),
    );
    assert.equal(early, '2 ', 'ready but not yet available');
    await ok(['rollout', 'status', 'deployment/hist', '--timeout=30s'], undefined, 40_000);
    await ok(['patch', 'deployment', 'hist', '--type=merge', '-p', '{"spec":{"minReadySeconds":0}}']);
    for (const tag of ['2', '3']) {
      await ok(['set', 'image', 'deployment/hist', `c=busybox:${tag}`]);
      await ok(['rollout', 'status', 'deployment/hist', '--timeout=30s'], undefined, 40_000);
    }
    const sets = await eventually(['get', 'rs', '-l', 'app=hist', '-o', 'name'], (out) => lines(out).length === 2);
    assert.equal(lines(sets).length, 2);
    assert.equal(await ok(['rollout', 'history', 'deployment/hist']), 'deployment.apps/hist \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
  });
});
