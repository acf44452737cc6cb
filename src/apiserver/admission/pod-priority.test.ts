import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../api/index.js';
import { PodPriority } from './pod-priority.js';

const classes = [
  { name: 'high', value: 1000, globalDefault: false, preemptionPolicy: 'Never' },
  { name: 'everyday', value: 10, globalDefault: true },
];

test('a named class sets priority and preemption policy', async () => {
  const pod = { metadata: { name: 'p' }, spec: { priorityClassName: 'high' } };
  await new PodPriority(() => classes).create({}, pod);
  assert.deepEqual(pod.spec, { priorityClassName: 'high', priority: 1000, preemptionPolicy: 'Never' });
});

test('without a name the global default class applies', async () => {
  const pod = { metadata: { name: 'p' }, spec: {} };
  await new PodPriority(() => classes).create({}, pod);
  assert.deepEqual(pod.spec, { priorityClassName: 'everyday', priority: 10, preemptionPolicy: 'PreemptLowerPriority' });
});

test('an unknown class is forbidden with kube-apiserver’s message', async () => {
  const pod = { metadata: { name: 'p' }, spec: { priorityClassName: 'nope' } };
  await assert.rejects(new PodPriority(() => classes).create({}, pod), (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 403);
    assert.equal(err.message, 'pods "p" is forbidden: no PriorityClass with name nope was found');
    return true;
  });
});
