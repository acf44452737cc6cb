import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { exitedStatus, nextTransition, reassertedStatus, restartBackOffMs, restartedStatus, runningStatus, simulatedRun } from './simulated-pod.js';

const t0 = Date.parse('2026-11-22T10:00:00Z');
const pod = (restartPolicy: string, annotations: Record<string, string> = {}): Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u1', annotations },
  spec: {
    restartPolicy,
    initContainers: [{ name: 'init', image: 'busybox' }],
    containers: [
      { name: 'a', image: 'nginx' },
      { name: 'b', image: 'redis' },
    ],
  },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-11-22T09:59:59Z' }] },
});

test('reads the simulated duration and exit code annotations', () => {
  assert.deepEqual(simulatedRun(pod('Never')), { durationMs: undefined, exitCode: 0 });
  assert.deepEqual(simulatedRun(pod('Never', { 'skiff.dev/simulated-duration': '1m30s', 'skiff.dev/simulated-exit-code': '2' })), {
    durationMs: 90_000,
    exitCode: 2,
  });
  assert.throws(() => simulatedRun(pod('Never', { 'skiff.dev/simulated-duration': 'soon' })), /time: invalid duration "soon"/);
  assert.throws(() => simulatedRun(pod('Never', { 'skiff.dev/simulated-exit-code': '300' })), /not an exit code from 0 to 255/);
});

test('a started pod is Running and ready, with its IPs, start time and the scheduler condition kept', () => {
  const status = runningStatus(pod('Always'), { hostIP: '172.16.0.1', podIP: '10.244.0.2' }, t0);
  assert.equal(status.phase, 'Running');
  assert.equal(status.startTime, '2026-11-22T10:00:00Z');
  assert.deepEqual([status.podIP, status.podIPs, status.hostIP, status.hostIPs], ['10.244.0.2', [{ ip: '10.244.0.2' }], '172.16.0.1', [{ ip: '172.16.0.1' }]]);
  assert.deepEqual(
    status.conditions?.map((c) => `${c.type}=${c.status}@${c.lastTransitionTime}`),
    [
      'PodReadyToStartContainers=True@2026-11-22T10:00:00Z',
      'Initialized=True@2026-11-22T10:00:00Z',
      'Ready=True@2026-11-22T10:00:00Z',
      'ContainersReady=True@2026-11-22T10:00:00Z',
      'PodScheduled=True@2026-11-22T09:59:59Z',
    ],
  );
  assert.deepEqual(
    status.containerStatuses?.map((c) => [c.name, c.image, c.ready, c.started, c.restartCount, c.state?.running?.startedAt]),
    [
      ['a', 'nginx', true, true, 0, '2026-11-22T10:00:00Z'],
      ['b', 'redis', true, true, 0, '2026-11-22T10:00:00Z'],
    ],
  );
  assert.equal(status.initContainerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
});

test('containers that exit finish a Never pod: Succeeded with 0, Failed otherwise', () => {
  const running: Pod = { ...pod('Never'), status: runningStatus(pod('Never'), { hostIP: 'h', podIP: 'p' }, t0) };
  const ok = exitedStatus(running, 0, t0 + 1000);
  assert.equal(ok.phase, 'Succeeded');
  assert.deepEqual(ok.containerStatuses?.[0]?.state?.terminated, {
    exitCode: 0,
    reason: 'Completed',
    startedAt: '2026-11-22T10:00:00Z',
    finishedAt: '2026-11-22T10:00:01Z',
    containerID: running.status?.containerStatuses?.[0]?.containerID,
  });
  assert.deepEqual(
    ok.conditions?.map((c) => `${c.type}=${c.status}/${c.reason ?? ''}`),
    [
      'PodReadyToStartContainers=False/',
      'Initialized=True/PodCompleted',
      'Ready=False/PodCompleted',
      'ContainersReady=False/PodCompleted',
      'PodScheduled=True/',
    ],
  );
  const failed = exitedStatus(running, 3, t0 + 1000);
  assert.equal(failed.phase, 'Failed');
  assert.equal(failed.containerStatuses?.[1]?.state?.terminated?.reason, 'Error');
  assert.equal(failed.conditions?.find((c) => c.type === 'Ready')?.reason, 'PodFailed');
});

test('under Always the containers crash-loop: back-off, then a restart that counts', () => {
  const p = pod('Always', { 'skiff.dev/simulated-duration': '2s' });
  const running: Pod = { ...p, status: runningStatus(p, { hostIP: 'h', podIP: 'x' }, t0) };
  const run = simulatedRun(running);
  assert.deepEqual(nextTransition(running, run), { at: t0 + 2000, kind: 'exit' });
  const crashed: Pod = { ...p, status: exitedStatus(running, 0, t0 + 2000) };
  assert.equal(crashed.status?.phase, 'Running');
  assert.equal(crashed.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'CrashLoopBackOff');
  assert.equal(crashed.status?.containerStatuses?.[0]?.lastState?.terminated?.reason, 'Completed');
  assert.equal(crashed.status?.conditions?.find((c) => c.type === 'Ready')?.message, 'containers with unready status: [a b]');
  assert.deepEqual(nextTransition(crashed, run), { at: t0 + 2000 + 10_000, kind: 'restart' });
  const restarted = restartedStatus(crashed, t0 + 12_000);
  assert.deepEqual(
    restarted.containerStatuses?.map((c) => [c.restartCount, c.ready, c.state?.running?.startedAt]),
    [
      [1, true, '2026-11-22T10:00:12Z'],
      [1, true, '2026-11-22T10:00:12Z'],
    ],
  );
  assert.equal(restarted.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  assert.deepEqual([0, 1, 4, 5, 9].map(restartBackOffMs), [10_000, 20_000, 160_000, 300_000, 300_000]);
  // OnFailure restarts only failures.
  const onFailure = pod('OnFailure');
  const r2: Pod = { ...onFailure, status: runningStatus(onFailure, { hostIP: 'h', podIP: 'x' }, t0) };
  assert.equal(exitedStatus(r2, 0, t0).phase, 'Succeeded');
  assert.equal(exitedStatus(r2, 1, t0).phase, 'Running');
});

test('a running pod marked not ready by others is reported ready again', () => {
  const running: Pod = { ...pod('Always'), status: runningStatus(pod('Always'), { hostIP: 'h', podIP: 'x' }, t0) };
  assert.equal(reassertedStatus(running, t0), undefined);
  const marked: Pod = {
    ...running,
    status: { ...running.status, conditions: (running.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c)) },
  };
  const fixed = reassertedStatus(marked, t0 + 5000);
  assert.deepEqual(
    fixed?.conditions?.find((c) => c.type === 'Ready'),
    { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-22T10:00:05Z' },
  );
});
