import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JobSpec } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { backoffDelayMs, backoffRemainingMs, formatIndexes, matchPodFailurePolicy, parseIndexes } from './job-failures.js';

const failedPod = (exitCodes: Record<string, number>, conditions: { type: string; status: string }[] = []): Pod & { metadata: { name: string } } => ({
  metadata: { name: 'p', namespace: 'ns' },
  status: {
    phase: 'Failed',
    conditions,
    containerStatuses: Object.entries(exitCodes).map(([name, exitCode]) => ({
      name,
      image: 'x',
      imageID: '',
      ready: false,
      restartCount: 0,
      state: { terminated: { exitCode } },
    })),
  },
});

describe('job failures', () => {
  test('pod-failure backoff: 10 s, doubling per failure since the last success, capped at 10 min', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 6, 7, 20].map(backoffDelayMs), [0, 10_000, 20_000, 40_000, 80_000, 320_000, 600_000, 600_000]);
    assert.equal(backoffRemainingMs(2, 1_000_000, 1_005_000), 15_000);
    assert.equal(backoffRemainingMs(2, 1_000_000, 1_030_000), 0);
    assert.equal(backoffRemainingMs(0, undefined, 5), 0);
  });

  test('podFailurePolicy: first matching rule wins; exit code 0 never matches; conditions match', () => {
    const spec: JobSpec = {
      template: {},
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
          { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
          { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1] } },
        ],
      },
    };
    assert.deepEqual(matchPodFailurePolicy(spec, failedPod({ main: 42 })), {
      action: 'FailJob',
      message: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1',
    });
    assert.equal(matchPodFailurePolicy(spec, failedPod({ side: 42 }))?.action, 'Count');
    assert.equal(matchPodFailurePolicy(spec, failedPod({ main: 1 })), undefined);
    assert.equal(matchPodFailurePolicy(spec, failedPod({ main: 0, side: 0 })), undefined);
    assert.deepEqual(matchPodFailurePolicy(spec, failedPod({ main: 42 }, [{ type: 'DisruptionTarget', status: 'True' }])), {
      action: 'Ignore',
      message: 'Pod ns/p has condition DisruptionTarget matching Ignore rule at index 0',
    });
  });

  test('completed indexes are written as kube writes them and read back', () => {
    assert.equal(formatIndexes([5, 0, 1, 2, 7, 8, 1]), '0-2,5,7-8');
    assert.equal(formatIndexes([]), '');
    assert.deepEqual([...parseIndexes('0-2,5,7-8')], [0, 1, 2, 5, 7, 8]);
  });
});
