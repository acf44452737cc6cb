import assert from 'node:assert/strict';
import { test } from 'node:test';
import { podsToDelete, rankPodsForDeletion } from './pod-deletion-order.js';
import type { PodObject } from '../shared/index.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(now - s * 1000).toISOString();

interface PodShape {
  node?: string;
  phase?: string;
  ready?: boolean;
  readyFor?: number;
  age?: number;
  restarts?: number;
  cost?: string;
  uid?: string;
}

function pod(name: string, o: PodShape = {}): PodObject {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: o.uid ?? name,
      creationTimestamp: ago(o.age ?? 1000),
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
    },
    spec: { containers: [{ name: 'c' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: ago(o.readyFor ?? 500) }],
      containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: true, restartCount: o.restarts ?? 0 }],
    },
  };
}

const names = (pods: PodObject[]) => pods.map((p) => p.metadata.name);

test('unscheduled before scheduled, pending before running, not ready before ready', () => {
  const pods = [
    pod('ready', { node: 'n1' }),
    pod('unready', { node: 'n1', ready: false }),
    pod('pending', { node: 'n1', phase: 'Pending', ready: false }),
    pod('unknown', { node: 'n1', phase: 'Unknown', ready: false }),
    pod('unscheduled', { phase: 'Pending', ready: false }),
  ];
  assert.deepEqual(names(rankPodsForDeletion(pods, pods, now)), ['unscheduled', 'pending', 'unknown', 'unready', 'ready']);
});

test('a lower pod-deletion-cost goes first, before crowding and age', () => {
  const pods = [
    pod('cheap', { node: 'n1', cost: '-5', age: 99999 }),
    pod('default', { node: 'n2', age: 10 }),
    pod('dear', { node: 'n3', cost: '100', age: 5 }),
  ];
  assert.deepEqual(names(rankPodsForDeletion(pods, pods, now)), ['cheap', 'default', 'dear']);
});

test('pods sharing a node with more of their family go first', () => {
  const a = pod('alone', { node: 'n1', readyFor: 100 });
  const b = pod('crowded', { node: 'n2', readyFor: 100000 });
  const sibling = pod('sibling', { node: 'n2' });
  assert.deepEqual(names(rankPodsForDeletion([a, b], [a, b, sibling], now)), ['crowded', 'alone']);
});

test('the most recently ready go first, ages within one power of two counting as equal', () => {
  const pods = [pod('old', { node: 'n1', readyFor: 10000 }), pod('new', { node: 'n2', readyFor: 10 })];
  assert.deepEqual(names(rankPodsForDeletion(pods, [], now)), ['new', 'old']);
  // 100 s and 101 s fall in the same power-of-two bucket of nanoseconds: uid order decides.
  const close = [pod('b', { node: 'n1', readyFor: 100, uid: 'b' }), pod('a', { node: 'n2', readyFor: 101, uid: 'a' })];
  assert.deepEqual(names(rankPodsForDeletion(close, [], now)), ['a', 'b']);
});

test('more restarts go first, then the newer pod', () => {
  const pods = [pod('steady', { node: 'n1', ready: false, age: 50 }), pod('flappy', { node: 'n2', ready: false, restarts: 4, age: 5000 })];
  assert.deepEqual(names(rankPodsForDeletion(pods, [], now)), ['flappy', 'steady']);
  const byAge = [pod('older', { node: 'n1', ready: false, age: 50000 }), pod('newer', { node: 'n2', ready: false, age: 5 })];
  assert.deepEqual(names(rankPodsForDeletion(byAge, [], now)), ['newer', 'older']);
});

test('podsToDelete takes the head of the ranking, or everything when asked for as many', () => {
  const pods = [pod('ready', { node: 'n1' }), pod('pending', { phase: 'Pending', ready: false })];
  assert.deepEqual(names(podsToDelete(pods, pods, 1, now)), ['pending']);
  assert.equal(podsToDelete(pods, pods, 5, now).length, 2);
});
