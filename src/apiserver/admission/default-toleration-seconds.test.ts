import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DefaultTolerationSeconds } from './default-toleration-seconds.js';

test('adds the not-ready and unreachable tolerations with 300 seconds', async () => {
  const pod = { spec: { containers: [] } } as Record<string, unknown>;
  await new DefaultTolerationSeconds().create({}, pod);
  assert.deepEqual((pod.spec as { tolerations: unknown[] }).tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
});

test('keeps a pod’s own toleration for a taint and adds only the missing one', async () => {
  const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 };
  const pod = { spec: { tolerations: [own] } } as Record<string, unknown>;
  await new DefaultTolerationSeconds().create({}, pod);
  const tolerations = (pod.spec as { tolerations: { key: string; tolerationSeconds: number }[] }).tolerations;
  assert.equal(tolerations.length, 2);
  assert.deepEqual(tolerations[0], own);
  assert.equal(tolerations[1]!.key, 'node.kubernetes.io/not-ready');
});

test('a toleration of every taint covers both', async () => {
  const pod = { spec: { tolerations: [{ operator: 'Exists' }] } } as Record<string, unknown>;
  await new DefaultTolerationSeconds().create({}, pod);
  assert.deepEqual((pod.spec as { tolerations: unknown[] }).tolerations, [{ operator: 'Exists' }]);
});

test('a null toleration is passed over, not a crash: validation answers for it', async () => {
  const pod = { spec: { tolerations: [null] } } as Record<string, unknown>;
  await new DefaultTolerationSeconds().create({}, pod);
  assert.equal((pod.spec as { tolerations: unknown[] }).tolerations.length, 3);
});
