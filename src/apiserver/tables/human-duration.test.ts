import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageSince, humanDuration } from './human-duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

test('humanDuration follows kube thresholds', () => {
  const cases: [number, string][] = [
    [-3 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [59 * s, '59s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [5 * m + 30 * s, '5m30s'],
    [10 * m + 59 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [3 * d + 5 * h, '3d5h'],
    [8 * d + 5 * h, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [800 * d, '2y70d'],
    [3000 * d, '8y'],
  ];
  for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, `${ms}ms`);
});

test('ageSince handles unset stamps', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  assert.equal(ageSince('2026-01-01T11:55:00Z', now), '5m');
  assert.equal(ageSince(undefined, now), '<unknown>');
  assert.equal(ageSince('', now), '<unknown>');
  assert.equal(ageSince('0001-01-01T00:00:00Z', now), '<unknown>');
});
