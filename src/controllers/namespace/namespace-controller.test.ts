import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deletionFailures, updatedConditions } from './namespace-controller.js';

test('failures read as kube words them', () => {
  const failures = deletionFailures(['metrics.k8s.io/v1beta1: 503'], ['boom'], {
    remaining: new Map([
      ['pods.', 2],
      ['crontabs.stable.example.com', 1],
    ]),
    finalizers: new Map([['example.com/hold', 1]]),
  });
  assert.deepEqual(
    failures.map((f) => `${f.type} ${f.reason}: ${f.message}`),
    [
      'NamespaceDeletionDiscoveryFailure DiscoveryFailed: Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: 503',
      'NamespaceDeletionContentFailure ContentDeletionFailed: Failed to delete all resource types, 1 remaining: boom',
      'NamespaceContentRemaining SomeResourcesRemain: Some resources are remaining: crontabs.stable.example.com has 1 resource instances, pods. has 2 resource instances',
      'NamespaceFinalizersRemaining SomeFinalizersRemain: Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    ],
  );
});

test('conditions: every type present, transition time moves only when the status does', () => {
  const first = updatedConditions([], [{ type: 'NamespaceContentRemaining', reason: 'SomeResourcesRemain', message: 'x' }], 't1')!;
  assert.deepEqual(
    first.map((c) => `${c.type}=${c.status} ${c.lastTransitionTime}`),
    [
      'NamespaceDeletionDiscoveryFailure=False t1',
      'NamespaceDeletionGroupVersionParsingFailure=False t1',
      'NamespaceDeletionContentFailure=False t1',
      'NamespaceContentRemaining=True t1',
      'NamespaceFinalizersRemaining=False t1',
    ],
  );
  assert.equal(updatedConditions(first, [{ type: 'NamespaceContentRemaining', reason: 'SomeResourcesRemain', message: 'x' }], 't2'), undefined);
  const second = updatedConditions(first, [{ type: 'NamespaceContentRemaining', reason: 'SomeResourcesRemain', message: 'y' }], 't2')!;
  assert.equal(second.find((c) => c.type === 'NamespaceContentRemaining')?.lastTransitionTime, 't1');
  const cleared = updatedConditions(second, [], 't3')!;
  assert.deepEqual(
    cleared.find((c) => c.type === 'NamespaceContentRemaining'),
    {
      type: 'NamespaceContentRemaining',
      status: 'False',
      reason: 'ContentRemoved',
      message: 'All content successfully removed',
      lastTransitionTime: 't3',
    },
  );
});
