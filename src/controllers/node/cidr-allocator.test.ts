import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CidrAllocator } from './cidr-allocator.js';

test('cuts the cluster CIDR into node subnets without handing one out twice', () => {
  const a = new CidrAllocator('10.244.0.0/16', 24);
  assert.equal(a.capacity, 256);
  assert.equal(a.occupy('10.244.1.0/24'), true);
  assert.equal(a.allocate(), '10.244.0.0/24');
  assert.equal(a.allocate(), '10.244.2.0/24');
  assert.equal(a.allocated, 3);
});

test('ignores subnets that are not its own', () => {
  const a = new CidrAllocator('10.244.0.0/16', 24);
  assert.equal(a.occupy('10.245.0.0/24'), false);
  assert.equal(a.occupy('10.244.0.0/25'), false);
  assert.equal(a.occupy('10.244.0.128/24'), false);
  assert.equal(a.allocated, 0);
});

test('runs out, and a released subnet is handed out again only after the others', () => {
  const a = new CidrAllocator('10.0.0.0/22', 24);
  assert.deepEqual([a.allocate(), a.allocate(), a.allocate(), a.allocate()], ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24']);
  assert.equal(a.allocate(), undefined);
  a.release('10.0.1.0/24');
  a.release('10.0.1.0/24');
  assert.equal(a.allocated, 3);
  assert.equal(a.allocate(), '10.0.1.0/24');
});

test('never hands out subnets of a reserved range', () => {
  const a = new CidrAllocator('10.0.0.0/22', 24, ['10.0.1.0/24', '10.96.0.0/12']);
  assert.deepEqual([a.allocate(), a.allocate(), a.allocate(), a.allocate()], ['10.0.0.0/24', '10.0.2.0/24', '10.0.3.0/24', undefined]);
});

test('refuses a mask wider than the cluster CIDR', () => {
  assert.throws(() => new CidrAllocator('10.244.0.0/16', 12), /must be between the cluster CIDR's \/16 and \/30/);
});
