import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fitErrorMessage, reasonHistogram } from './fit-error.js';
import { Status } from './framework.js';

describe('fitErrorMessage', () => {
  it('counts reasons over nodes, sorts the "<count> <reason>" strings and appends the PostFilter message', () => {
    const statuses = [
      new Status('UnschedulableAndUnresolvable', 'node(s) had untolerated taint(s)'),
      new Status('Unschedulable', 'Insufficient cpu'),
      new Status('UnschedulableAndUnresolvable', 'node(s) had untolerated taint(s)'),
    ];
    assert.equal(
      fitErrorMessage(3, statuses, '', 'no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.'),
      '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });

  it('counts every reason of a node that failed several resources', () => {
    assert.deepEqual(
      reasonHistogram([new Status('Unschedulable', 'Insufficient cpu', 'Insufficient memory'), new Status('Unschedulable', 'Insufficient cpu')]),
      ['1 Insufficient memory', '2 Insufficient cpu'],
    );
  });

  it('sorts as strings, so 10 comes before 9', () => {
    const many = [...Array<number>(10)].map(() => new Status('Unschedulable', 'Insufficient cpu'));
    const some = [...Array<number>(9)].map(() => new Status('Unschedulable', 'Too many pods'));
    assert.equal(fitErrorMessage(19, [...some, ...many]), '0/19 nodes are available: 10 Insufficient cpu, 9 Too many pods.');
  });

  it('puts a PreFilter rejection in place of the per-node reasons', () => {
    assert.equal(
      fitErrorMessage(2, [], 'pod has unbound immediate PersistentVolumeClaims'),
      '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.',
    );
  });
});
