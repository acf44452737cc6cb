import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  horizontalPodAutoscalerPrinter,
  jobPrinter,
  podDisruptionBudgetPrinter,
  podTemplatePrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workload-printers.js';

const now = new Date('2026-03-01T12:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', creationTimestamp: '2026-02-28T12:00:00Z', ...extra });
const template = {
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1.27' },
      { name: 'log', image: 'busybox' },
    ],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
  },
};

test('columns line up with cells for every workload printer', () => {
  for (const printer of [
    podTemplatePrinter,
    replicationControllerPrinter,
    replicaSetPrinter,
    deploymentPrinter,
    statefulSetPrinter,
    daemonSetPrinter,
    jobPrinter,
    cronJobPrinter,
    controllerRevisionPrinter,
    podDisruptionBudgetPrinter,
    horizontalPodAutoscalerPrinter,
  ]) {
    assert.equal(printer.row({ metadata: meta('x') }, now).length, printer.columns.length);
  }
});

test('deployment', () => {
  const d = {
    metadata: meta('web'),
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  assert.deepEqual(deploymentPrinter.row(d, now), ['web', '2/3', 3, 2, '24h', 'web,log', 'nginx:1.27,busybox', 'app=web']);
  assert.deepEqual(
    deploymentPrinter.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Up-to-date', 'string', 0],
      ['Available', 'string', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
  );
});

test('replica sets and replication controllers', () => {
  const rs = {
    metadata: meta('web-7d9f'),
    spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d9f' } }, template },
    status: { replicas: 2, readyReplicas: 1 },
  };
  assert.deepEqual(replicaSetPrinter.row(rs, now), ['web-7d9f', 2, 2, 1, '24h', 'web,log', 'nginx:1.27,busybox', 'app=web,pod-template-hash=7d9f']);
  const rc = { metadata: meta('old'), spec: { replicas: 1, selector: { app: 'old' }, template }, status: { replicas: 1, readyReplicas: 1 } };
  assert.deepEqual(replicationControllerPrinter.row(rc, now), ['old', 1, 1, 1, '24h', 'web,log', 'nginx:1.27,busybox', 'app=old']);
});

test('stateful sets and daemon sets', () => {
  const sts = { metadata: meta('db'), spec: { replicas: 3, template }, status: { readyReplicas: 3 } };
  assert.deepEqual(statefulSetPrinter.row(sts, now), ['db', '3/3', '24h', 'web,log', 'nginx:1.27,busybox']);
  const ds = {
    metadata: meta('agent'),
    spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['agent'] }] }, template },
    status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 },
  };
  assert.deepEqual(daemonSetPrinter.row(ds, now), ['agent', 2, 2, 1, 2, 1, 'kubernetes.io/os=linux', '24h', 'web,log', 'nginx:1.27,busybox', 'app in (agent)']);
});

test('jobs: status, completions and duration', () => {
  const job = (spec: Record<string, unknown>, status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    metadata: meta('backup', extra),
    spec: { template, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } }, ...spec },
    status,
  });
  const complete = job(
    { completions: 1 },
    { succeeded: 1, startTime: '2026-03-01T11:00:00Z', completionTime: '2026-03-01T11:00:42Z', conditions: [{ type: 'Complete', status: 'True' }] },
  );
  assert.deepEqual(jobPrinter.row(complete, now).slice(0, 5), ['backup', 'Complete', '1/1', '42s', '24h']);
  const running = job({ parallelism: 3 }, { active: 3, startTime: '2026-03-01T11:50:00Z' });
  assert.deepEqual(jobPrinter.row(running, now).slice(1, 4), ['Running', '0/1 of 3', '10m']);
  assert.equal(jobPrinter.row(job({}, {}), now)[2], '0/1');
  assert.equal(jobPrinter.row(job({}, {}), now)[3], '');
  assert.equal(jobPrinter.row(job({}, { conditions: [{ type: 'Failed', status: 'True' }] }), now)[1], 'Failed');
  assert.equal(jobPrinter.row(job({}, { conditions: [{ type: 'Suspended', status: 'True' }] }), now)[1], 'Suspended');
  assert.equal(jobPrinter.row(job({}, {}, { deletionTimestamp: '2026-03-01T11:59:00Z' }), now)[1], 'Terminating');
  assert.equal(jobPrinter.row(complete, now)[7], 'batch.kubernetes.io/controller-uid=abc');
});

test('cron jobs', () => {
  const cj = {
    metadata: meta('nightly'),
    spec: { schedule: '0 3 * * *', suspend: false, jobTemplate: { spec: { template } } },
    status: { active: [{ name: 'nightly-1' }], lastScheduleTime: '2026-03-01T03:00:00Z' },
  };
  assert.deepEqual(cronJobPrinter.row(cj, now), ['nightly', '0 3 * * *', '<none>', 'False', 1, '9h', '24h', 'web,log', 'nginx:1.27,busybox', '<none>']);
  const unset = { metadata: meta('hourly'), spec: { schedule: '@hourly', timeZone: 'Etc/UTC', jobTemplate: { spec: { template } } } };
  assert.deepEqual(cronJobPrinter.row(unset, now).slice(2, 6), ['Etc/UTC', '<unset>', 0, '<none>']);
});

test('controller revisions name their controller as kind.group/name', () => {
  const rev = {
    metadata: meta('agent-6c8b', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u', controller: true }] }),
    revision: 4,
  };
  assert.deepEqual(controllerRevisionPrinter.row(rev, now), ['agent-6c8b', 'daemonset.apps/agent', 4, '24h']);
  assert.deepEqual(controllerRevisionPrinter.row({ metadata: meta('orphan'), revision: 1 }, now), ['orphan', '<none>', 1, '24h']);
});

test('pod disruption budgets', () => {
  assert.deepEqual(podDisruptionBudgetPrinter.row({ metadata: meta('web'), spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } }, now), [
    'web',
    '2',
    'N/A',
    1,
    '24h',
  ]);
  assert.deepEqual(podDisruptionBudgetPrinter.row({ metadata: meta('db'), spec: { maxUnavailable: '25%' }, status: {} }, now), ['db', 'N/A', '25%', 0, '24h']);
});

test('horizontal pod autoscalers, v2 and v1', () => {
  const v2 = {
    apiVersion: 'autoscaling/v2',
    metadata: meta('web'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
    },
    status: {
      currentReplicas: 3,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '120m' } } }],
    },
  };
  assert.deepEqual(horizontalPodAutoscalerPrinter.row(v2, now), [
    'web',
    'Deployment/web',
    'cpu: 45%/70%, memory: <unknown>/500Mi + 1 more...',
    '2',
    10,
    3,
    '24h',
  ]);
  const v1 = {
    apiVersion: 'autoscaling/v1',
    metadata: meta('api'),
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    status: { currentReplicas: 1, currentCPUUtilizationPercentage: 12 },
  };
  assert.deepEqual(horizontalPodAutoscalerPrinter.row(v1, now), ['api', 'Deployment/api', 'cpu: 12%/50%', '<unset>', 5, 1, '24h']);
  const bare = { apiVersion: 'autoscaling/v2', metadata: meta('bare'), spec: { scaleTargetRef: { kind: 'StatefulSet', name: 'db' }, maxReplicas: 3 } };
  assert.equal(horizontalPodAutoscalerPrinter.row(bare, now)[2], 'cpu: <unknown>/80%');
});

test('pod templates', () => {
  assert.deepEqual(podTemplatePrinter.row({ metadata: meta('tpl'), template }, now), ['tpl', 'web,log', 'nginx:1.27,busybox', 'app=web']);
});
