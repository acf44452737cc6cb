import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podPrinter } from './pod-printer.js';

const now = new Date('2026-03-01T12:00:00Z');

function pod(overrides: { spec?: Record<string, unknown>; status?: Record<string, unknown>; metadata?: Record<string, unknown> }): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', creationTimestamp: '2026-03-01T11:00:00Z', ...overrides.metadata },
    spec: { containers: [{ name: 'app', image: 'nginx' }], nodeName: 'node-a', ...overrides.spec },
    status: { phase: 'Running', ...overrides.status },
  };
}

const running = { running: { startedAt: '2026-03-01T11:00:05Z' } };

test('running pod with restarts shows when the last one was', () => {
  const row = podPrinter.row(
    pod({
      status: {
        phase: 'Running',
        podIP: '10.42.0.7',
        podIPs: [{ ip: '10.42.0.7' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'app', ready: true, restartCount: 5, state: running, lastState: { terminated: { exitCode: 1, finishedAt: '2026-03-01T11:55:00Z' } } },
        ],
      },
    }),
    now,
  );
  assert.deepEqual(row, ['web-0', '1/1', 'Running', '5 (5m ago)', '60m', '10.42.0.7', 'node-a', '<none>', '<none>']);
});

test('pending pod without status fields', () => {
  const row = podPrinter.row(pod({ spec: { nodeName: undefined }, status: { phase: 'Pending' } }), now);
  assert.deepEqual(row.slice(0, 4), ['web-0', '0/1', 'Pending', '0']);
  assert.deepEqual(row.slice(5), ['<none>', '<none>', '<none>', '<none>']);
});

test('waiting reason wins: CrashLoopBackOff', () => {
  const row = podPrinter.row(
    pod({
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, finishedAt: '2026-03-01T11:59:30Z' } },
          },
        ],
      },
    }),
    now,
  );
  assert.deepEqual(row.slice(1, 4), ['0/1', 'CrashLoopBackOff', '3 (30s ago)']);
});

test('terminated containers: Completed, and exit codes without a reason', () => {
  const done = pod({
    status: { phase: 'Succeeded', containerStatuses: [{ name: 'app', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
  });
  assert.equal(podPrinter.row(done, now)[2], 'Completed');
  assert.deepEqual(podPrinter.conditions?.(done), [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  const killed = pod({ status: { phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 137, signal: 9 } } }] } });
  assert.equal(podPrinter.row(killed, now)[2], 'Signal:9');
  const exited = pod({ status: { phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 2 } } }] } });
  assert.equal(podPrinter.row(exited, now)[2], 'ExitCode:2');
});

test('a completed container beside a running one reads Running or NotReady', () => {
  const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
  const statuses = [
    { name: 'a', ready: true, state: running },
    { name: 'b', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
  ];
  assert.equal(
    podPrinter.row(pod({ spec, status: { phase: 'Running', containerStatuses: statuses, conditions: [{ type: 'Ready', status: 'True' }] } }), now)[2],
    'Running',
  );
  assert.equal(podPrinter.row(pod({ spec, status: { phase: 'Running', containerStatuses: statuses } }), now)[2], 'NotReady');
});

test('init containers: progress, failures and waiting reasons', () => {
  const spec = { initContainers: [{ name: 'migrate' }, { name: 'seed' }], containers: [{ name: 'app' }] };
  const first = { name: 'migrate', state: { terminated: { exitCode: 0, reason: 'Completed' } } };
  const progress = pod({ spec, status: { phase: 'Pending', initContainerStatuses: [first, { name: 'seed', state: running }] } });
  assert.deepEqual(podPrinter.row(progress, now).slice(1, 3), ['0/1', 'Init:1/2']);
  const failing = pod({
    spec,
    status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
  });
  assert.deepEqual(podPrinter.row(failing, now).slice(2, 4), ['Init:CrashLoopBackOff', '2']);
  const errored = pod({ spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 3 } } }] } });
  assert.equal(podPrinter.row(errored, now)[2], 'Init:ExitCode:3');
  const starting = pod({ spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { waiting: { reason: 'PodInitializing' } } }] } });
  assert.equal(podPrinter.row(starting, now)[2], 'Init:0/2');
});

test('sidecar init containers count as containers', () => {
  const spec = { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'app' }] };
  const row = podPrinter.row(
    pod({
      spec,
      status: {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [{ name: 'proxy', started: true, ready: true, restartCount: 1, state: running }],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
      },
    }),
    now,
  );
  assert.deepEqual(row.slice(1, 4), ['2/2', 'Running', '1']);
});

test('deleting pods read Terminating, or Unknown on a lost node', () => {
  const deleting = pod({ metadata: { deletionTimestamp: '2026-03-01T11:59:00Z' }, status: { phase: 'Running' } });
  assert.equal(podPrinter.row(deleting, now)[2], 'Terminating');
  const lost = pod({ metadata: { deletionTimestamp: '2026-03-01T11:59:00Z' }, status: { phase: 'Running', reason: 'NodeLost' } });
  assert.equal(podPrinter.row(lost, now)[2], 'Unknown');
  const finished = pod({ metadata: { deletionTimestamp: '2026-03-01T11:59:00Z' }, status: { phase: 'Succeeded' } });
  assert.equal(podPrinter.row(finished, now)[2], 'Succeeded');
});

test('scheduling gates, nominated node and readiness gates', () => {
  const row = podPrinter.row(
    pod({
      spec: { nodeName: undefined, readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
      status: {
        phase: 'Pending',
        nominatedNodeName: 'node-b',
        conditions: [
          { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' },
          { type: 'example.com/lb', status: 'True' },
        ],
      },
    }),
    now,
  );
  assert.deepEqual(row, ['web-0', '0/1', 'SchedulingGated', '0', '60m', '<none>', '<none>', 'node-b', '1/2']);
});
