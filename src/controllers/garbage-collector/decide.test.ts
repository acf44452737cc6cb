import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, type OwnerState } from './decide.js';

const ref = (uid: string, block = false) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid, ...(block ? { blockOwnerDeletion: true } : {}) });
const input = (owners: [string, OwnerState, boolean?][], more: { finalizers?: string[]; hasDependents?: boolean; cycle?: boolean } = {}) => ({
  owners: owners.map(([uid, state, block]) => ({ ref: ref(uid, block), state })),
  finalizers: more.finalizers ?? [],
  hasDependents: more.hasDependents ?? false,
  dependentDeletingDependents: more.cycle ?? false,
});

test('an object without owners, or with only solid ones, is kept', () => {
  assert.deepEqual(decide(input([])), { action: 'keep' });
  assert.deepEqual(decide(input([['a', 'solid']])), { action: 'keep' });
});

test('a solid owner keeps the object; references to absent and waiting owners are dropped', () => {
  assert.deepEqual(
    decide(
      input([
        ['a', 'solid'],
        ['b', 'absent'],
        ['c', 'waiting'],
      ]),
    ),
    { action: 'removeReferences', uids: ['b', 'c'] },
  );
});

test('without a solid owner the object is deleted with the policy its finalizers ask for', () => {
  assert.deepEqual(decide(input([['a', 'absent']])), { action: 'delete', policy: 'Background', unblock: [] });
  assert.deepEqual(decide(input([['a', 'absent']], { finalizers: ['orphan'] })), { action: 'delete', policy: 'Orphan', unblock: [] });
  assert.deepEqual(decide(input([['a', 'waiting']], { finalizers: ['foregroundDeletion'] })), { action: 'delete', policy: 'Foreground', unblock: [] });
  assert.deepEqual(decide(input([['a', 'waiting']])), { action: 'delete', policy: 'Background', unblock: [] });
});

test('a waited-for object with dependents is deleted in the foreground, unblocking its owners when a cycle is possible', () => {
  assert.deepEqual(decide(input([['a', 'waiting', true]], { hasDependents: true })), { action: 'delete', policy: 'Foreground', unblock: [] });
  assert.deepEqual(
    decide(
      input(
        [
          ['a', 'waiting', true],
          ['b', 'absent'],
        ],
        { hasDependents: true, cycle: true },
      ),
    ),
    { action: 'delete', policy: 'Foreground', unblock: ['a'] },
  );
});
