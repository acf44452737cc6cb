// The StatefulSet and DaemonSet controllers in a real `skiff server`, driven and read through
// kubectl 1.35. Pods do not run here: the test plays the kubelet, setting pod phases and the
// Ready condition through the status subresource, and creates Node objects itself.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kubectl135, startServer, workloadSession, type TestServer } from './support/index.js';

describe('apps controllers', async () => {
  const kubectl = await kubectl135();
  let server: TestServer;
  const { run, k, apply, until, podNames, assertQuiet, setPodPhase } = workloadSession(kubectl, () => server.kubeconfig);
  const setRunning = (ns: string, pod: string) => setPodPhase(ns, pod, 'Running');
  /** A Node as a kubelet registers it: Ready, with room for pods, so the scheduler can bind to it. */
  const node = (name: string, labels: Record<string, string> = {}) =>
    apply(`apiVersion: v1
kind: Node
metadata: {name: ${name}, labels: ${JSON.stringify({ 'kubernetes.io/hostname': name, ...labels })}}
status:
  capacity: {cpu: "4", memory: 8Gi, pods: "110"}
  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
  conditions: [{type: Ready, status: "True", reason: KubeletReady, message: ready}]
`);
  /** Plays the kubelet for pods being deleted: confirms their termination. */
  const finishTerminating = async (ns: string, selector: string) => {
    const out = await k('get', 'pods', '-n', ns, '-l', selector, '-o', 'jsonpath={range .items[?(@.metadata.deletionTimestamp)]}{.metadata.name}{"\\n"}{end}');
    for (const name of out.split('\n').filter(Boolean)) await run(['delete', 'pod', name, '-n', ns, '--grace-period=0', '--force']);
  };

  before(async () => {
    if (kubectl.skip) return;
    server = await startServer();
    await k('create', 'namespace', 'apps');
  });
  after(async () => {
    await server?.stop();
  });

  test(
    'a StatefulSet of 3 comes up in order with stable names, claims and identity; rolls back down; scales down in reverse',
    { skip: kubectl.skip },
    async () => {
      await apply(`apiVersion: v1
kind: Service
metadata: {name: web, namespace: apps}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: apps}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.25, volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`);
      // One at a time: web-1 only once web-0 is Running and Ready.
      for (let i = 0; i < 3; i++) {
        await until(`web-${i}`, async () => ((await podNames('apps', 'app=web')).length === i + 1 ? true : undefined));
        assert.deepEqual(
          await podNames('apps', 'app=web'),
          Array.from({ length: i + 1 }, (_, j) => `web-${j}`),
        );
        await new Promise((r) => setTimeout(r, 500));
        assert.equal((await podNames('apps', 'app=web')).length, i + 1, 'the next ordinal waits for this one to be ready');
        await setRunning('apps', `web-${i}`);
      }
      await k('rollout', 'status', 'statefulset/web', '-n', 'apps', '--timeout=30s');
      const pod = JSON.parse(await k('get', 'pod', 'web-1', '-n', 'apps', '-o', 'json')) as {
        metadata: { labels: Record<string, string> };
        spec: { hostname: string; subdomain: string; volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[] };
      };
      assert.equal(pod.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-1');
      assert.equal(pod.metadata.labels['apps.kubernetes.io/pod-index'], '1');
      assert.match(pod.metadata.labels['controller-revision-hash'] ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
      assert.deepEqual([pod.spec.hostname, pod.spec.subdomain], ['web-1', 'web']);
      assert.equal(pod.spec.volumes.find((v) => v.name === 'www')?.persistentVolumeClaim?.claimName, 'www-web-1');
      assert.equal(await k('get', 'pvc', '-n', 'apps', '-o', 'jsonpath={.items[*].metadata.name}'), 'www-web-0 www-web-1 www-web-2');
      assert.match(await k('get', 'sts', 'web', '-n', 'apps'), /web\s+3\/3/);
      const firstRevision = pod.metadata.labels['controller-revision-hash']!;

      // A new image rolls from the highest ordinal down, each replacement waiting for readiness.
      await k('set', 'image', 'statefulset/web', 'nginx=nginx:1.26', '-n', 'apps');
      for (const i of [2, 1, 0]) {
        const hash = await until(`web-${i} replaced`, async () => {
          const out = await k('get', 'pod', `web-${i}`, '-n', 'apps', '-o', 'jsonpath={.metadata.labels.controller-revision-hash} {.spec.containers[0].image}');
          return out.endsWith('nginx:1.26') ? out.split(' ')[0] : undefined;
        });
        assert.notEqual(hash, firstRevision);
        if (i > 0)
          assert.equal(await k('get', 'pod', `web-${i - 1}`, '-n', 'apps', '-o', 'jsonpath={.spec.containers[0].image}'), 'nginx:1.25', 'lower ordinals wait');
        await setRunning('apps', `web-${i}`);
      }
      await k('rollout', 'status', 'statefulset/web', '-n', 'apps', '--timeout=30s');
      const revisions = await k('get', 'controllerrevisions', '-n', 'apps', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.revision}{"\\n"}{end}');
      assert.equal(revisions.split('\n').filter(Boolean).length, 2);
      assert.match(await k('rollout', 'history', 'statefulset/web', '-n', 'apps'), /1\s+<none>\s+2\s+<none>/);
      const status = await until('current revision caught up', async () => {
        const out = await k(
          'get',
          'sts',
          'web',
          '-n',
          'apps',
          '-o',
          'jsonpath={.status.currentRevision}={.status.updateRevision} {.status.updatedReplicas} {.status.readyReplicas}',
        );
        const [revs, ...rest] = out.split(' ');
        const [a, b] = (revs ?? '').split('=');
        return a === b ? rest.join(' ') : undefined;
      });
      assert.equal(status, '3 3');
      await assertQuiet('statefulset/web', 'apps');

      // Scaling down removes the highest ordinal first and keeps the claims (whenScaled: Retain).
      await k('scale', 'statefulset/web', '--replicas=1', '-n', 'apps');
      await until('scaled to 1', async () => ((await podNames('apps', 'app=web')).join() === 'web-0' ? true : undefined));
      const deletes = await k(
        'get',
        'events',
        '-n',
        'apps',
        '--field-selector=reason=SuccessfulDelete',
        '--sort-by=.lastTimestamp',
        '-o',
        'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
      );
      const order = deletes.split('\n').filter((l) => l.includes('web-2') || l.includes('web-1'));
      assert.equal(order.at(-1), 'delete Pod web-1 in StatefulSet web successful');
      assert.equal(await k('get', 'pvc', '-n', 'apps', '-o', 'jsonpath={.items[*].metadata.name}'), 'www-web-0 www-web-1 www-web-2');

      // A pod that lost its controller reference is adopted again by the StatefulSet selecting it, not replaced.
      const uidBefore = await k('get', 'pod', 'web-0', '-n', 'apps', '-o', 'jsonpath={.metadata.uid}');
      const stsUid = await k('get', 'sts', 'web', '-n', 'apps', '-o', 'jsonpath={.metadata.uid}');
      await k('patch', 'pod', 'web-0', '-n', 'apps', '--type=json', '-p', '[{"op":"remove","path":"/metadata/ownerReferences"}]');
      await until('web-0 adopted', async () =>
        (await k('get', 'pod', 'web-0', '-n', 'apps', '-o', 'jsonpath={.metadata.ownerReferences[0].uid}')) === stsUid ? true : undefined,
      );
      assert.equal(await k('get', 'pod', 'web-0', '-n', 'apps', '-o', 'jsonpath={.metadata.uid}'), uidBefore);
      await k('rollout', 'status', 'statefulset/web', '-n', 'apps', '--timeout=30s');
    },
  );

  test(
    'Parallel pod management creates every pod at once; a partition holds lower ordinals back; whenScaled Delete gives claims of removed pods to the pod',
    { skip: kubectl.skip },
    async () => {
      await apply(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: apps}
spec:
  serviceName: db
  replicas: 3
  podManagementPolicy: Parallel
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`);
      await until('three pods at once', async () => ((await podNames('apps', 'app=db')).join() === 'db-0,db-1,db-2' ? true : undefined));
      const owners = await k('get', 'pvc', 'data-db-2', '-n', 'apps', '-o', 'jsonpath={.metadata.ownerReferences[*].kind}');
      assert.equal(owners, 'StatefulSet');
      for (const name of ['db-0', 'db-1', 'db-2']) await setRunning('apps', name);

      // A partition keeps the ordinals below it on the old revision.
      await k(
        'patch',
        'sts',
        'db',
        '-n',
        'apps',
        '--type=strategic',
        '-p',
        JSON.stringify({
          spec: { updateStrategy: { rollingUpdate: { partition: 2 } }, template: { spec: { containers: [{ name: 'db', image: 'postgres:17' }] } } },
        }),
      );
      await until('db-2 updated', async () =>
        (await k('get', 'pod', 'db-2', '-n', 'apps', '-o', 'jsonpath={.spec.containers[0].image}')) === 'postgres:17' ? true : undefined,
      );
      await setRunning('apps', 'db-2');
      await until('status', async () =>
        (await k('get', 'sts', 'db', '-n', 'apps', '-o', 'jsonpath={.status.updatedReplicas}/{.status.currentReplicas}/{.status.readyReplicas}')) === '1/2/3'
          ? true
          : undefined,
      );
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(
        await k('get', 'pods', '-n', 'apps', '-l', 'app=db', '-o', 'jsonpath={.items[*].spec.containers[0].image}'),
        'postgres:16 postgres:16 postgres:17',
      );

      // Scaling down hands the removed ordinal's claim to its pod alone: the garbage collector
      // deletes it with the pod; the kept ordinals' claims stay with the set.
      await k('scale', 'sts', 'db', '--replicas=2', '-n', 'apps');
      await until('db-2 gone', async () => ((await podNames('apps', 'app=db')).join() === 'db-0,db-1' ? true : undefined));
      await until('claim of db-2 collected', async () =>
        (await k('get', 'pvc', '-n', 'apps', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').filter((n) => n.startsWith('data-db-')).join() ===
        'data-db-0,data-db-1'
          ? true
          : undefined,
      );
      assert.equal(await k('get', 'pvc', 'data-db-1', '-n', 'apps', '-o', 'jsonpath={.metadata.ownerReferences[*].kind}'), 'StatefulSet');
    },
  );

  test('a DaemonSet covers every eligible node and a node added later, with the tolerations kube adds', { skip: kubectl.skip }, async () => {
    await node('n1');
    await node('n2');
    await node('gpu1', { accelerator: 'gpu' });
    await k('taint', 'node', 'gpu1', 'dedicated=gpu:NoSchedule');
    await apply(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: apps}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      containers: [{name: agent, image: busybox}]
`);
    const targets = async () =>
      (
        await k(
          'get',
          'pods',
          '-n',
          'apps',
          '-l',
          'app=agent',
          '-o',
          'jsonpath={range .items[*]}{.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]}{"\\n"}{end}',
        )
      )
        .split('\n')
        .filter(Boolean)
        .sort();
    await until('a pod on n1 and n2 (gpu1 is tainted)', async () => ((await targets()).join() === 'n1,n2' ? true : undefined));
    const [first] = await podNames('apps', 'app=agent');
    const pod = JSON.parse(await k('get', 'pod', first!, '-n', 'apps', '-o', 'json')) as {
      metadata: { labels: Record<string, string> };
      spec: { nodeName?: string; tolerations: { key: string; effect: string; operator: string }[] };
    };
    assert.deepEqual(
      pod.spec.tolerations.map((t) => `${t.key}:${t.operator}:${t.effect}`),
      [
        'node.kubernetes.io/not-ready:Exists:NoExecute',
        'node.kubernetes.io/unreachable:Exists:NoExecute',
        'node.kubernetes.io/disk-pressure:Exists:NoSchedule',
        'node.kubernetes.io/memory-pressure:Exists:NoSchedule',
        'node.kubernetes.io/pid-pressure:Exists:NoSchedule',
        'node.kubernetes.io/unschedulable:Exists:NoSchedule',
        'node.kubernetes.io/network-unavailable:Exists:NoSchedule',
      ],
    );
    assert.match(pod.metadata.labels['controller-revision-hash'] ?? '', /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(pod.metadata.labels['pod-template-generation'], '1');

    await node('n3');
    await until('a pod on the new node', async () => ((await targets()).join() === 'n1,n2,n3' ? true : undefined));
    // The controller pins, the scheduler binds: each pod lands on the node its affinity names.
    await until('pods bound to their nodes', async () => {
      const out = await k('get', 'pods', '-n', 'apps', '-l', 'app=agent', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}');
      return out.split('\n').filter(Boolean).sort().join() === 'n1,n2,n3' ? true : undefined;
    });
    for (const name of await podNames('apps', 'app=agent')) await setRunning('apps', name);
    await until('status', async () => {
      const out = await k(
        'get',
        'ds',
        'agent',
        '-n',
        'apps',
        '-o',
        'jsonpath={.status.desiredNumberScheduled} {.status.currentNumberScheduled} {.status.numberReady} {.status.updatedNumberScheduled} {.status.numberAvailable} {.status.numberMisscheduled}',
      );
      return out === '3 3 3 3 3 0' ? out : undefined;
    });
    assert.match(await k('get', 'ds', 'agent', '-n', 'apps'), /agent\s+3\s+3\s+3\s+3\s+3\s+<none>/);
    await assertQuiet('daemonset/agent', 'apps');

    // A node that loses the label the template selects gives its pod up.
    await k('patch', 'ds', 'agent', '-n', 'apps', '--type=merge', '-p', '{"spec":{"template":{"spec":{"nodeSelector":{"kubernetes.io/hostname":"n1"}}}}}');
    // The template change rolls out one node at a time (maxUnavailable 1); here it leaves one node.
    await until('only n1 keeps a pod', async () => {
      await finishTerminating('apps', 'app=agent');
      return (await targets()).join() === 'n1' ? true : undefined;
    });
    // The pod that stays is rolled to the new template (maxUnavailable 1).
    await until('the n1 pod rolled', async () => {
      await finishTerminating('apps', 'app=agent');
      const out = await k(
        'get',
        'pods',
        '-n',
        'apps',
        '-l',
        'app=agent',
        '-o',
        'jsonpath={range .items[*]}{.spec.nodeSelector.kubernetes\\.io/hostname} {.metadata.labels.pod-template-generation}{"\\n"}{end}',
      );
      return out === 'n1 2\n' ? true : undefined;
    });
  });
});
