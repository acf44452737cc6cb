import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCronSchedule } from '../../time/index.js';
import { jobNameFor, mostRecentScheduleTime } from './cronjob-controller.js';
import type { CronJobObject } from '../shared/index.js';

const cronJob = (created: string, lastSchedule?: string, startingDeadlineSeconds?: number): CronJobObject => ({
  metadata: { name: 'c', creationTimestamp: created },
  spec: {
    schedule: '*/5 * * * *',
    jobTemplate: {},
    ...(startingDeadlineSeconds === undefined ? {} : { startingDeadlineSeconds }),
  },
  ...(lastSchedule ? { status: { lastScheduleTime: lastSchedule } } : {}),
});
const at = (s: string) => Date.parse(s);

describe('cronjob scheduling', () => {
  const every5 = parseCronSchedule('*/5 * * * *');

  test('job names are the scheduled minute since the epoch', () => {
    assert.equal(jobNameFor('hello', at('2026-01-01T00:05:00Z')), 'hello-29453765');
  });

  test('the most recent unmet time since creation or the last run, with the count of misses', () => {
    assert.deepEqual(mostRecentScheduleTime(cronJob('2026-01-01T00:01:00Z'), every5, at('2026-01-01T00:04:59Z')), { missed: 0 });
    assert.deepEqual(mostRecentScheduleTime(cronJob('2026-01-01T00:01:00Z'), every5, at('2026-01-01T00:05:00Z')), {
      time: at('2026-01-01T00:05:00Z'),
      missed: 1,
    });
    assert.deepEqual(mostRecentScheduleTime(cronJob('2026-01-01T00:00:00Z', '2026-01-01T00:05:00Z'), every5, at('2026-01-01T00:21:00Z')), {
      time: at('2026-01-01T00:20:00Z'),
      missed: 3,
    });
  });

  test('startingDeadlineSeconds bounds how far back misses are looked for', () => {
    assert.deepEqual(mostRecentScheduleTime(cronJob('2026-01-01T00:00:00Z', undefined, 60), every5, at('2026-01-01T10:00:30Z')), {
      time: at('2026-01-01T10:00:00Z'),
      missed: 1,
    });
    assert.deepEqual(mostRecentScheduleTime(cronJob('2026-01-01T00:00:00Z', undefined, 60), every5, at('2026-01-01T10:02:00Z')), { missed: 0 });
  });
});
