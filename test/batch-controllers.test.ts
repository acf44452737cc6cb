// The Job, CronJob and TTL-after-finished controllers in a real `skiff server`, driven and read
// through kubectl 1.35. Pods do not run here: the test plays the node and sets pod phases through
// the status subresource, as a kubelet would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kubectl135, startServer, workloadSession, type TestServer } from './support/index.js';

describe('batch controllers', async () => {
  const kubectl = await kubectl135();
  let server: TestServer;
  const { run, k, apply, until, podNames, assertQuiet, setPodPhase } = workloadSession(kubectl, () => server.kubeconfig);
  const setPhase = setPodPhase;

  before(async () => {
    if (kubectl.skip) return;
    server = await startServer();
    await k('create', 'namespace', 'jobs');
  });
  after(async () => {
    await server?.stop();
  });

  test('a Job with completions 3 and parallelism 2 runs its pods and completes', { skip: kubectl.skip }, async () => {
    await apply(`apiVersion: batch/v1
kind: Job
metadata: {name: pi, namespace: jobs}
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox, command: [sh, -c, 'echo done']}]
`);
    const first = await until('two pods', async () => {
      const names = await podNames('jobs', 'batch.kubernetes.io/job-name=pi');
      return names.length === 2 ? names : undefined;
    });
    const pod = JSON.parse(await k('get', 'pod', first[0]!, '-n', 'jobs', '-o', 'json')) as {
      metadata: { finalizers?: string[]; labels: Record<string, string>; ownerReferences: { kind: string; controller: boolean }[] };
    };
    assert.deepEqual(pod.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
    assert.equal(pod.metadata.labels['job-name'], 'pi');
    assert.ok(pod.metadata.labels['batch.kubernetes.io/controller-uid']);
    assert.deepEqual(
      pod.metadata.ownerReferences.map((r) => [r.kind, r.controller]),
      [['Job', true]],
    );
    for (const name of first) await setPhase('jobs', name, 'Running');
    await until('ready 2', async () =>
      (await k('get', 'job', 'pi', '-n', 'jobs', '-o', 'jsonpath={.status.active}/{.status.ready}')) === '2/2' ? true : undefined,
    );
    await setPhase('jobs', first[0]!, 'Succeeded');
    const third = await until('a third pod', async () => {
      const names = await podNames('jobs', 'batch.kubernetes.io/job-name=pi');
      return names.length === 3 ? names.filter((n) => !first.includes(n)) : undefined;
    });
    // Counted pods lose the tracking finalizer.
    await until('finalizer removed', async () =>
      (await k('get', 'pod', first[0]!, '-n', 'jobs', '-o', 'jsonpath={.metadata.finalizers}')) === '' ? true : undefined,
    );
    await setPhase('jobs', first[1]!, 'Succeeded');
    await setPhase('jobs', third[0]!, 'Succeeded');
    await k('wait', '--for=condition=complete', 'job/pi', '-n', 'jobs', '--timeout=30s');
    await assertQuiet('job/pi', 'jobs');
    const status = await k(
      'get',
      'job',
      'pi',
      '-n',
      'jobs',
      '-o',
      'jsonpath={.status.succeeded} {.status.failed} {.status.conditions[*].type} {.status.conditions[*].reason}',
    );
    assert.equal(status, '3  SuccessCriteriaMet Complete CompletionsReached CompletionsReached');
    const table = await k('get', 'job', 'pi', '-n', 'jobs');
    assert.match(table, /pi\s+Complete\s+3\/3/);
    const events = await k(
      'get',
      'events',
      '-n',
      'jobs',
      '--field-selector=involvedObject.kind=Job',
      '-o',
      'jsonpath={range .items[*]}{.reason}:{.message}{"\\n"}{end}',
    );
    assert.match(events, /SuccessfulCreate:Created pod: pi-/);
    assert.match(events, /Completed:Job completed/);
  });

  test(
    "backoffLimit, podFailurePolicy and activeDeadlineSeconds fail Jobs with kube's reasons; an Indexed Job names its pods by index",
    { skip: kubectl.skip },
    async () => {
      await apply(`apiVersion: batch/v1
kind: Job
metadata: {name: flaky, namespace: jobs}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
`);
      const [pod] = await until('a pod', async () => {
        const names = await podNames('jobs', 'job-name=flaky');
        return names.length ? names : undefined;
      });
      await setPhase('jobs', pod!, 'Failed');
      await k('wait', '--for=condition=failed', 'job/flaky', '-n', 'jobs', '--timeout=30s');
      assert.equal(
        await k(
          'get',
          'job',
          'flaky',
          '-n',
          'jobs',
          '-o',
          'jsonpath={.status.failed} {.status.conditions[?(@.type=="Failed")].reason}: {.status.conditions[?(@.type=="Failed")].message}',
        ),
        '1 BackoffLimitExceeded: Job has reached the specified backoff limit',
      );

      // A podFailurePolicy rule fails the Job at once on a matching exit code.
      await apply(`apiVersion: batch/v1
kind: Job
metadata: {name: policy, namespace: jobs}
spec:
  backoffLimit: 5
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes: {containerName: main, operator: In, values: [42]}
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
`);
      const [policyPod] = await until('a pod', async () => {
        const names = await podNames('jobs', 'job-name=policy');
        return names.length ? names : undefined;
      });
      await setPhase('jobs', policyPod!, 'Failed', 42);
      await k('wait', '--for=condition=failed', 'job/policy', '-n', 'jobs', '--timeout=30s');
      assert.equal(
        await k(
          'get',
          'job',
          'policy',
          '-n',
          'jobs',
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Failed")].reason}: {.status.conditions[?(@.type=="Failed")].message}',
        ),
        `PodFailurePolicy: Container main for pod jobs/${policyPod} failed with exit code 42 matching FailJob rule at index 0`,
      );

      // activeDeadlineSeconds fails a Job that runs too long, and stops its pods.
      await apply(`apiVersion: batch/v1
kind: Job
metadata: {name: slow, namespace: jobs}
spec:
  activeDeadlineSeconds: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
`);
      await k('wait', '--for=condition=failed', 'job/slow', '-n', 'jobs', '--timeout=30s');
      assert.equal(await k('get', 'job', 'slow', '-n', 'jobs', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}'), 'DeadlineExceeded');
      await until('pods stopped', async () => ((await podNames('jobs', 'job-name=slow')).length === 0 ? true : undefined));

      await apply(`apiVersion: batch/v1
kind: Job
metadata: {name: idx, namespace: jobs}
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 3
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
`);
      const pods = await until('three indexed pods', async () => {
        const out = await k(
          'get',
          'pods',
          '-n',
          'jobs',
          '-l',
          'job-name=idx',
          '-o',
          `jsonpath={range .items[*]}{.metadata.name} {.metadata.annotations.batch\\.kubernetes\\.io/job-completion-index} {.spec.hostname}{"\\n"}{end}`,
        );
        const lines = out
          .split('\n')
          .filter(Boolean)
          .sort((a, b) => a.split(' ')[1]!.localeCompare(b.split(' ')[1]!));
        return lines.length === 3 ? lines : undefined;
      });
      pods.forEach((line, i) => assert.match(line, new RegExp(`^idx-${i}-[a-z0-9]{5} ${i} idx-${i}$`)));
      for (const line of pods.slice(0, 2)) await setPhase('jobs', line.split(' ')[0]!, 'Succeeded');
      await until('completed indexes 0-1', async () =>
        (await k('get', 'job', 'idx', '-n', 'jobs', '-o', 'jsonpath={.status.completedIndexes}')) === '0-1' ? true : undefined,
      );
      await setPhase('jobs', pods[2]!.split(' ')[0]!, 'Succeeded');
      await k('wait', '--for=condition=complete', 'job/idx', '-n', 'jobs', '--timeout=30s');
    },
  );

  test('a suspended Job creates nothing until resumed; ttlSecondsAfterFinished deletes a finished Job', { skip: kubectl.skip }, async () => {
    await apply(`apiVersion: batch/v1
kind: Job
metadata: {name: later, namespace: jobs}
spec:
  suspend: true
  ttlSecondsAfterFinished: 1
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
`);
    await until('Suspended condition', async () =>
      (await k('get', 'job', 'later', '-n', 'jobs', '-o', 'jsonpath={.status.conditions[?(@.type=="Suspended")].reason}')) === 'JobSuspended'
        ? true
        : undefined,
    );
    assert.deepEqual(await podNames('jobs', 'job-name=later'), []);
    await k('patch', 'job', 'later', '-n', 'jobs', '--type=merge', '-p', '{"spec":{"suspend":false}}');
    const [pod] = await until('a pod after resume', async () => {
      const names = await podNames('jobs', 'job-name=later');
      return names.length ? names : undefined;
    });
    await setPhase('jobs', pod!, 'Succeeded');
    // With a 1 s TTL the Job may be deleting, or gone, by the time it is looked at: each proves it completed.
    await until('complete', async () => {
      const out = await run([
        'get',
        'job',
        'later',
        '-n',
        'jobs',
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Complete")].status} {.metadata.deletionTimestamp}',
      ]);
      return out.code !== 0 || out.stdout.startsWith('True') ? true : undefined;
    });
    // The TTL controller deletes in the foreground, as kube does: the garbage collector then removes the pods and the Job.
    const deleting = await until('foreground deletion', async () => {
      const out = await run(['get', 'job', 'later', '-n', 'jobs', '-o', 'jsonpath={.metadata.deletionTimestamp} {.metadata.finalizers}']);
      if (out.code !== 0) return 'gone';
      return out.stdout.startsWith(' ') ? undefined : out.stdout;
    });
    assert.ok(deleting === 'gone' || deleting.includes('foregroundDeletion'), deleting);
  });

  test('a CronJob fires on its schedule; create job --from=cronjob works', { skip: kubectl.skip }, async () => {
    await k('create', 'namespace', 'cron');
    await k('create', 'cronjob', 'tick', '-n', 'cron', '--image=busybox', '--schedule=* * * * *', '--', 'date');
    await k('create', 'job', 'manual', '--from=cronjob/tick', '-n', 'cron');
    assert.equal(
      await k('get', 'job', 'manual', '-n', 'cron', '-o', 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}'),
      'CronJob/tick',
    );
    // `* * * * *` fires at the next minute boundary.
    const name = await until(
      'the scheduled Job',
      async () => {
        const out = await k('get', 'jobs', '-n', 'cron', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}');
        return out.split('\n').find((n) => /^tick-\d+$/.test(n));
      },
      75_000,
    );
    const minutes = Number(name.slice('tick-'.length));
    const job = JSON.parse(await k('get', 'job', name, '-n', 'cron', '-o', 'json')) as { metadata: { annotations: Record<string, string> } };
    assert.equal(job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(minutes * 60_000).toISOString().replace('.000Z', 'Z'));
    const status = await until('status.active', async () => {
      const out = await k('get', 'cronjob', 'tick', '-n', 'cron', '-o', 'jsonpath={.status.active[*].name} {.status.lastScheduleTime}');
      return out.startsWith(name) ? out : undefined;
    });
    assert.equal(status, `${name} ${new Date(minutes * 60_000).toISOString().replace('.000Z', 'Z')}`);
    const table = await k('get', 'cronjob', 'tick', '-n', 'cron');
    assert.match(table, /tick\s+\* \* \* \* \*\s+<none>\s+False\s+1\s+\d+s/);
    const events = await k(
      'get',
      'events',
      '-n',
      'cron',
      '--field-selector=involvedObject.kind=CronJob',
      '-o',
      'jsonpath={range .items[*]}{.reason}:{.message}{"\\n"}{end}',
    );
    assert.match(events, new RegExp(`SuccessfulCreate:Created job ${name}`));
  });
});
