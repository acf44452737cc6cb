// Namespace policy against a real `skiff server` with kubectl 1.35: LimitRange defaults and limits,
// ResourceQuota refusals and usage, the `default` ServiceAccount, and PodDisruptionBudgets that
// `kubectl drain` honours, each asserted on what kubectl printed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clientPath, kubectl135, runKubectl, startServer, type TestServer } from './support/index.js';

describe('namespace policy: limits, quotas, service accounts and disruption budgets', async () => {
  const kubectl = await kubectl135();
  let server: TestServer;
  const k = (args: string[], stdin?: string) => runKubectl(clientPath(kubectl), server.kubeconfig, args, stdin === undefined ? {} : { stdin });
  const ok = async (args: string[], stdin?: string) => {
    const r = await k(args, stdin);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  /** Repeats a kubectl command until its output passes `check` (bounded to `ms`). */
  const eventually = async (args: string[], check: (out: string) => boolean, ms = 15_000) => {
    const deadline = Date.now() + ms;
    let last = '';
    for (;;) {
      const r = await k(args);
      last = r.stdout + r.stderr;
      if (r.code === 0 && check(r.stdout)) return r.stdout;
      if (Date.now() > deadline) assert.fail(`kubectl ${args.join(' ')} never passed; last output:\n${last}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  before(async () => {
    if (kubectl.skip) return;
    server = await startServer();
  });
  after(async () => server?.stop());

  test('LimitRange defaults show in the pod and limits refuse with kube messages', { skip: kubectl.skip }, async () => {
    await ok(['create', 'namespace', 'lr']);
    await ok(
      ['apply', '-n', 'lr', '-f', '-'],
      `apiVersion: v1
kind: LimitRange
metadata: {name: limits}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 250m}
    max: {cpu: "1"}
  - type: PersistentVolumeClaim
    max: {storage: 2Gi}
`,
    );
    await ok(['run', 'web', '-n', 'lr', '--image=nginx']);
    const yaml = await ok(['get', 'pod', 'web', '-n', 'lr', '-o', 'yaml']);
    assert.match(
      yaml,
      /kubernetes\.io\/limit-ranger: 'LimitRanger plugin set: cpu, memory request for container\n\s+web; cpu, memory limit for container web'/,
    );
    assert.match(yaml, /limits:\n\s+cpu: 500m\n\s+memory: 256Mi\n\s+requests:\n\s+cpu: 250m\n\s+memory: 256Mi/);
    assert.match(yaml, /qosClass: Burstable/);

    const big = await k([
      'run',
      'big',
      '-n',
      'lr',
      '--image=nginx',
      '--overrides={"spec":{"containers":[{"name":"big","image":"nginx","resources":{"limits":{"cpu":"2"}}}]}}',
    ]);
    assert.equal(big.code, 1);
    assert.equal(big.stderr, 'Error from server (Forbidden): pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2\n');

    const claim = await k(
      ['apply', '-n', 'lr', '-f', '-'],
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 5Gi}}\n',
    );
    assert.equal(claim.code, 1);
    assert.match(claim.stderr, /persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi\n$/);
  });

  test('ResourceQuota refuses past its limits and shows what is used', { skip: kubectl.skip }, async () => {
    await ok(['create', 'namespace', 'quota']);
    await ok(['create', 'quota', 'q', '-n', 'quota', '--hard=pods=2,count/configmaps=5,services.nodeports=0']);
    // The quota controller fills in status before anything is admitted against it.
    await eventually(['get', 'quota', 'q', '-n', 'quota', '-o', 'jsonpath={.status.used.pods}'], (out) => out === '0');
    await ok(['run', 'p1', '-n', 'quota', '--image=nginx']);
    await ok(['run', 'p2', '-n', 'quota', '--image=nginx']);
    const third = await k(['run', 'p3', '-n', 'quota', '--image=nginx']);
    assert.equal(third.code, 1);
    assert.equal(third.stderr, 'Error from server (Forbidden): pods "p3" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2\n');
    const nodePort = await k(['create', 'service', 'nodeport', 'np', '-n', 'quota', '--tcp=80:80']);
    assert.equal(nodePort.code, 1);
    assert.equal(
      nodePort.stderr,
      'error: failed to create NodePort service: services "np" is forbidden: exceeded quota: q, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0\n',
    );
    const described = await ok(['describe', 'quota', 'q', '-n', 'quota']);
    assert.match(described, /Resource\s+Used\s+Hard\n-+\s+-+\s+-+\n/);
    assert.match(described, /\npods\s+2\s+2\n/);
    assert.match(described, /\nservices\.nodeports\s+0\s+0\n/);

    // A deleted pod is given back by the quota controller, and the next one fits.
    await ok(['delete', 'pod', 'p1', '-n', 'quota']);
    await eventually(['get', 'quota', 'q', '-n', 'quota', '-o', 'jsonpath={.status.used.pods}'], (out) => out === '1');
    await ok(['run', 'p3', '-n', 'quota', '--image=nginx']);

    await ok(['create', 'namespace', 'compute']);
    await ok(['create', 'quota', 'compute', '-n', 'compute', '--hard=limits.cpu=2,requests.memory=1Gi']);
    await eventually(['get', 'quota', 'compute', '-n', 'compute', '-o', 'jsonpath={.status.used}'], (out) => out.includes('limits.cpu'));
    const bare = await k(['run', 'web', '-n', 'compute', '--image=nginx']);
    assert.equal(bare.code, 1);
    assert.equal(
      bare.stderr,
      'Error from server (Forbidden): pods "web" is forbidden: failed quota: compute: must specify limits.cpu for: web; requests.memory for: web\n',
    );
    const sized = '{"spec":{"containers":[{"name":"web","image":"nginx","resources":{"limits":{"cpu":"1500m","memory":"512Mi"}}}]}}';
    await ok(['run', 'web', '-n', 'compute', '--image=nginx', `--overrides=${sized}`]);
    const over = await k(['run', 'web2', '-n', 'compute', '--image=nginx', `--overrides=${sized.replace('"name":"web"', '"name":"web2"')}`]);
    assert.equal(
      over.stderr,
      'Error from server (Forbidden): pods "web2" is forbidden: exceeded quota: compute, requested: limits.cpu=1500m, used: limits.cpu=1500m, limited: limits.cpu=2\n',
    );
    assert.match(await ok(['describe', 'quota', 'compute', '-n', 'compute']), /\nlimits\.cpu\s+1500m\s+2\nrequests\.memory\s+512Mi\s+1Gi\n/);
  });

  test('every namespace gets a default ServiceAccount, made again when deleted', { skip: kubectl.skip }, async () => {
    await ok(['create', 'namespace', 'accounts']);
    const first = await eventually(['get', 'serviceaccount', 'default', '-n', 'accounts', '-o', 'jsonpath={.metadata.uid}'], (out) => out !== '');
    await ok(['delete', 'serviceaccount', 'default', '-n', 'accounts']);
    await eventually(['get', 'serviceaccount', 'default', '-n', 'accounts', '-o', 'jsonpath={.metadata.uid}'], (out) => out !== '' && out !== first);
    assert.match(await ok(['get', 'serviceaccounts', '-n', 'accounts']), /^NAME\s+SECRETS\s+AGE\ndefault\s+0\s+\S+\n$/);
  });

  test('a PodDisruptionBudget shows allowed disruptions and kubectl drain honours it', { skip: kubectl.skip }, async () => {
    await ok(['create', 'namespace', 'budget']);
    await ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Node\nmetadata: {name: worker-1}\n');
    for (const name of ['web-0', 'web-1']) {
      await ok(
        ['apply', '-n', 'budget', '-f', '-'],
        `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: web}}\nspec:\n  nodeName: worker-1\n  containers: [{name: web, image: nginx}]\n`,
      );
      await ok([
        'patch',
        'pod',
        name,
        '-n',
        'budget',
        '--subresource=status',
        '--type=merge',
        '-p',
        '{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}',
      ]);
    }
    await ok(['create', 'pdb', 'web', '-n', 'budget', '--selector=app=web', '--min-available=2']);
    await eventually(['get', 'pdb', 'web', '-n', 'budget'], (out) =>
      /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nweb\s+2\s+N\/A\s+0\s+\S+\n$/.test(out),
    );
    const status = JSON.parse(await ok(['get', 'pdb', 'web', '-n', 'budget', '-o', 'json'])) as { status: Record<string, unknown> };
    assert.equal(status.status.currentHealthy, 2);
    assert.equal(status.status.desiredHealthy, 2);
    assert.equal(status.status.expectedPods, 2);
    assert.equal(status.status.observedGeneration, 1);
    assert.deepEqual(
      (status.status.conditions as Array<Record<string, unknown>>).map((c) => [c.type, c.status, c.reason]),
      [['DisruptionAllowed', 'False', 'InsufficientPods']],
    );

    const blocked = await k(['drain', 'worker-1', '--force', '--grace-period=0', '--timeout=3s']);
    assert.equal(blocked.code, 1);
    assert.match(
      blocked.stderr,
      /error when evicting pods\/"web-\d" -n "budget" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./,
    );
    assert.match(await ok(['get', 'pods', '-n', 'budget']), /web-0.*\nweb-1/);

    // One disruption allowed: drain evicts one pod, and the budget refuses the second.
    await ok(['patch', 'pdb', 'web', '-n', 'budget', '--type=merge', '-p', '{"spec":{"minAvailable":1}}']);
    await eventually(['get', 'pdb', 'web', '-n', 'budget', '-o', 'jsonpath={.status.disruptionsAllowed}'], (out) => out === '1');
    const partial = await k(['drain', 'worker-1', '--force', '--grace-period=0', '--timeout=4s']);
    assert.equal(partial.code, 1);
    assert.match(partial.stdout, /pod\/web-\d evicted\n/);
    assert.match(partial.stderr, /Cannot evict pod as it would violate the pod's disruption budget\./);
    assert.equal((await ok(['get', 'pods', '-n', 'budget', '-o', 'name'])).trim().split('\n').length, 1);
    await eventually(['get', 'pdb', 'web', '-n', 'budget', '-o', 'jsonpath={.status.currentHealthy}/{.status.disruptionsAllowed}'], (out) => out === '1/0');
  });

  test('an autoscaler without a metrics API says so in its conditions and events', { skip: kubectl.skip }, async () => {
    await ok(['create', 'namespace', 'scaling']);
    await ok(['create', 'deployment', 'web', '-n', 'scaling', '--image=nginx', '--replicas=2']);
    await ok(
      ['apply', '-n', 'scaling', '-f', '-'],
      `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
`,
    );
    const described = await eventually(['describe', 'hpa', 'web', '-n', 'scaling'], (out) => out.includes('FailedGetResourceMetric'));
    assert.match(described, /AbleToScale\s+True\s+SucceededGetScale\s+the HPA controller was able to get the target's current scale\n/);
    assert.match(
      described,
      /ScalingActive\s+False\s+FailedGetResourceMetric\s+the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource \(get pods\.metrics\.k8s\.io\)\n/,
    );
    assert.match(await ok(['get', 'hpa', 'web', '-n', 'scaling']), /\nweb\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+5\s+2\s+\S+\n$/);
  });
});
